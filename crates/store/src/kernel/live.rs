//! Live messages between the nodes on one database: newly opened alarms for the live board's
//! stream, and "the map counts changed" for the nodes' map-count caches.
//!
//! On PostgreSQL a message is published with `pg_notify('yingji_live', payload)` and every node
//! (the sender too) takes it from its one [`Listener`] task, which hands it to the node's in-process
//! broadcast; so each node delivers each message once. On SQLite there is one node: [`publish`]
//! sends nothing and answers `false`, and the caller delivers the message in-process itself.
//!
//! Payloads stay small (ids only; a NOTIFY payload must stay under 8000 bytes). Notifications
//! sent while a node's listener is disconnected are lost to that node: after it reconnects it
//! delivers [`Delivery::Gap`], on which the node drops its map counts and the streams ask their
//! browsers to reload.

use crate::{Backend, Sql, Store, StoreResult};
use std::time::Duration;

/// The one PostgreSQL channel of these messages.
pub const CHANNEL: &str = "yingji_live";

/// Largest payload we send (PostgreSQL refuses 8000 bytes and more).
const MAX_PAYLOAD: usize = 7000;

/// A message for every node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// Alarm incidents just opened (their ids).
    Alarms(Vec<String>),
    /// Enterprises changed: the per-region map counts are stale.
    MapCounts,
}

/// What a node's listener hands over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Message(Live),
    /// The listener was disconnected and is back: messages may have been missed.
    Gap,
}

impl Live {
    /// The payloads carrying this message, each under the NOTIFY limit.
    pub fn encode(&self) -> Vec<String> {
        match self {
            Live::MapCounts => vec!["map".into()],
            Live::Alarms(ids) => {
                let mut out = Vec::new();
                let mut cur = String::from("alarms");
                for id in ids {
                    if cur.len() + 1 + id.len() > MAX_PAYLOAD && cur != "alarms" {
                        out.push(std::mem::replace(&mut cur, String::from("alarms")));
                    }
                    cur.push(' ');
                    cur.push_str(id);
                }
                if cur != "alarms" {
                    out.push(cur);
                }
                out
            }
        }
    }

    /// A payload read back; `None` for anything this version does not know.
    pub fn decode(payload: &str) -> Option<Live> {
        let mut words = payload.split(' ');
        match words.next()? {
            "map" => Some(Live::MapCounts),
            "alarms" => {
                let ids: Vec<String> = words
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect();
                (!ids.is_empty()).then_some(Live::Alarms(ids))
            }
            _ => None,
        }
    }
}

/// Sends `msg` to every node through PostgreSQL and answers `true` (every node's listener,
/// this one's too, delivers it); on SQLite sends nothing and answers `false`: the caller
/// delivers it in-process.
pub async fn publish(store: &Store, msg: &Live) -> StoreResult<bool> {
    if store.backend != Backend::Postgres {
        return Ok(false);
    }
    for payload in msg.encode() {
        let mut q = Sql::new("SELECT pg_notify(");
        q.bind(CHANNEL).push(", ").bind(payload).push(")");
        store.execute(q).await?;
    }
    Ok(true)
}

/// Longest wait between two attempts to reconnect the listener.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// A node's listener on PostgreSQL (none on SQLite).
pub struct Listener {
    url: String,
    current: Option<sqlx::postgres::PgListener>,
}

impl Listener {
    /// The listener for `store`'s database; `None` on SQLite (one node, nothing to listen to).
    pub fn new(store: &Store) -> Option<Listener> {
        (store.backend == Backend::Postgres).then(|| Listener {
            url: store.pool.connect_options().database_url.to_string(),
            current: None,
        })
    }

    /// Connects and starts listening, waiting at most `within`; `false` when PostgreSQL cannot
    /// be reached now ([`Listener::run`] keeps trying).
    pub async fn connect(&mut self, within: Duration) -> bool {
        match tokio::time::timeout(within, listen_on(&self.url)).await {
            Ok(Ok(l)) => {
                self.current = Some(l);
                true
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "live listener cannot reach PostgreSQL yet");
                false
            }
            Err(_) => {
                tracing::warn!("live listener: PostgreSQL did not answer in time");
                false
            }
        }
    }

    /// Hands every message to `deliver` for as long as the task runs. A lost connection is
    /// reconnected with back-off (1 s doubling up to 30 s), logged, and reported as a gap.
    pub async fn run(mut self, deliver: impl Fn(Delivery) + Send) {
        let mut backoff = Duration::from_secs(1);
        loop {
            let mut l = match self.current.take() {
                Some(l) => l,
                None => match listen_on(&self.url).await {
                    Ok(l) => {
                        tracing::info!("live listener connected to PostgreSQL");
                        backoff = Duration::from_secs(1);
                        deliver(Delivery::Gap);
                        l
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, retry_in_s = backoff.as_secs(), "live listener cannot reach PostgreSQL");
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                        continue;
                    }
                },
            };
            receive(&mut l, &deliver).await;
        }
    }
}

/// Delivers notifications until the connection is lost for good (then the caller reconnects).
async fn receive(l: &mut sqlx::postgres::PgListener, deliver: &impl Fn(Delivery)) {
    loop {
        match l.try_recv().await {
            Ok(Some(n)) => match Live::decode(n.payload()) {
                Some(msg) => deliver(Delivery::Message(msg)),
                None => tracing::debug!(payload = n.payload(), "unknown live message"),
            },
            // try_recv reconnected by itself: what was sent meanwhile is lost.
            Ok(None) => {
                tracing::warn!("live listener lost its PostgreSQL connection and reconnected");
                deliver(Delivery::Gap);
            }
            Err(e) => {
                tracing::warn!(error = %e, "live listener lost PostgreSQL");
                return;
            }
        }
    }
}

async fn listen_on(url: &str) -> Result<sqlx::postgres::PgListener, sqlx::Error> {
    let mut l = sqlx::postgres::PgListener::connect(url).await?;
    l.listen(CHANNEL).await?;
    Ok(l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_stay_small() {
        assert_eq!(
            Live::decode(&Live::MapCounts.encode()[0]),
            Some(Live::MapCounts)
        );
        let ids: Vec<String> = (0..1000).map(|i| format!("alarm-{i:032}")).collect();
        let payloads = Live::Alarms(ids.clone()).encode();
        assert!(payloads.len() > 1);
        let mut back = Vec::new();
        for p in &payloads {
            assert!(p.len() < 8000);
            match Live::decode(p) {
                Some(Live::Alarms(part)) => back.extend(part),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(back, ids);
        assert!(Live::Alarms(vec![]).encode().is_empty());
        assert_eq!(Live::decode("later-kind x"), None);
    }
}
