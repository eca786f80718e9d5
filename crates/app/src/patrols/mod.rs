//! 巡查打卡: a check-in at the caller's location, once per idempotency key, in one transaction
//! with its photos and audit record; a point outside the region's boundary is marked.

use yingji_core::kernel::wording::REGION_OUTSIDE_SCOPE;
use yingji_core::patrols::{NOT_A_PATROLLER, check_patrol, may_check_in, outside_area};
use yingji_store::kernel::Ctx;
use yingji_store::kernel::idempotency::{self, Key};
use yingji_store::patrols::{self, Patrol, PatrolInput, Place};
use yingji_store::{Store, StoreError, StoreResult, directory};

/// The kind of submission a check-in's idempotency key is recorded for.
pub const KIND: &str = "patrol";

/// Checks the caller in at their location in their own area (or a region inside it). A check-in
/// sent again with the same `key` answers the first one.
pub async fn check_in(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &PatrolInput,
    key: Option<&str>,
) -> StoreResult<Patrol> {
    if !may_check_in(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_PATROLLER.into()));
    }
    let key = key.map(|key| Key {
        user_id: &ctx.user_id,
        key,
        kind: KIND,
    });
    if let Some(id) = idempotency::replayed(store, key).await? {
        return patrols::get(store, ctx, &id).await;
    }
    let checked = check_patrol(input)?;
    let task = match input.task_id.as_deref() {
        Some(id) => Some(crate::grid::patrol_tasks::for_check_in(store, ctx, id).await?),
        None => None,
    };
    let own = match &ctx.scope {
        yingji_core::kernel::role::Scope::Region { region_code, .. } => region_code.clone(),
        _ => String::new(),
    };
    let code = input
        .region_code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or(&own);
    let region = directory::regions::get(store, &ctx.scope, code)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("region_code", REGION_OUTSIDE_SCOPE),
            e => e,
        })?;
    // GPS is imprecise: a point outside the region's boundary is recorded as such, not refused.
    let boundary = directory::regions::boundary(store, &ctx.scope, &region.code).await?;
    let place = Place {
        region_code: &region.code,
        region_name: &region.name,
        outside_area: outside_area(boundary.as_ref(), checked.lon, checked.lat),
        task_id: task.as_ref().map(|t| t.id.as_str()),
    };
    let mut tx = store.begin().await?;
    let id = patrols::create_in(&mut tx, ctx, now_ms, place, &checked, &input.attachments).await?;
    idempotency::record_in(&mut tx, key, &id, now_ms).await?;
    if let Some(t) = task.filter(|t| t.started_ms.is_none()) {
        yingji_store::grid::patrol_tasks::progress_in(&mut tx, ctx, now_ms, &t, &[], false).await?;
    }
    tx.commit().await?;
    patrols::get(store, ctx, &id).await
}
