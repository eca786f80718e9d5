//! 疑似重复: the candidate events near one (same category, inside a box and a span of filing
//! times, not merged, visible to the caller), and the merge of one event into another.

use super::events::{COLUMNS, FROM, GridEvent, from_row, push_visible};
use super::events_close::{Advance, advance_in};
use super::events_writes::step_in;
use crate::kernel::Ctx;
use crate::{Actor, Sql, Store, StoreResult, Tx, Val};
use yingji_core::grid::events::Status;

/// Events of the same category as `e` inside `bbox` and filed within `span`, the latest first.
pub async fn candidates(
    store: &Store,
    ctx: &Ctx,
    e: &GridEvent,
    (min_lon, max_lon, min_lat, max_lat): (f64, f64, f64, f64),
    (from_ms, to_ms): (i64, i64),
) -> StoreResult<Vec<GridEvent>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE e.category = "));
    q.bind(e.category.as_str())
        .push_bind(" AND e.id <> ", e.id.as_str())
        .push_bind(" AND e.district_code = ", e.district_code.as_str())
        .push(" AND e.status <> 'merged'")
        .push_bind(" AND e.lon >= ", min_lon)
        .push_bind(" AND e.lon <= ", max_lon)
        .push_bind(" AND e.lat >= ", min_lat)
        .push_bind(" AND e.lat <= ", max_lat)
        .push_bind(" AND e.created_ms >= ", from_ms)
        .push_bind(" AND e.created_ms <= ", to_ms);
    push_visible(&mut q, ctx)?;
    q.push(" ORDER BY e.created_ms DESC, e.id LIMIT 50");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// Merges `e` into `into`: 已合并, `merged_into` set, its 督办 timer dropped; a line on both
/// timelines (the merged one's is public: its reporter follows the main event).
pub async fn merge_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    e: &GridEvent,
    into: &GridEvent,
    summary: String,
) -> StoreResult<()> {
    let open: Vec<Status> = Status::ALL.into_iter().filter(|s| s.open()).collect();
    let note = format!("与事件{}合并办理", into.code);
    let a = Advance {
        from: &open,
        to: Status::Merged,
        set: vec![("merged_into", Val::from(into.id.clone()))],
        step: ("合并办理", Some(&note), true),
        audit: ("grid.event_merged", summary),
    };
    advance_in(tx, actor, now_ms, &e.id, a).await?;
    let note = format!("合并重复事件{}", e.code);
    step_in(
        tx,
        &into.id,
        now_ms,
        "合并重复事件",
        &actor.name,
        Some(&note),
        false,
    )
    .await
}
