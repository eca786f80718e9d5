//! Telemetry ingest. Readings arrive over MQTT (the embedded broker in [`mqtt::broker`], or an
//! external broker through [`mqtt::bridge`]) and over HTTP; all of them go through one
//! [`Pipeline`], whose writer commits whatever has queued up in one transaction (group commit)
//! and only then lets the senders acknowledge. A reading that was acknowledged is therefore on
//! disk, alarms included, even across `kill -9`.

pub mod mqtt;
pub mod payload;

use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, broadcast, mpsc, oneshot};
use yingji_core::kernel::clock::SharedClock;
use yingji_core::kernel::role::Scope;
use yingji_store::Store;
use yingji_store::monitoring::{self, IngestReport, ReadingIn};

/// Readings one commit takes at most; more wait for the next one.
const COMMIT_READINGS: usize = 20_000;
/// Submissions waiting for the writer before senders are held back.
const QUEUE: usize = 4096;

/// Where newly opened alarm incidents are announced: the live board's feed on every node, and
/// the timer loop (their first 叫应 step is due at once).
#[derive(Clone)]
pub struct AlarmSink {
    /// This node's feed. On PostgreSQL it is fed by the node's live listener
    /// (`yingji_store::kernel::live`), which delivers every node's alarms, this node's too.
    pub feed: broadcast::Sender<String>,
    pub timer_wake: Arc<Notify>,
}

impl AlarmSink {
    /// Announces incidents `store` has just committed: through PostgreSQL to every node, or
    /// in-process on SQLite (and if publishing fails, to this node's board at least).
    pub async fn announce(&self, store: &Store, ids: &[String]) {
        if ids.is_empty() {
            return;
        }
        self.timer_wake.notify_one();
        let msg = yingji_store::kernel::live::Live::Alarms(ids.to_vec());
        match yingji_store::kernel::live::publish(store, &msg).await {
            Ok(true) => return,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "alarms not announced to the other nodes"),
        }
        for id in ids {
            // No subscriber is fine: nobody is watching the board.
            let _ = self.feed.send(id.clone());
        }
    }
}

struct Submission {
    scope: Scope,
    readings: Vec<ReadingIn>,
    done: oneshot::Sender<Result<IngestReport, String>>,
}

/// The answer to a submission, once its commit is over: the report, or why it failed (then
/// nothing of it was stored and the sender must not acknowledge).
pub type Pending = oneshot::Receiver<Result<IngestReport, String>>;

/// Counters of what ingest took in and turned away, since the start of this node.
#[derive(Default)]
pub struct IngestStats {
    pub messages: AtomicU64,
    pub readings: AtomicU64,
    pub duplicates: AtomicU64,
    pub refused_sensors: AtomicU64,
    pub refused_topics: AtomicU64,
    pub malformed: AtomicU64,
    pub auth_failures: AtomicU64,
    pub oversize: AtomicU64,
    pub store_errors: AtomicU64,
    pub connections: AtomicU64,
    /// The last fault per gateway code, for whoever installs the gateway.
    last_errors: Mutex<HashMap<String, (i64, String)>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatsSnapshot {
    pub messages: u64,
    pub readings: u64,
    pub duplicates: u64,
    pub refused_sensors: u64,
    pub refused_topics: u64,
    pub malformed: u64,
    pub auth_failures: u64,
    pub oversize: u64,
    pub store_errors: u64,
    /// MQTT connections open now.
    pub connections: u64,
}

impl IngestStats {
    pub fn bump(counter: &AtomicU64, by: u64) {
        counter.fetch_add(by, Ordering::Relaxed);
    }

    pub fn fault(&self, gateway: &str, at_ms: i64, message: String) {
        if let Ok(mut m) = self.last_errors.lock() {
            if m.len() > 10_000 {
                m.clear();
            }
            m.insert(gateway.to_string(), (at_ms, message));
        }
    }

    pub fn last_error(&self, gateway: &str) -> Option<(i64, String)> {
        self.last_errors.lock().ok()?.get(gateway).cloned()
    }

    pub fn snapshot(&self) -> StatsSnapshot {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        StatsSnapshot {
            messages: g(&self.messages),
            readings: g(&self.readings),
            duplicates: g(&self.duplicates),
            refused_sensors: g(&self.refused_sensors),
            refused_topics: g(&self.refused_topics),
            malformed: g(&self.malformed),
            auth_failures: g(&self.auth_failures),
            oversize: g(&self.oversize),
            store_errors: g(&self.store_errors),
            connections: g(&self.connections),
        }
    }

