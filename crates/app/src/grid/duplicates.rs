//! 疑似重复: the duty room reads the events that may be the same as one, and merges one into
//! another (same category; the main event not itself merged).

use yingji_core::grid::duplicates::{
    MERGE_CATEGORY, MERGE_CHAIN, MERGE_SELF, bbox, merged_summary, near, window,
};
use yingji_core::grid::events::{NOT_A_DISPATCHER, may_dispatch};
use yingji_store::grid::duplicates as store;
use yingji_store::grid::events::{self as reads, EventDetail, GridEvent};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

use super::events::config_of;

/// The events near `id` of its category filed within the window, the nearest in time first.
pub async fn duplicates(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Vec<GridEvent>> {
    let e = reads::get(store, ctx, id).await?;
    let config = config_of(store, &e.district_code).await?;
    let found = store::candidates(
        store,
        ctx,
        &e,
        bbox(e.lon, e.lat, config.duplicate_radius_m),
        window(&config, e.created_ms),
    )
    .await?;
    Ok(found
        .into_iter()
        .filter(|o| near(&config, [e.lon, e.lat], [o.lon, o.lat]))
        .collect())
}

/// Merges `id` into `into` (the duty room).
pub async fn merge(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    into: &str,
) -> StoreResult<EventDetail> {
    if !may_dispatch(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_DISPATCHER.into()));
    }
    if id == into.trim() {
        return Err(StoreError::invalid("into", MERGE_SELF));
    }
    let e = reads::get(store, ctx, id).await?;
    let main = reads::get(store, ctx, into.trim())
        .await
        .map_err(|_| StoreError::invalid("into", format!("目标事件“{into}”不存在")))?;
    if main.merged_into.is_some() {
        return Err(StoreError::invalid("into", MERGE_CHAIN));
    }
    if main.category != e.category {
        return Err(StoreError::invalid("into", MERGE_CATEGORY));
    }
    let summary = merged_summary(&e.title, &e.code, &main.code);
    let mut tx = store.begin().await?;
    store::merge_in(&mut tx, &ctx.actor, now_ms, &e, &main, summary).await?;
    tx.commit().await?;
    reads::detail(store, ctx, id).await
}
