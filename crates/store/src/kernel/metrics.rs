//! Queue depths for the Prometheus scrape (`GET /metrics`), counted at scrape time on indexed
//! columns: the outbox backlog and the durable timers that are due, or late.

use crate::{Sql, Store, StoreResult};

/// How long a due timer may wait before it counts as late.
pub const LATE_AFTER_MS: i64 = 60_000;

#[derive(Debug, Clone, Copy, Default)]
pub struct QueueDepths {
    /// Outbox messages not yet delivered or given up (pending or being sent).
    pub outbox_pending: i64,
    /// Timers not fired whose due time has come.
    pub timers_due: i64,
    /// Of those, the ones due more than `LATE_AFTER_MS` ago.
    pub timers_late: i64,
}

pub async fn queue_depths(store: &Store, now_ms: i64) -> StoreResult<QueueDepths> {
    let outbox_pending = store
        .fetch_i64(Sql::new(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')",
        ))
        .await?;
    let timers = |before: i64| {
        let mut q = Sql::new("SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND due_ms <= ");
        q.bind(before);
        q
    };
    Ok(QueueDepths {
        outbox_pending,
        timers_due: store.fetch_i64(timers(now_ms)).await?,
        timers_late: store.fetch_i64(timers(now_ms - LATE_AFTER_MS)).await?,
    })
}
