//! The ingest figure of `yingji bench-city` (issue 25): readings published to an external broker
//! (mosquitto) at QoS 1 as fast as it takes them, in messages of 100 readings of a gateway for
//! the whole district, and stored by one node's bridge, then by two bridges in one MQTT 5 shared
//! subscription group, each with its own pipeline and connection pool (two nodes in this
//! process). The figure is readings committed per second from the first publish to the last
//! commit, and the CPU this process spent per 1,000 readings (publisher included, the same in
//! both runs; the broker's and PostgreSQL's CPU are other processes).

use crate::bench_ingest::{cpu_seconds, mqtt::gateway};
use crate::config::Config;
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::Packet;
use rumqttc::v5::{AsyncClient, Event, MqttOptions};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use yingji_core::kernel::clock::{SharedClock, SystemClock};
use yingji_ingest::mqtt::bridge::{self, BridgeConfig};
use yingji_ingest::{AlarmSink, Pipeline};
use yingji_store::Store;

const BATCH: usize = 100;
/// No new reading stored for this long after the last PUBACK: the broker dropped some.
const STALL: Duration = Duration::from_secs(15);

/// What one run measured.
struct Figure {
    nodes: usize,
    readings: u64,
    wall: Duration,
    cpu_s: f64,
    split: Vec<u64>,
}

/// The run's fixed parts.
struct Setup<'a> {
    cfg: &'a Config,
    host: String,
    port: u16,
    gateway: String,
    sensors: Vec<(String, String)>,
    readings: usize,
}

pub async fn run(cfg: &Config, store: &Store, broker: &str, readings: usize) -> anyhow::Result<()> {
    let (host, port) = broker
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.to_string(), p.parse::<u16>().ok()?)))
        .ok_or_else(|| anyhow::anyhow!("--mqtt 应为 主机:端口，例如 127.0.0.1:1883"))?;
    let code = format!("NJ-BENCH-{}", std::process::id());
    gateway(store, &code, "360403").await?;
    let setup = Setup {
        cfg,
        host,
        port,
        gateway: code,
        sensors: quiet_sensors(store).await?,
        readings: readings.div_ceil(BATCH) * BATCH,
    };
    anyhow::ensure!(setup.sensors.len() >= BATCH, "传感器不足 {BATCH} 个");
    println!(
        "\n经 {broker} 接入：{} 条读数，每条消息 {BATCH} 条，{} 个传感器",
        setup.readings,
        setup.sensors.len()
    );
    let mut figures = Vec::new();
    for nodes in [1, 2] {
        figures.push(ingest(&setup, nodes).await?);
    }
    print(&figures);
    Ok(())
}

/// Up to 2,000 sensors of the district with no active alarm, each with a value between its
/// thresholds (a steady reading raises nothing).
async fn quiet_sensors(store: &Store) -> anyhow::Result<Vec<(String, String)>> {
    let rows = store
        .fetch_all(yingji_store::Sql::new(
            "SELECT code, COALESCE((COALESCE(l, ll) + COALESCE(h, hh)) / 2, COALESCE(l, ll) + 10000, \
             COALESCE(h, hh) - 10000, 0) FROM sensors \
             WHERE active_levels IN ('', '[]') AND status <> 'disabled' ORDER BY no LIMIT 2000",
        ))
        .await?;
    use yingji_store::sqlx::Row;
    rows.iter()
        .map(|r| {
            let milli4: i64 = r.try_get(1)?;
            Ok((
                r.try_get::<String, _>(0)?,
                format!("{:.4}", milli4 as f64 / 1e4),
            ))
        })
        .collect()
}

