//! The demo district's 防汛与地灾 and 转移: a reservoir, a dike, a 山洪危险区 and a 地灾隐患点 in the
//! demo grid worker's grid with their duty persons (the 地灾隐患点 short of its 片区负责人, the
//! 山洪危险区 without any, so the incomplete list shows them), two patrol logs (one 异常), an
//! evacuation plan to the nearest shelter with a 转移 order half answered, and a 断路 order. All
//! written through the use cases, so every record is audited as the console would have.

use super::enforcement_cases::ctx_of;
use sqlx::Row;
use yingji_app::disasters::{evacuation, flood, orders};
use yingji_core::disasters::evacuation::{
    EvacuationAnswerInput, EvacuationPersonInput, EvacuationPlanInput,
};
use yingji_core::disasters::flood::{FloodDutyPersonInput, FloodPatrolInput};
use yingji_core::disasters::orders::DisasterOrderInput;
use yingji_core::warning::target::ObjectInput;
use yingji_store::kernel::Ctx;
use yingji_store::{Sql, Store, StoreResult};

fn person(
    duty: &str,
    name: &str,
    post: &str,
    phone: &str,
    user: Option<&str>,
) -> FloodDutyPersonInput {
    FloodDutyPersonInput {
        duty: duty.into(),
        name: name.into(),
        post: post.into(),
        phone: phone.into(),
        user_id: user.map(str::to_string),
    }
}

async fn object(
    store: &Store,
    admin: &Ctx,
    now: i64,
    (kind, name, dlon): (&str, &str, f64),
    grid: &str,
    (lon, lat): (f64, f64),
) -> StoreResult<String> {
    let input = ObjectInput {
        kind: kind.into(),
        name: name.into(),
        address: format!("{name}（演示）"),
        lon: Some(lon + dlon),
        lat: Some(lat),
        outline: None,
        region_code: grid.into(),
        responsible_user_id: None,
        responsible_name: "村委会".into(),
        responsible_phone: "0792-8220000".into(),
        responsible_type: None,
        note: None,
    };
    Ok(
        yingji_app::warning::targeting::create_object(store, admin, now, &input)
            .await?
            .id,
    )
}