    fn count(&self, r: &IngestReport) {
        Self::bump(&self.readings, r.accepted as u64);
        Self::bump(&self.duplicates, r.duplicates as u64);
        Self::bump(&self.refused_sensors, r.refused.len() as u64);
    }
}

/// The write side of ingest, shared by every way readings come in.
#[derive(Clone)]
pub struct Pipeline {
    queue: mpsc::Sender<Submission>,
    pub store: Store,
    pub clock: SharedClock,
    pub stats: Arc<IngestStats>,
}

impl Pipeline {
    /// Starts the writer on the current tokio runtime.
    pub fn start(store: Store, clock: SharedClock, alarms: AlarmSink) -> Self {
        let (queue, rx) = mpsc::channel(QUEUE);
        let stats = Arc::new(IngestStats::default());
        tokio::spawn(write_loop(
            store.clone(),
            clock.clone(),
            rx,
            alarms,
            stats.clone(),
        ));
        Self {
            queue,
            store,
            clock,
            stats,
        }
    }

    /// Queues readings under the sender's scope; the receiver answers after the commit.
    pub async fn enqueue(&self, scope: Scope, readings: Vec<ReadingIn>) -> Pending {
        let (done, pending) = oneshot::channel();
        let sub = Submission {
            scope,
            readings,
            done,
        };
        if let Err(mpsc::error::SendError(sub)) = self.queue.send(sub).await {
            let _ = sub.done.send(Err("写入队列已关闭".into()));
        }
        pending
    }

    /// Queues readings and waits for their commit.
    pub async fn submit(
        &self,
        scope: Scope,
        readings: Vec<ReadingIn>,
    ) -> Result<IngestReport, String> {
        self.enqueue(scope, readings)
            .await
            .await
            .unwrap_or_else(|_| Err("写入任务已停止".into()))
    }
}

async fn write_loop(
    store: Store,
    clock: SharedClock,
    mut rx: mpsc::Receiver<Submission>,
    alarms: AlarmSink,
    stats: Arc<IngestStats>,
) {
    let mut sensors = monitoring::SensorCache::default();
    while let Some(first) = rx.recv().await {
        let mut n = first.readings.len();
        let mut subs = vec![first];
        while n < COMMIT_READINGS {
            match rx.try_recv() {
                Ok(s) => {
                    n += s.readings.len();
                    subs.push(s);
                }
                Err(_) => break,
            }
        }
        let parts: Vec<(&Scope, &[ReadingIn])> = subs
            .iter()
            .map(|s| (&s.scope, s.readings.as_slice()))
            .collect();
        let result = monitoring::ingest_parts(&store, &mut sensors, clock.now_ms(), &parts).await;
        match result {
            Ok(reports) => {
                let mut opened = Vec::new();
                for (s, r) in subs.into_iter().zip(reports) {
                    stats.count(&r);
                    opened.extend(r.opened_alarm_ids.iter().cloned());
                    let _ = s.done.send(Ok(r));
                }
                // After the acknowledgements: on PostgreSQL this is one more round trip.
                alarms.announce(&store, &opened).await;
            }
            Err(e) => {
                tracing::error!(error = %e, readings = n, "ingest commit failed");
                IngestStats::bump(&stats.store_errors, 1);
                let msg = "监测数据暂时无法写入，请稍后重发".to_string();
                for s in subs {
                    let _ = s.done.send(Err(msg.clone()));
                }
            }
        }
    }
}

/// The lease of the offline sweep's rounds: one node at a time sweeps (ADR 0027); each sensor is
/// claimed besides, so an overlap opens one incident per silence.
pub const OFFLINE_LEASE: &str = "monitoring.offline_sweep";

/// Opens 离线 incidents for sensors silent past their timeout, every `every`, on the node that
/// holds the lease [`OFFLINE_LEASE`] (`node` is this node's id).
pub async fn watch_offline(
    store: Store,
    clock: SharedClock,
    alarms: AlarmSink,
    every: std::time::Duration,
    node: String,
) {
    let lease = yingji_store::kernel::leases::Lease::for_loop(OFFLINE_LEASE, &node, every);
    loop {
        tokio::time::sleep(every).await;
        if !lease.take(&store, clock.now_ms()).await {
            continue;
        }
        match monitoring::sweep_offline(&store, clock.now_ms()).await {
            Ok(ids) => alarms.announce(&store, &ids).await,
            Err(e) => tracing::warn!(error = %e, "offline sweep failed"),
        }
    }
}
