//! Figure 2: MQTT publish → PUBACK through the embedded broker at a fixed message rate, beside
//! PINGREQ → PINGRESP on the same connections at the same rate.

use super::{IngestBenchArgs, fresh_store, ms, percentile};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use yingji_core::kernel::clock::{Clock, SharedClock, SystemClock};
use yingji_core::kernel::role::{Role, Scope};
use yingji_ingest::mqtt::codec;
use yingji_ingest::{AlarmSink, Pipeline};
use yingji_store::{Actor, Sql, Store};

/// Reads frames off a connection and hands each packet's first byte and id to `on`.
async fn read_acks(
    mut rd: tokio::net::tcp::OwnedReadHalf,
    mut on: impl FnMut(u8, u16),
    expected: usize,
) -> anyhow::Result<()> {
    let mut buf = Vec::with_capacity(1 << 16);
    let mut tmp = vec![0u8; 1 << 16];
    let mut seen = 0;
    while seen < expected {
        let k = rd.read(&mut tmp).await?;
        anyhow::ensure!(k > 0, "broker closed the connection");
        buf.extend_from_slice(&tmp[..k]);
        let mut at = 0;
        // Broker → client frames here are all 2 + 2 bytes (PUBACK) or 2 bytes (PINGRESP).
        while buf.len() - at >= 2 {
            let kind = buf[at];
            let len = usize::from(buf[at + 1]);
            if buf.len() - at < 2 + len {
                break;
            }
            let id = if len >= 2 {
                u16::from_be_bytes([buf[at + 2], buf[at + 3]])
            } else {
                0
            };
            on(kind, id);
            seen += 1;
            at += 2 + len;
        }
        buf.drain(..at);
    }
    Ok(())
}

/// Registers gateway `code` for `region` through the app's use case; answers its secret.
pub(crate) async fn gateway(store: &Store, code: &str, region: &str) -> anyhow::Result<String> {
    let secret = format!("bench-secret-{code}");
    let input = yingji_store::monitoring::gateways::GatewayInput {
        code: code.into(),
        name: code.into(),
        enterprise_id: None,
        region_code: Some(region.into()),
    };
    let digest = yingji_core::kernel::secret::digest(&secret);
    yingji_app::monitoring::gateways::create(
        store,
        &Actor::system("bench"),
        &Scope::All,
        Role::Admin,
        SystemClock.now_ms(),
        &input,
        &digest,
    )
    .await?;
    Ok(secret)
}

/// Connects and logs in as gateway `code`.
async fn login(
    addr: std::net::SocketAddr,
    code: &str,
    secret: &str,
    ping: bool,
) -> anyhow::Result<TcpStream> {
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    stream
        .write_all(&codec::connect(
            &format!("bench-{code}-{ping}"),
            code,
            secret,
            60,
        ))
        .await?;
    let mut ack = [0u8; 4];
    stream.read_exact(&mut ack).await?;
    anyhow::ensure!(ack[3] == 0, "bench gateway login refused");
    Ok(stream)
}

/// The answer handler of one connection: each answer's latency since its message was sent.
/// PUBACK carries the packet id; PINGRESPs come back in order.
fn latency_recorder(
    sent: Arc<Vec<OnceLock<Instant>>>,
    lat: Arc<Mutex<Vec<Duration>>>,
    ping: bool,
) -> impl FnMut(u8, u16) {
    let mut next_ping = 0usize;
    move |_kind, id| {
        let i = if ping {
            let i = next_ping;
            next_ping += 1;
            i
        } else {
            usize::from(id) - 1
        };
        if let (Some(t), Ok(mut l)) = (sent.get(i).and_then(|c| c.get()), lat.lock()) {
            l.push(t.elapsed());
        }
    }
}

/// Message `i` of a connection: a PINGREQ, or a PUBLISH (QoS 1, packet id `i + 1`) of one
/// reading, one in 1,000 past HH.
fn push_message(
    out: &mut Vec<u8>,
    ping: bool,
    topic: &str,
    i: usize,
    sensor_base: usize,
    now: i64,
) {
    if ping {
        out.extend_from_slice(&[0xc0, 0]);
        return;
    }
    let value = if i % 1000 == 500 { 96.0 } else { 50.0 };
    let body = format!(
        r#"{{"sensor":"B-{:05}","ts":{},"value":{value}}}"#,
        sensor_base + i % 50,
        now - 60_000 + i as i64
    );
    // Packet ids 1..=per_conn (per_conn stays below 65,536).
    out.extend_from_slice(&codec::publish(topic, 1, (i + 1) as u16, body.as_bytes()));
}

