//! 灾害过程: register one (its townships inside the district and the caller's area, an optional
//! incident the caller may read), mark it stable (the 核报 deadline starts), configure the
//! district's reporting settings.

use yingji_core::disasters::processes::{
    District, NOT_A_MANAGER, ProcessInput, Status, check_process, check_stable, may_configure,
    may_manage, stable_summary,
};
use yingji_core::disasters::reports_rules::JumpRule;
use yingji_store::disasters::processes::{self, Process};
use yingji_store::disasters::reports;
use yingji_store::disasters::reports_settings::{self, Settings};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult, directory, response};

pub const NOT_A_CONFIGURER: &str = "只有局领导和系统管理员可以修改灾情报送设置";

/// Registers a process; its 初报 deadline (2 hours after the start) starts.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &ProcessInput,
) -> StoreResult<Process> {
    if !may_manage(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    let district = directory::regions::district_of_scope(store, &ctx.scope).await?;
    let townships = processes::district_townships(store, &district).await?;
    let d = District {
        code: &district,
        townships: &townships,
        prefix: ctx.scope.region_prefix(),
    };
    let checked = check_process(input, &d, now_ms)?;
    if let Some(incident) = &checked.incident_id {
        response::incidents::get(store, &ctx.scope, incident, now_ms)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => {
                    StoreError::invalid("incident_id", "突发事件不存在或不在您的管辖范围内")
                }
                e => e,
            })?;
    }
    let mut tx = store.begin().await?;
    let id = processes::create_in(&mut tx, ctx, now_ms, &district, &checked).await?;
    tx.commit().await?;
    processes::get(store, ctx, &id).await
}

/// 灾情稳定 at `stable_at`: the 核报 is due 5 days after that day.
pub async fn stable(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    stable_at: &str,
) -> StoreResult<Process> {
    if !may_manage(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    let p = processes::get(store, ctx, id).await?;
    if p.status() != Status::Ongoing {
        return Err(StoreError::invalid(
            "stable_at",
            format!("灾害过程{}，不能再标记灾情稳定", p.status().label()),
        ));
    }
    let stable_ms = check_stable(p.started_ms, stable_at, now_ms)?;
    let last = reports::of_process(store, id)
        .await?
        .last()
        .map(|r| (r.kind(), r.filed_ms));
    let day = yingji_core::kernel::clock::today(stable_ms).to_string();
    let mut tx = store.begin().await?;
    processes::set_stable_in(
        &mut tx,
        ctx,
        now_ms,
        &p,
        stable_ms,
        last,
        stable_summary(&p.name, &day),
    )
    .await?;
    tx.commit().await?;
    processes::get(store, ctx, id).await
}

/// The caller's district's settings.
pub async fn settings(store: &Store, ctx: &Ctx) -> StoreResult<Settings> {
    if !yingji_core::disasters::processes::may_read(ctx.role) {
        return Err(StoreError::Forbidden(
            yingji_core::disasters::processes::NOT_A_READER.into(),
        ));
    }
    let district = directory::regions::district_of_scope(store, &ctx.scope).await?;
    reports_settings::get(store, &district).await
}

/// Saves the caller's district's settings: the ratio 1–1000 %, the minimum 1–100000, channels
/// that exist.
pub async fn save_settings(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    jump: JumpRule,
    city: Vec<String>,
    province: Vec<String>,
) -> StoreResult<Settings> {
    if !may_configure(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_CONFIGURER.into()));
    }
    let mut errs = yingji_core::kernel::validation::Errors::default();
    if !(1..=1000).contains(&jump.ratio_pct) {
        errs.add("jump_ratio_pct", "变化比例应为 1 至 1000（%）");
    }
    if !(1..=100_000).contains(&jump.min) {
        errs.add("jump_min", "变化最小人数（户数）应为 1 至 100000");
    }
    for (field, ids) in [
        ("city_channel_ids", &city),
        ("province_channel_ids", &province),
    ] {
        let known = reports_settings::known_channels(store, ids).await?;
        for (i, id) in ids.iter().enumerate() {
            if !known.contains(id) {
                errs.add(
                    &format!("{field}[{i}]"),
                    format!("第{}个通知渠道“{id}”不存在", i + 1),
                );
            }
        }
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }
    let district = directory::regions::district_of_scope(store, &ctx.scope).await?;
    let s = Settings {
        district_code: district.clone(),
        jump,
        city_channel_ids: city,
        province_channel_ids: province,
        updated_ms: Some(now_ms),
    };
    let summary = format!(
        "灾情报送设置：变化超过{}%且不少于{}需说明，上报市级渠道 {} 个、省级渠道 {} 个",
        jump.ratio_pct,
        jump.min,
        s.city_channel_ids.len(),
        s.province_channel_ids.len()
    );
    let mut tx = store.begin().await?;
    reports_settings::save_in(&mut tx, &ctx.actor, now_ms, &s, summary).await?;
    tx.commit().await?;
    reports_settings::get(store, &district).await
}
