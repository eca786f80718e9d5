//! 网格事件: file an event from any source (its region and point checked, the dispatch rules
//! applied at once, in one transaction), dispatch by hand, 签收, 退回.

use yingji_core::grid::events::{
    self as rules, CheckedEvent, Deadlines, EventInput, NOT_A_DISPATCHER, NOT_AN_INTAKE,
    NOT_THE_UNIT, Source, Status, check_event, check_reason, intake_source, is_unit, may_dispatch,
};
use yingji_core::grid::events_config::{
    Assignment, GridEventConfig, Subject, Supervisor, UnitKind, dispatch,
};
use yingji_core::grid::opinions::deadlines_for;
use yingji_core::kernel::geo;
use yingji_core::kernel::role::Scope;
use yingji_store::grid::events::{self as reads, EventDetail, GridEvent};
use yingji_store::grid::events_writes::{self as writes, Dispatch, NewEvent};
use yingji_store::kernel::Ctx;
use yingji_store::kernel::idempotency::{self, Key};
use yingji_store::{Actor, Store, StoreError, StoreResult, Tx, directory};

/// The district's event configuration in force.
pub async fn config_of(store: &Store, district: &str) -> StoreResult<GridEventConfig> {
    Ok(yingji_store::prevention::rules::current(store, district)
        .await?
        .rules
        .grid_events)
}

/// Checks an event's input against the catalogue, its region (it exists, inside the caller's
/// scope when `scope` is given) and its point (inside the district's boundary when stored).
pub async fn check(
    store: &Store,
    scope: Option<&Scope>,
    input: &EventInput,
    public: bool,
) -> StoreResult<(CheckedEvent, GridEventConfig, String)> {
    let region_code = input.region_code.trim();
    let district = region_code.get(..6).unwrap_or(region_code).to_string();
    let config = config_of(store, &district).await?;
    let checked = check_event(input, &config, public)?;
    let region =
        directory::regions::get(store, scope.unwrap_or(&Scope::All), &checked.region_code).await;
    if region.is_err() {
        return Err(StoreError::invalid(
            "region_code",
            format!("区域“{}”不存在或不在您的管辖范围内", checked.region_code),
        ));
    }
    if let Some(b) = directory::regions::boundary(store, &Scope::All, &district)
        .await
        .ok()
        .flatten()
        && let Ok(polygons) = geo::polygons_of_geometry(&b)
        && !geo::area_contains(&polygons, checked.lon, checked.lat)
    {
        return Err(StoreError::invalid(
            "lon",
            format!(
                "位置（{:.5}，{:.5}）不在本区范围内",
                checked.lon, checked.lat
            ),
        ));
    }
    Ok((checked, config, district))
}

/// The unit's display name: the department's, or the street's.
pub(crate) async fn unit_name(store: &Store, kind: UnitKind, id: &str) -> StoreResult<String> {
    match kind {
        UnitKind::Department => directory::departments::get(store, &Scope::All, id)
            .await
            .map(|d| d.name),
        UnitKind::Street => directory::regions::get(store, &Scope::All, id)
            .await
            .ok()
            .filter(|r| r.level == "street")
            .map(|r| r.name)
            .ok_or(StoreError::NotFound),
    }
    .map_err(|_| StoreError::invalid("unit_id", format!("承办单位“{id}”不存在")))
}

/// 大分拨: the rule's (or the default) unit with its name, or `None` for the duty room.
pub async fn decide(
    store: &Store,
    config: &GridEventConfig,
    c: &CheckedEvent,
) -> StoreResult<Option<(Assignment, String)>> {
    let enterprise_categories = match &c.enterprise_id {
        Some(id) => directory::enterprises::get(store, &Scope::All, id)
            .await
            .map(|e| e.categories)
            .unwrap_or_default(),
        None => vec![],
    };
    let departments = directory::departments::list(store, &Scope::All).await?;
    let supervisors: Vec<Supervisor> = departments
        .iter()
        .map(|d| Supervisor {
            id: &d.id,
            categories: &d.categories,
            region_code: &d.region_code,
        })
        .collect();
    let subject = Subject {
        category: &c.category,
        region_code: &c.region_code,
        enterprise_categories: &enterprise_categories,
    };
    let Some(a) = dispatch(config, &subject, &supervisors) else {
        return Ok(None);
    };
    Ok(unit_name(store, a.unit_kind, &a.unit_id)
        .await
        .ok()
        .map(|n| (a, n)))
}

/// Records a checked event and applies the decision, in the caller's transaction.
pub async fn record_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    new: &NewEvent<'_>,
    config: &GridEventConfig,
    decided: Option<&(Assignment, String)>,
) -> StoreResult<(String, String)> {
    record_with_in(tx, actor, now_ms, new, config, (decided, None)).await
}

/// [`record_in`] with deadlines of the source's own (the hotline's) instead of the category's.
pub async fn record_with_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    new: &NewEvent<'_>,
    config: &GridEventConfig,
    (decided, due): (Option<&(Assignment, String)>, Option<Deadlines>),
) -> StoreResult<(String, String)> {
    let (id, code) = writes::create_in(tx, actor, now_ms, new).await?;
    let c = new.checked;
    match (decided, config.category(&c.category)) {
        (Some((a, name)), Some(cat)) => {
            let d = Dispatch {
                unit_kind: a.unit_kind.as_str(),
                unit_id: &a.unit_id,
                unit_name: name,
                reason: &a.reason,
                deadlines: due.unwrap_or_else(|| {
                    deadlines_for(cat, config, new.opinion.map(|o| o.level), now_ms)
                }),
                summary: rules::dispatched_summary(&c.title, name, &a.reason),
            };
            writes::dispatch_in(tx, actor, now_ms, &id, &d, config).await?;
        }
        _ => writes::pending_in(tx, actor, now_ms, &id, rules::pending_summary(&c.title)).await?,
    }
    Ok((id, code))
}