/// Seeds the flood duty demo; answers the number of objects made (0 when already seeded or
/// when the demo accounts are missing).
// Long because: four objects, their persons, two logs, a plan, an order and its answers in order.
pub async fn generate_flood(store: &Store, now: i64) -> StoreResult<usize> {
    let (Some(admin), Some(grid)) = (ctx_of(store, "admin").await?, ctx_of(store, "grid").await?)
    else {
        return Ok(0);
    };
    let Some(grid_code) = grid.scope.region_prefix().map(str::to_string) else {
        return Ok(0);
    };
    let mut q = Sql::new("SELECT center_lon, center_lat FROM regions WHERE code = ");
    q.bind(grid_code.as_str());
    let Some(r) = store.fetch_optional(q).await? else {
        return Ok(0);
    };
    let at: (f64, f64) = (
        r.try_get::<Option<f64>, _>(0)?.unwrap_or(115.99),
        r.try_get::<Option<f64>, _>(1)?.unwrap_or(29.7),
    );
    let mut ids = Vec::new();
    for o in [
        ("reservoir", "东风水库", 0.001),
        ("dike", "柳溪河左岸堤防", -0.001),
        ("geohazard", "后山滑坡隐患点", 0.0005),
        ("flash_flood", "龙潭沟山洪危险区", -0.0005),
    ] {
        ids.push(object(store, &admin, now, o, &grid_code, at).await?);
    }
    let gu = Some(grid.user_id.as_str());
    let sets = [
        vec![
            person("administrative", "李建国", "镇长", "13907920101", None),
            person("technical", "王海涛", "水利站站长", "0792-8221234", None),
            person("patrol", "赵志强", "网格员", "13907920103", gu),
        ],
        vec![
            person("administrative", "陈卫东", "副镇长", "13907920201", None),
            person("technical", "刘文", "水利工程师", "13907920202", None),
            person("patrol", "赵志强", "网格员", "13907920103", gu),
        ],
        vec![
            person("administrative", "李建国", "镇长", "13907920101", None),
            person("technical", "周明", "自然资源所所长", "13907920302", None),
            person("patrol", "赵志强", "网格员", "13907920103", gu),
            person("monitor", "孙大山", "群测群防员", "13907920304", None),
        ],
    ];
    for (id, persons) in ids.iter().zip(sets.iter()) {
        flood::save_duty(store, &admin, now, id, persons).await?;
    }
    for (i, (kind, result, finding)) in [
        ("in_season", "normal", None),
        (
            "mass_monitoring",
            "abnormal",
            Some("滑坡体后缘出现新裂缝约3米"),
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let input = FloodPatrolInput {
            object_id: if i == 0 {
                ids[0].clone()
            } else {
                ids[2].clone()
            },
            kind: kind.into(),
            at: None,
            lon: at.0,
            lat: at.1,
            place: if i == 0 {
                "坝顶".into()
            } else {
                "滑坡体后缘".into()
            },
            result: result.into(),
            finding: finding.map(str::to_string),
            attachments: vec![],
        };
        flood::file_patrol(store, &grid, now - (2 - i as i64) * 3_600_000, &input).await?;
    }
    evacuate(store, &admin, now, &ids[2], &grid_code).await?;
    Ok(ids.len())
}

/// The 地灾隐患点's plan to the district's first shelter, a 转移 order half answered, and a 断路
/// order on the latest incident (when there is one).
async fn evacuate(
    store: &Store,
    admin: &Ctx,
    now: i64,
    point: &str,
    grid: &str,
) -> StoreResult<()> {
    let q = Sql::new(
        "SELECT id FROM shelters WHERE deactivated_ms IS NULL ORDER BY status DESC, capacity DESC, id LIMIT 1",
    );
    let Some(r) = store.fetch_optional(q).await? else {
        return Ok(());
    };
    let shelter: String = r.try_get(0)?;
    let people = [
        ("张大爷", "13907920401", "后山组1号"),
        ("张大妈", "13907920402", "后山组1号"),
        ("李奶奶", "13907920403", "后山组3号"),
        ("王叔", "13907920404", "后山组5号"),
        ("王婶", "13907920405", "后山组5号"),
        ("赵伯", "13907920406", "后山组8号"),
    ];
    let input = EvacuationPlanInput {
        name: "后山滑坡隐患点群众转移预案".into(),
        object_id: Some(point.into()),
        region_code: grid.into(),
        shelter_id: shelter,
        route: "沿后山村道向北约800米，经村委会至安置点".into(),
        people: people
            .iter()
            .map(|(n, p, h)| EvacuationPersonInput {
                name: (*n).into(),
                phone: (*p).into(),
                household: (*h).into(),
            })
            .collect(),
    };
    let plan = evacuation::create_plan(store, admin, now - 86_400_000, &input).await?;
    let order = evacuation::issue(store, admin, now - 3_600_000, &plan.id, None, None).await?;
    for (p, a) in
        order
            .people
            .iter()
            .zip(["arrived", "arrived", "arrived", "refused", "unreachable"])
    {
        let answer = EvacuationAnswerInput {
            person_id: p.person_id.clone(),
            answer: a.into(),
        };
        evacuation::answer(store, admin, now - 1_800_000, &order.id, &answer).await?;
    }
    // The shelter may be closed or full in the demo: the check-in is then left out.
    let _ = evacuation::check_in(
        store,
        admin,
        now - 1_200_000,
        &order.id,
        &order.people[0].person_id,
    )
    .await;
    let q = Sql::new("SELECT id FROM incidents ORDER BY occurred_ms DESC, id LIMIT 1");
    if let Some(r) = store.fetch_optional(q).await? {
        let input = DisasterOrderInput {
            kind: "road_closure".into(),
            scope_text: "后山村道K1+200至K2+000段，滑坡影响范围".into(),
            region_code: grid.get(..9).unwrap_or(grid).into(),
            object_ids: vec![point.into()],
            warning_id: None,
            incident_id: Some(r.try_get(0)?),
        };
        let o = orders::issue(store, admin, now - 3_000_000, &input).await?;
        let done = yingji_core::disasters::orders::DisasterOrderCarryOut {
            carried_out_by: "后山村网格员赵志强、交警中队".into(),
            note: Some("已设置路障和警示牌".into()),
        };
        orders::carry_out(store, admin, now - 2_400_000, &o.id, &done).await?;
    }
    Ok(())
}