/// One connection publishing `per_conn` messages at `rate` per second; returns the latencies.
async fn publisher(
    addr: std::net::SocketAddr,
    code: String,
    secret: String,
    per_conn: usize,
    rate: f64,
    ping: bool,
    sensor_base: usize,
) -> anyhow::Result<Vec<Duration>> {
    let stream = login(addr, &code, &secret, ping).await?;
    let (rd, mut wr) = stream.into_split();
    let sent: Arc<Vec<OnceLock<Instant>>> =
        Arc::new((0..per_conn).map(|_| OnceLock::new()).collect());
    let lat = Arc::new(Mutex::new(Vec::with_capacity(per_conn)));
    let on_answer = latency_recorder(sent.clone(), lat.clone(), ping);
    let reader = tokio::spawn(read_acks(rd, on_answer, per_conn));
    let topic = format!("yj/{code}/readings");
    let start = Instant::now();
    let now = SystemClock.now_ms();
    // Each wake-up writes every message that has fallen due since the last one in one write, as
    // a gateway's TCP stream would carry them, so that the load generator's own system calls take
    // less of the machine's two cores from the broker it measures.
    let mut out = Vec::new();
    let mut i = 0;
    while i < per_conn {
        let due = start + Duration::from_secs_f64(i as f64 / rate);
        tokio::time::sleep_until(due.into()).await;
        let first = i;
        let now_due = Instant::now();
        while i < per_conn && start + Duration::from_secs_f64(i as f64 / rate) <= now_due {
            push_message(&mut out, ping, &topic, i, sensor_base, now);
            i += 1;
        }
        let at = Instant::now();
        for cell in &sent[first..i] {
            let _ = cell.set(at);
        }
        wr.write_all(&out).await?;
        out.clear();
    }
    reader.await??;
    let mut l = lat.lock().map_err(|_| anyhow::anyhow!("lock"))?;
    Ok(std::mem::take(&mut *l))
}

pub(super) async fn mqtt_latency(
    args: &IngestBenchArgs,
    dir: &std::path::Path,
) -> anyhow::Result<()> {
    const CONNECTIONS: usize = 8;
    let store = fresh_store(dir, "mqtt.db", CONNECTIONS * 50).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    let sink = AlarmSink {
        feed: tokio::sync::broadcast::channel(16).0,
        timer_wake: Arc::default(),
    };
    let pipeline = Pipeline::start(store.clone(), clock, sink);
    // As `yingji serve` does.
    let checkpoints = tokio::spawn(store.clone().checkpoint_loop(Duration::from_millis(200)));
    let cfg = yingji_ingest::mqtt::broker::BrokerConfig {
        max_inflight: 4096,
        ..Default::default()
    };
    let broker = yingji_ingest::mqtt::broker::Broker::bind("127.0.0.1:0", pipeline, cfg).await?;
    let addr = broker.local_addr()?;
    tokio::spawn(broker.run());
    let mut creds = Vec::new();
    for c in 0..CONNECTIONS {
        let code = format!("BENCH{c}");
        creds.push((code.clone(), gateway(&store, &code, "360403001001").await?));
    }
    let per_conn = (args.rate * args.seconds as usize / CONNECTIONS).min(60_000);
    let rate = args.rate as f64 / CONNECTIONS as f64;
    for ping in [true, false] {
        let mut tasks = Vec::new();
        for (c, (code, secret)) in creds.iter().enumerate() {
            tasks.push(tokio::spawn(publisher(
                addr,
                code.clone(),
                secret.clone(),
                per_conn,
                rate,
                ping,
                c * 50,
            )));
        }
        let start = Instant::now();
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await??);
        }
        let wall = start.elapsed().as_secs_f64();
        all.sort();
        let what = if ping {
            "基线 PINGREQ → PINGRESP（不经数据库）"
        } else {
            "PUBLISH(QoS 1) → PUBACK（读数与报警已提交）"
        };
        println!(
            "{what}：{} 条，{CONNECTIONS} 个连接，实际 {:.0} 条/秒；p50 {} ms，p99 {} ms，最大 {} ms",
            all.len(),
            all.len() as f64 / wall,
            ms(percentile(&all, 0.50)),
            ms(percentile(&all, 0.99)),
            ms(percentile(&all, 1.0)),
        );
    }
    let alarms = store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM alarms"))
        .await?;
    println!("（本轮产生报警 {alarms} 起）");
    checkpoints.abort();
    Ok(())
}