/// One run with `nodes` bridges; readings stamped `nodes` hours back so that runs never collide.
async fn ingest(s: &Setup<'_>, nodes: usize) -> anyhow::Result<Figure> {
    let clock: SharedClock = Arc::new(SystemClock);
    let pid = std::process::id();
    let mut pipelines = Vec::new();
    let mut bridges = Vec::new();
    for k in 0..nodes {
        let store = crate::open(s.cfg).await?;
        let sink = AlarmSink {
            feed: tokio::sync::broadcast::channel(64).0,
            timer_wake: Default::default(),
        };
        let p = Pipeline::start(store, clock.clone(), sink);
        let cfg = BridgeConfig {
            host: s.host.clone(),
            port: s.port,
            client_id: format!("yingji-bench-{pid}-{nodes}-{k}"),
            username: None,
            password: None,
            share_group: format!("njbench{pid}n{nodes}"),
            session_expiry_s: 60,
        };
        bridges.push(tokio::spawn(bridge::run(cfg, p.clone())));
        pipelines.push(p);
    }
    // The bridges connect and subscribe.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let stored = |ps: &[Pipeline]| -> u64 { ps.iter().map(|p| p.stats.snapshot().readings).sum() };
    let before = stored(&pipelines);
    let t0 = clock.now_ms() - nodes as i64 * 3_600_000;
    let (cpu0, started) = (cpu_seconds(), Instant::now());
    publish(s, t0, nodes).await?;
    let want = before + s.readings as u64;
    let mut progress = (stored(&pipelines), Instant::now());
    while stored(&pipelines) < want {
        let now = stored(&pipelines);
        if now != progress.0 {
            progress = (now, Instant::now());
        }
        // Everything was acknowledged by the broker, so readings that stop arriving were dropped
        // on the way to the subscribers: say so instead of waiting.
        let seen = |f: fn(&yingji_ingest::StatsSnapshot) -> u64| -> u64 {
            pipelines.iter().map(|p| f(&p.stats.snapshot())).sum()
        };
        anyhow::ensure!(
            progress.1.elapsed() < STALL,
            "MQTT 代理已确认全部 {} 条读数，但 {} 秒内没有新的读数存入，已存 {} 条：代理可能丢弃了为订阅者排队的 QoS 1 消息（mosquitto 默认 max_queued_messages 为 1000，请按 docs/deployment.md 调高），或订阅端已停止接收（收到消息 {} 条，重复读数 {} 条，拒收传感器读数 {} 条，格式错误 {} 条，写入失败 {} 次）",
            s.readings,
            STALL.as_secs(),
            now - before,
            seen(|x| x.messages),
            seen(|x| x.duplicates),
            seen(|x| x.refused_sensors),
            seen(|x| x.malformed),
            seen(|x| x.store_errors)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (wall, cpu_s) = (started.elapsed(), cpu_seconds() - cpu0);
    for b in bridges {
        b.abort();
    }
    Ok(Figure {
        nodes,
        readings: stored(&pipelines) - before,
        wall,
        cpu_s,
        split: pipelines
            .iter()
            .map(|p| p.stats.snapshot().readings)
            .collect(),
    })
}

/// Publishes the run's messages at QoS 1 and waits for the broker's PUBACKs.
async fn publish(s: &Setup<'_>, t0: i64, nodes: usize) -> anyhow::Result<()> {
    let id = format!("nj-bench-gw-{}-{nodes}", std::process::id());
    let mut opts = MqttOptions::new(id, s.host.clone(), s.port);
    opts.set_keep_alive(Duration::from_secs(30))
        .set_max_packet_size(Some(512 * 1024));
    let (client, mut events) = AsyncClient::new(opts, 1000);
    let messages = s.readings / BATCH;
    let acked = Arc::new(AtomicUsize::new(0));
    let counter = acked.clone();
    let poll = tokio::spawn(async move {
        while counter.load(Ordering::Relaxed) < messages {
            match events.poll().await {
                Ok(Event::Incoming(Packet::PubAck(_))) => {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
                Ok(_) => {}
                Err(e) => return Err(anyhow::anyhow!("mosquitto: {e}")),
            }
        }
        Ok(())
    });
    let topic = format!("yj/{}/readings", s.gateway);
    let groups = s.sensors.len() / BATCH;
    for m in 0..messages {
        let group = &s.sensors[(m % groups) * BATCH..(m % groups + 1) * BATCH];
        let ts = t0 + m as i64;
        let body: Vec<serde_json::Value> = group
            .iter()
            .map(|(code, value)| serde_json::json!({"sensor": code, "ts": ts, "value": value}))
            .collect();
        // The client's queue is only drained by its event loop: a loop that ended (refused,
        // disconnected) would leave this publish waiting forever, so say why instead.
        if poll.is_finished() {
            poll.await??;
            anyhow::bail!("MQTT 客户端在发送完之前已断开");
        }
        let send = client.publish(&topic, QoS::AtLeastOnce, false, serde_json::to_vec(&body)?);
        tokio::time::timeout(Duration::from_secs(30), send)
            .await
            .map_err(|_| anyhow::anyhow!("mosquitto 30 秒内未接收消息（第 {} 条）", m + 1))??;
    }
    poll.await??;
    let _ = client.disconnect().await;
    Ok(())
}

fn print(figures: &[Figure]) {
    println!(
        "\n{:<6} {:>10} {:>8} {:>12} {:>16}  split",
        "nodes", "readings", "s", "readings/s", "CPU ms/1000"
    );
    let base = figures
        .first()
        .map(|f| f.readings as f64 / f.wall.as_secs_f64())
        .unwrap_or(1.0);
    for f in figures {
        let rate = f.readings as f64 / f.wall.as_secs_f64();
        println!(
            "{:<6} {:>10} {:>8.1} {:>12.0} {:>16.1}  {:?}  ({:.2}x one node)",
            f.nodes,
            f.readings,
            f.wall.as_secs_f64(),
            rate,
            f.cpu_s * 1e6 / f.readings.max(1) as f64,
            f.split,
            rate / base
        );
    }
}
