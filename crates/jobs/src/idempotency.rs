//! The idempotency-key pruning loop: every hour, deletes the keys (`store::kernel::idempotency`)
//! older than the configured retention (`[field] idempotency_retention_days`). Safe on several
//! nodes: the delete is one statement.

use std::time::Duration;
use yingji_core::kernel::clock::SharedClock;
use yingji_core::kernel::idempotency::prune_cutoff;
use yingji_store::{Store, StoreResult, kernel::idempotency};

const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// One pass: deletes the keys older than `retention_days` as of the clock's now; answers how many
/// went.
pub async fn prune_once(
    store: &Store,
    clock: &SharedClock,
    retention_days: i64,
) -> StoreResult<u64> {
    idempotency::prune(store, prune_cutoff(clock.now_ms(), retention_days)).await
}

/// The loop: a pass at start, then one every hour.
pub async fn run(store: Store, clock: SharedClock, retention_days: i64) {
    loop {
        match prune_once(&store, &clock, retention_days).await {
            Ok(n) if n > 0 => tracing::info!(pruned = n, "pruned idempotency keys past retention"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "pruning idempotency keys failed"),
        }
        tokio::time::sleep(PRUNE_EVERY).await;
    }
}