/// The kind of submission an event's idempotency key is recorded for.
pub const KIND: &str = "grid_event";

/// 上报 from the phone (网格员, 街道/社区人员) or the console (值班室): dispatched at once. An
/// event sent again with the same `key` (the phone's draft after a dropped answer) answers the
/// first one.
pub async fn file(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    (input, photos): (&EventInput, &[String]),
    key: Option<&str>,
) -> StoreResult<EventDetail> {
    let Some(source) = intake_source(ctx.role) else {
        return Err(StoreError::Forbidden(NOT_AN_INTAKE.into()));
    };
    let key = key.map(|key| Key {
        user_id: &ctx.user_id,
        key,
        kind: KIND,
    });
    if let Some(id) = idempotency::replayed(store, key).await? {
        return reads::detail(store, ctx, &id).await;
    }
    let scope = (source == Source::Grid).then_some(&ctx.scope);
    let (checked, config, district) = check(store, scope, input, false).await?;
    let decided = decide(store, &config, &checked).await?;
    let new = NewEvent {
        source,
        checked: &checked,
        district_code: &district,
        reporter_user_id: Some(&ctx.user_id),
        tracking_code: None,
        external: None,
        opinion: None,
        attachments: photos,
        summary: rules::filed_summary(source, &checked.category, &checked.title),
    };
    let mut tx = store.begin().await?;
    let (id, _) = record_in(&mut tx, &ctx.actor, now_ms, &new, &config, decided.as_ref()).await?;
    idempotency::record_in(&mut tx, key, &id, now_ms).await?;
    tx.commit().await?;
    reads::detail(store, ctx, &id).await
}

/// 人工分拨 (the duty room): a waiting event, or one sent elsewhere, goes to the unit named.
pub async fn dispatch_to(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    unit_kind: &str,
    unit_id: &str,
) -> StoreResult<EventDetail> {
    if !may_dispatch(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_DISPATCHER.into()));
    }
    let e = reads::get(store, ctx, id).await?;
    if !matches!(
        Status::parse(&e.status),
        Some(Status::PendingDispatch | Status::Dispatched)
    ) {
        return Err(StoreError::conflict(
            "status",
            format!("事件{}，不能再分拨", e.status_label),
        ));
    }
    let kind = UnitKind::parse(unit_kind).ok_or_else(|| {
        StoreError::invalid(
            "unit_kind",
            "承办单位类型应为 department（部门）或 street（街道）",
        )
    })?;
    let name = unit_name(store, kind, unit_id.trim()).await?;
    let config = config_of(store, &e.district_code).await?;
    let cat = config.category(&e.category).ok_or_else(|| {
        StoreError::invalid("category", format!("事件分类“{}”已不在目录中", e.category))
    })?;
    let reason = format!("{}人工分拨", ctx.display_name);
    let d = Dispatch {
        unit_kind: kind.as_str(),
        unit_id: unit_id.trim(),
        unit_name: &name,
        reason: &reason,
        deadlines: deadlines_for(cat, &config, e.opinion_level(), now_ms),
        summary: rules::dispatched_summary(&e.title, &name, &reason),
    };
    let mut tx = store.begin().await?;
    writes::dispatch_in(&mut tx, &ctx.actor, now_ms, id, &d, &config).await?;
    tx.commit().await?;
    reads::detail(store, ctx, id).await
}

/// The event, once the caller works for its unit.
pub(crate) async fn as_unit(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<GridEvent> {
    let e = reads::get(store, ctx, id).await?;
    if !is_unit(
        ctx.role,
        &ctx.scope,
        e.unit_kind.as_deref(),
        e.unit_id.as_deref(),
    ) {
        return Err(StoreError::Forbidden(NOT_THE_UNIT.into()));
    }
    Ok(e)
}

/// 签收 by the unit: the 处置 deadline starts to be watched.
pub async fn accept(store: &Store, ctx: &Ctx, now_ms: i64, id: &str) -> StoreResult<EventDetail> {
    let e = as_unit(store, ctx, id).await?;
    let config = config_of(store, &e.district_code).await?;
    let unit = e.unit_name.clone().unwrap_or_default();
    let mut tx = store.begin().await?;
    writes::accept_in(
        &mut tx,
        &ctx.actor,
        now_ms,
        &e,
        &config,
        rules::accepted_summary(&e.title, &unit),
    )
    .await?;
    tx.commit().await?;
    reads::detail(store, ctx, id).await
}

/// 退回 by the unit, with its reason: back to the duty room, not into a void.
pub async fn return_to_dispatcher(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    reason: &str,
) -> StoreResult<EventDetail> {
    let e = as_unit(store, ctx, id).await?;
    let reason = check_reason("reason", "退回理由", reason)?;
    let unit = e.unit_name.clone().unwrap_or_default();
    let mut tx = store.begin().await?;
    writes::return_in(
        &mut tx,
        &ctx.actor,
        now_ms,
        &e,
        &reason,
        rules::returned_summary(&e.title, &unit, &reason),
    )
    .await?;
    tx.commit().await?;
    reads::detail(store, ctx, id).await
}
