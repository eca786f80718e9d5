//! The rollup loop: folds raw readings into 1-minute rollups every half minute and prunes raw
//! readings and rollups past their retention every hour (on PostgreSQL making the time
//! partitions ahead and dropping those past retention). On several nodes one node at a time
//! runs the rounds: each takes the lease [`LEASE`] first (ADR 0027). Both steps are idempotent
//! besides, so a round that outlasts its lease and overlaps the next holder's is harmless.

use std::time::Duration;
use yingji_core::kernel::clock::SharedClock;
use yingji_core::monitoring::trend::Retention;
use yingji_store::kernel::leases::Lease;
use yingji_store::{
    Store,
    monitoring::{partitions, trends},
};

const ROLL_EVERY: Duration = Duration::from_secs(30);
const PRUNE_EVERY_ROLLS: u32 = 120;

/// The lease of the rollup and retention rounds.
pub const LEASE: &str = "monitoring.rollups";

pub async fn run(store: Store, clock: SharedClock, keep: Retention, node: String) {
    let lease = Lease::for_loop(LEASE, &node, ROLL_EVERY);
    // Rounds run here; the first one this node holds the lease for also prunes.
    let mut n: u32 = 0;
    loop {
        if lease.take(&store, clock.now_ms()).await {
            round(&store, &clock, keep, n.is_multiple_of(PRUNE_EVERY_ROLLS)).await;
            n = n.wrapping_add(1);
        }
        tokio::time::sleep(ROLL_EVERY).await;
    }
}

async fn round(store: &Store, clock: &SharedClock, keep: Retention, prune: bool) {
    if let Err(e) = trends::roll_up(store, clock.now_ms()).await {
        tracing::warn!(error = %e, "rollup pass failed");
    }
    if prune {
        // PostgreSQL: the days ahead made, the partitions past retention dropped.
        match partitions::upkeep(store, clock.now_ms(), keep).await {
            Ok(u) if !(u.created.is_empty() && u.dropped.is_empty()) => {
                tracing::info!(created = ?u.created, dropped = ?u.dropped, waiting = ?u.waiting, "telemetry partitions")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "telemetry partition upkeep failed"),
        }
        match trends::prune(store, clock.now_ms(), keep).await {
            Ok((raw, rolled)) if raw + rolled > 0 => {
                tracing::info!(raw, rolled, "pruned readings past retention")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "pruning readings failed"),
        }
    }
}
