//! The demo district's 森林防火: the forest authority (区应急管理局) and a 防火期 around today, a
//! forest area with its watched hectares, a week of 森林火险等级, 野外用火 applications in every
//! state (pending, approved, refused, and one suspended when its day reached 四级), a 护林员
//! patrol and a confirmed 火点 that became an incident — all through the use cases, so every
//! write is audited and the applicants' texts are in the outbox.

use super::enforcement_cases::ctx_of;
use yingji_app::disasters::{fire_use, forest, forest_patrols};
use yingji_core::disasters::fire_use::{ApplicationInput, DecisionInput};
use yingji_core::disasters::forest::{AreaInput, ForestConfig, LevelInput};
use yingji_core::disasters::forest_patrols::{FirePointDecision, FirePointInput, PatrolInput};
use yingji_core::kernel::clock::{to_rfc3339, today};
use yingji_core::kernel::role::Scope;
use yingji_store::{Store, StoreResult};

const DAY_MS: i64 = 86_400_000;

fn day(now: i64, offset: i64) -> String {
    today(now + offset * DAY_MS).to_string()
}

/// The 防火期: the usual one when today is in it, else one around today (a demo out of season).
fn season(now: i64, authority: Option<String>) -> ForestConfig {
    let usual = ForestConfig {
        authority_department_id: authority,
        ..ForestConfig::default()
    };
    if usual.in_season(today(now)) && usual.in_season(today(now + 7 * DAY_MS)) {
        return usual;
    }
    ForestConfig {
        season_from: day(now, -10)[5..].to_string(),
        season_to: day(now, 60)[5..].to_string(),
        ..usual
    }
}

fn application(area: &str, name: &str, phone: &str, on: String, purpose: &str) -> ApplicationInput {
    ApplicationInput {
        applicant_name: name.into(),
        applicant_phone: phone.into(),
        area_id: Some(area.into()),
        place: "林区边缘农地".into(),
        day_from: on,
        purpose: purpose.into(),
        measures: "开设10米隔离带，备扑火拖把和水桶，安排2人全程看守，用火后彻底熄灭余火".into(),
        ..Default::default()
    }
}

// Long because: the configuration, the area, the levels, four applications and the field records,
// each one call.
pub async fn generate_forest(store: &Store, now: i64) -> StoreResult<usize> {
    let (Some(admin), Some(yjj), Some(duty), Some(grid)) = (
        ctx_of(store, "admin").await?,
        ctx_of(store, "yjj").await?,
        ctx_of(store, "duty").await?,
        ctx_of(store, "grid").await?,
    ) else {
        return Ok(0);
    };
    let authority = match &yjj.scope {
        Scope::Department { department_id, .. } => Some(department_id.clone()),
        _ => None,
    };
    let district = forest::district_for(store, &admin.scope).await?;
    let mut rules = yingji_store::prevention::rules::current(store, &district)
        .await?
        .rules;
    rules.forest = season(now, authority);
    yingji_app::prevention::rules::save(
        store,
        &admin.actor,
        now,
        &district,
        &rules,
        Some("森林防火期与审批部门".into()),
    )
    .await?;
    let Some(street) = grid.scope.region_prefix().and_then(|g| g.get(..9)) else {
        return Ok(0);
    };
    let outline = serde_json::json!({"type": "Polygon", "coordinates": [[[115.96, 29.70], [115.99, 29.70], [115.99, 29.72], [115.96, 29.72], [115.96, 29.70]]]});
    let area = forest::create_area(
        store,
        &yjj,
        now,
        &AreaInput {
            name: "琵琶湖北岸林区".into(),
            street_code: street.into(),
            outline,
            area_ha: "620.5".into(),
            covered_ha: "380".into(),
        },
    )
    .await?;
    for (offset, level) in [
        (-6, 2),
        (-5, 2),
        (-4, 3),
        (-3, 3),
        (-2, 2),
        (-1, 3),
        (0, 3),
        (1, 3),
    ] {
        let input = LevelInput {
            day: day(now, offset),
            level,
            note: None,
        };
        forest::set_level(store, &duty, now, &input).await?;
    }
    let apps = [
        ("张德福", "13807920001", 2, "farming", Some(true)),
        ("刘桂英", "13807920002", 3, "worship", None),
        ("王建国", "13807920003", 4, "burning", Some(false)),
        ("陈小明", "13807920004", 5, "construction", Some(true)),
    ];
    let mut n = 0;
    for (name, phone, offset, purpose, decision) in apps {
        let input = application(&area.id, name, phone, day(now, offset), purpose);
        let (code, _) = fire_use::apply(store, now, None, &input).await?;
        n += 1;
        let Some(approve) = decision else { continue };
        let id = fire_use::list(store, &yjj, None)
            .await?
            .into_iter()
            .find(|a| a.code == code)
            .map(|a| a.id)
            .unwrap_or_default();
        let d = DecisionInput {
            approve,
            reason: (!approve).then(|| "用火地点紧邻松林，隔离带不足".into()),
        };
        fire_use::decide(store, &yjj, now, &id, &d).await?;
    }
    // 四级 on the day of the last approved one: it is suspended and its applicant texted.
    let high = LevelInput {
        day: day(now, 5),
        level: 4,
        note: Some("连续晴热少雨，气象部门预报".into()),
    };
    forest::set_level(store, &duty, now, &high).await?;
    let patrol = PatrolInput {
        area_id: area.id.clone(),
        started_at: to_rfc3339(now - 3 * 3_600_000),
        ended_at: to_rfc3339(now - 3_600_000),
        track: vec![[115.965, 29.705], [115.975, 29.71], [115.985, 29.715]],
        result: "normal".into(),
        note: Some("林区无异常，宣传防火知识2户".into()),
        photo_ids: vec![],
    };
    forest_patrols::record_patrol(store, &grid, now, &patrol).await?;
    let spot = FirePointInput {
        lon: 115.975,
        lat: 29.71,
        size: "small".into(),
        note: Some("北坡发现明火，面积约半亩".into()),
        ..Default::default()
    };
    let point = forest_patrols::report_point(store, &grid, now - 2 * DAY_MS, &spot).await?;
    let confirm = FirePointDecision {
        confirm: true,
        burnt_ha: Some("0.12".into()),
        title: None,
        account: None,
    };
    forest_patrols::decide_point(store, &duty, now - 2 * DAY_MS, &point.id, &confirm).await?;
    Ok(n)
}
