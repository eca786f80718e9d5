//! Ingest from an external broker (mosquitto or EMQX, docs/monitoring.md). The bridge speaks
//! MQTT 5 and subscribes to `$share/{group}/yj/+/readings` (a shared subscription: the nodes of
//! one group split the stream) or, with no group, to `yj/+/readings`, with a persistent session
//! and manual acknowledgements: a message is acknowledged to the broker only after its readings
//! are committed, so the broker keeps (and redelivers) whatever was not stored. The external
//! broker authenticates gateways and holds each to its own topic (its ACL, e.g. through
//! `/api/mqtt/auth` and `/api/mqtt/acl`); here the topic's gateway must exist and be active,
//! and its readings are held to that gateway's enterprise or region.

use crate::{IngestStats, Pending, Pipeline};
use futures_util::StreamExt;
use futures_util::stream::FuturesOrdered;
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{Packet, Publish, SubscribeReasonCode};
use rumqttc::v5::{AsyncClient, Event, MqttOptions};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use yingji_store::monitoring::gateways::{self, GatewayAuth};

#[derive(Debug, Clone)]
pub struct BridgeConfig {
    pub host: String,
    pub port: u16,
    /// Stable, so that the broker keeps the session (and unacknowledged messages) across
    /// restarts, and different on every node (the broker drops the older of two connections
    /// with one id).
    pub client_id: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The shared-subscription group of the nodes; empty: a plain subscription (every
    /// subscriber takes every message).
    pub share_group: String,
    /// How long the broker keeps the session (and queues messages for it) while this node is
    /// away, in seconds.
    pub session_expiry_s: u32,
}

impl BridgeConfig {
    /// The topic filter subscribed to.
    pub fn filter(&self) -> String {
        match self.share_group.trim() {
            "" => "yj/+/readings".into(),
            group => format!("$share/{group}/yj/+/readings"),
        }
    }
}

/// Messages received but not yet committed; beyond this the bridge stops reading.
const IN_FLIGHT: usize = 512;
/// How long a gateway lookup is trusted (a switched-off gateway stops within this time).
const GATEWAY_TTL: Duration = Duration::from_secs(30);

/// Longest wait between two connection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

fn options(cfg: &BridgeConfig) -> MqttOptions {
    let mut opts = MqttOptions::new(cfg.client_id.clone(), cfg.host.clone(), cfg.port);
    opts.set_clean_start(false)
        .set_session_expiry_interval(Some(cfg.session_expiry_s))
        .set_manual_acks(true)
        .set_keep_alive(Duration::from_secs(30))
        .set_max_packet_size(Some(512 * 1024))
        // The broker sends at most this many messages not yet acknowledged.
        .set_receive_maximum(Some(IN_FLIGHT as u16));
    if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
        opts.set_credentials(u.clone(), p.clone());
    }
    opts
}

/// Runs until the task is dropped, reconnecting after failures (waiting 1 s, then twice as
/// long each time up to 30 s, and 1 s again once connected).
pub async fn run(cfg: BridgeConfig, pipeline: Pipeline) {
    let (client, mut events) = AsyncClient::new(options(&cfg), 1024);
    // Unbounded on purpose: this loop is what sends the acknowledgements (`client.ack` only
    // queues them), so it must never wait on the writer. With a bounded channel a broker that
    // sends past our receive maximum (mosquitto 2.0 with `max_inflight_messages 0` does) filled
    // it, this loop stopped, the acknowledgements stopped, and the bridge deadlocked after about
    // 1,900 messages. What it holds is bounded by what the broker sends unacknowledged.
    let (tx, rx) = mpsc::unbounded_channel::<Publish>();
    tokio::spawn(acknowledge(client.clone(), rx, pipeline));
    let filter = cfg.filter();
    let mut backoff = Duration::from_secs(1);
    loop {
        match events.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(ack))) => {
                backoff = Duration::from_secs(1);
                tracing::info!(host = %cfg.host, port = cfg.port, client_id = %cfg.client_id,
                    session_present = ack.session_present, "connected to the external MQTT broker");
                // Subscribing again is harmless when the session kept the subscription.
                if let Err(e) = client.subscribe(filter.clone(), QoS::AtLeastOnce).await {
                    tracing::warn!(error = %e, "MQTT subscribe failed");
                }
            }
            Ok(Event::Incoming(Packet::SubAck(ack))) => {
                for code in ack.return_codes {
                    if !matches!(code, SubscribeReasonCode::Success(_)) {
                        tracing::error!(%filter, reason = ?code,
                            "the external MQTT broker refused the subscription (without shared subscriptions set mqtt.external_share_group = \"\")");
                    }
                }
            }
            Ok(Event::Incoming(Packet::Publish(p))) => {
                if tx.send(p).is_err() {
                    return;
                }
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, retry_in_s = backoff.as_secs(), "external MQTT broker connection lost; retrying");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

type Settled = (Publish, Result<(), String>);

/// Queues each message's readings and acknowledges messages in order once committed.
async fn acknowledge(
    client: AsyncClient,
    mut rx: mpsc::UnboundedReceiver<Publish>,
    pipeline: Pipeline,
) {
    let mut pending: FuturesOrdered<Pin<Box<dyn Future<Output = Settled> + Send>>> =
        FuturesOrdered::new();
    let mut known: HashMap<String, (Instant, Option<GatewayAuth>)> = HashMap::new();
    loop {
        tokio::select! {
            Some((publish, result)) = pending.next(), if !pending.is_empty() => {
                match result {
                    Ok(()) => {
                        let _ = client.ack(&publish).await;
                    }
                    // Not acknowledged: the broker redelivers it on the next connection.
                    Err(e) => tracing::warn!(topic = %String::from_utf8_lossy(&publish.topic), error = %e, "readings not stored"),
                }
            }
            received = rx.recv(), if pending.len() < IN_FLIGHT => {
                let Some(p) = received else { return };
                IngestStats::bump(&pipeline.stats.messages, 1);
                let topic = std::str::from_utf8(&p.topic).unwrap_or_default();
                let gateway = match super::gateway_of(topic) {
                    Some(code) => lookup(&pipeline, &mut known, code).await,
                    None => None,
                };
                let waiting: Option<Pending> = match &gateway {
                    Some(g) => super::take(&pipeline, g, &p.payload).await,
                    None => {
                        IngestStats::bump(&pipeline.stats.refused_topics, 1);
                        None
                    }
                };
                pending.push_back(Box::pin(async move {
                    let result = match waiting {
                        // Refused messages are acknowledged: resending would not help.
                        None => Ok(()),
                        Some(w) => match w.await {
                            Ok(Ok(_)) => Ok(()),
                            Ok(Err(e)) => Err(e),
                            Err(_) => Err("写入任务已停止".into()),
                        },
                    };
                    (p, result)
                }));
            }
        }
    }
}

async fn lookup(
    pipeline: &Pipeline,
    known: &mut HashMap<String, (Instant, Option<GatewayAuth>)>,
    code: &str,
) -> Option<GatewayAuth> {
    if let Some((at, g)) = known.get(code)
        && at.elapsed() < GATEWAY_TTL
    {
        return g.clone();
    }
    let g = gateways::by_code(&pipeline.store, code)
        .await
        .ok()
        .flatten();
    if known.len() > 10_000 {
        known.clear();
    }
    known.insert(code.to_string(), (Instant::now(), g.clone()));
    g
}
