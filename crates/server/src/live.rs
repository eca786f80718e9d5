//! This node's end of the live messages between nodes (`yingji_store::kernel::live`): alarm ids
//! into the live board's feed, "map counts changed" into the map-count cache.

use crate::AppState;
use crate::routes::directory::map::MapCountCache;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;
use yingji_store::kernel::live::{Delivery, Listener, Live, publish};

/// In the alarm feed: not an id but "messages may have been missed, reload the board".
pub const RESYNC: &str = "";

/// How long `start` waits for the first connection before the node serves without it (the
/// listener keeps trying in the background).
const FIRST_CONNECT: Duration = Duration::from_secs(5);

/// Starts the node's listener on PostgreSQL (nothing on SQLite, where everything is in-process).
/// Waits for the first LISTEN so that the node does not serve before it can hear the others.
pub async fn start(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    let mut listener = Listener::new(&state.store)?;
    listener.connect(FIRST_CONNECT).await;
    let feed = state.alarm_feed.clone();
    let map_counts = state.map_counts.clone();
    Some(tokio::spawn(
        listener.run(move |d| deliver(&feed, &map_counts, d)),
    ))
}

fn deliver(feed: &broadcast::Sender<String>, map_counts: &Arc<MapCountCache>, d: Delivery) {
    match d {
        Delivery::Message(Live::Alarms(ids)) => {
            for id in ids {
                // No subscriber is fine: nobody is watching the board.
                let _ = feed.send(id);
            }
        }
        Delivery::Message(Live::MapCounts) => map_counts.clear(),
        Delivery::Gap => {
            map_counts.clear();
            let _ = feed.send(RESYNC.to_string());
        }
    }
}

/// Enterprises changed (after the commit): this node's map counts are dropped now, every other
/// node's when the message reaches it (and after the cache's TTL if it never does).
pub async fn map_counts_changed(app: &AppState) {
    app.map_counts.clear();
    if let Err(e) = publish(&app.store, &Live::MapCounts).await {
        tracing::warn!(error = %e, "map-count change not announced to the other nodes");
    }
}
