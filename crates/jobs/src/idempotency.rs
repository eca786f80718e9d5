//! The idempotency-key pruning loop: every hour, deletes the keys (`store::kernel::idempotency`)
//! older than the configured retention (`[field] idempotency_retention_days`). On several nodes
//! one node at a time prunes: the round takes the lease [`LEASE`] first (ADR 0027); the delete
//! is one statement, so an overlap would be harmless anyway.

use std::time::Duration;
use yingji_core::kernel::clock::SharedClock;
use yingji_core::kernel::idempotency::prune_cutoff;
use yingji_store::kernel::leases::Lease;
use yingji_store::{Store, StoreResult, kernel::idempotency};

const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// The lease of the pruning rounds.
pub const LEASE: &str = "kernel.idempotency_prune";

/// This node's lease of the pruning rounds.
pub fn lease(node: &str) -> Lease {
    Lease::for_loop(LEASE, node, PRUNE_EVERY)
}

/// One pass: deletes the keys older than `retention_days` as of the clock's now; answers how many
/// went.
pub async fn prune_once(
    store: &Store,
    clock: &SharedClock,
    retention_days: i64,
) -> StoreResult<u64> {
    idempotency::prune(store, prune_cutoff(clock.now_ms(), retention_days)).await
}

/// One round of the loop: a pass if this node has (or takes) the lease; `None` when another node
/// holds it.
pub async fn round(
    store: &Store,
    clock: &SharedClock,
    retention_days: i64,
    lease: &Lease,
) -> StoreResult<Option<u64>> {
    if !lease.take(store, clock.now_ms()).await {
        return Ok(None);
    }
    prune_once(store, clock, retention_days).await.map(Some)
}

/// The loop: a round at start, then one every hour.
pub async fn run(store: Store, clock: SharedClock, retention_days: i64, node: String) {
    let lease = lease(&node);
    loop {
        match round(&store, &clock, retention_days, &lease).await {
            Ok(Some(n)) if n > 0 => {
                tracing::info!(pruned = n, "pruned idempotency keys past retention")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "pruning idempotency keys failed"),
        }
        tokio::time::sleep(PRUNE_EVERY).await;
    }
}
