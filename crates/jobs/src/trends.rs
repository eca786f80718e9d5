//! The rollup loop: folds raw readings into 1-minute rollups every half minute and prunes raw
//! readings and rollups past their retention every hour (on PostgreSQL making the time partitions
//! ahead and dropping those past retention). Both steps are safe on several nodes.

use std::time::Duration;
use yingji_core::kernel::clock::SharedClock;
use yingji_core::monitoring::trend::Retention;
use yingji_store::{
    Store,
    monitoring::{partitions, trends},
};

const ROLL_EVERY: Duration = Duration::from_secs(30);
const PRUNE_EVERY_ROLLS: u32 = 120;

pub async fn run(store: Store, clock: SharedClock, keep: Retention) {
    let mut n: u32 = 0;
    loop {
        if let Err(e) = trends::roll_up(&store, clock.now_ms()).await {
            tracing::warn!(error = %e, "rollup pass failed");
        }
        if n.is_multiple_of(PRUNE_EVERY_ROLLS) {
            // PostgreSQL: the days ahead made, the partitions past retention dropped.
            match partitions::upkeep(&store, clock.now_ms(), keep).await {
                Ok(u) if !(u.created.is_empty() && u.dropped.is_empty()) => {
                    tracing::info!(created = ?u.created, dropped = ?u.dropped, waiting = ?u.waiting, "telemetry partitions")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "telemetry partition upkeep failed"),
            }
            match trends::prune(&store, clock.now_ms(), keep).await {
                Ok((raw, rolled)) if raw + rolled > 0 => {
                    tracing::info!(raw, rolled, "pruned readings past retention")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "pruning readings failed"),
            }
        }
        n = n.wrapping_add(1);
        tokio::time::sleep(ROLL_EVERY).await;
    }
}
