//! `yingji bench-ingest`: issue 4's three figures, each beside a baseline from the same run.
//!
//! 1. Sustained ingest: JSON messages decoded, evaluated against thresholds and committed by
//!    the ingest pipeline on SQLite, in readings per second of CPU time (per core), beside the
//!    same readings written into PostgreSQL with plain batched INSERTs (no decoding, no rules).
//! 2. MQTT publish → PUBACK through the embedded broker at a fixed message rate. PUBACK is sent
//!    after the commit, so this is publish → reading and alarm persisted. Baseline: PINGREQ →
//!    PINGRESP on the same connections at the same rate (the broker without the database).
//! 3. Escalation timing: 10,000 open incidents whose next 叫应 step falls due over a window;
//!    how late each fires, beside tokio sleeps to the same instants (the runtime's own jitter).
//!
//! Each run uses fresh databases in a temporary directory (and a fresh PostgreSQL schema).

use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use yingji_core::kernel::clock::{Clock, SharedClock, SystemClock};
use yingji_core::kernel::role::Scope;
use yingji_ingest::mqtt::codec;
use yingji_ingest::{AlarmSink, Pipeline};
use yingji_store::monitoring::{self, SensorInput};
use yingji_store::{Actor, Sql, Store, StoreResult};

#[derive(clap::Args)]
pub struct IngestBenchArgs {
    /// Readings for the sustained-ingest figure.
    #[arg(long, default_value_t = 400_000)]
    pub readings: usize,
    /// Sensors the readings are spread over.
    #[arg(long, default_value_t = 2_000)]
    pub sensors: usize,
    /// Readings per message (a gateway's batch).
    #[arg(long, default_value_t = 100)]
    pub batch: usize,
    /// MQTT messages per second for the latency figure, and for how many seconds.
    #[arg(long, default_value_t = 20_000)]
    pub rate: usize,
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Open incidents for the escalation figure.
    #[arg(long, default_value_t = 10_000)]
    pub incidents: usize,
    /// PostgreSQL for the baseline, e.g. postgres://postgres@127.0.0.1:5432/postgres.
    #[arg(long)]
    pub baseline_database_url: Option<String>,
}

/// CPU seconds this process has used (user + system), from /proc.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[idx]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// A fresh SQLite store with `n` level sensors (H = 90, HH = 95) for one public object region.
async fn fresh_store(dir: &std::path::Path, name: &str, n: usize) -> anyhow::Result<Store> {
    let url = format!("sqlite://{}?mode=rwc", dir.join(name).display());
    let store = Store::connect(&url).await?;
    yingji_store::migrate::run(&store, SystemClock.now_ms()).await?;
    add_sensors(&store, n).await?;
    Ok(store)
}

async fn add_sensors(store: &Store, n: usize) -> anyhow::Result<()> {
    let actor = Actor::system("bench");
    let now = SystemClock.now_ms();
    for i in 0..n {
        let input = SensorInput {
            code: format!("B-{i:05}"),
            name: format!("液位{i}"),
            kind: "level".into(),
            unit: "m".into(),
            enterprise_id: None,
            major_hazard_id: None,
            region_code: Some("360403001001".into()),
            object_name: "基准测试储罐".into(),
            threshold_ll: None,
            threshold_l: None,
            threshold_h: Some("90".into()),
            threshold_hh: Some("95".into()),
            hysteresis: Some("1".into()),
            rate_limit: None,
            offline_after_s: 3600,
            lon: None,
            lat: None,
        };
        create_sensor(store, &actor, now, &input).await?;
    }
    Ok(())
}

/// Message `m` of the sustained run: `batch` readings, one per sensor in turn, at distinct
/// times; about one value in 500 is past H so rule evaluation opens and resolves incidents.
fn message(m: usize, batch: usize, sensors: usize, t0: i64, step_ms: i64) -> String {
    let items: Vec<String> = (0..batch)
        .map(|k| {
            let i = m * batch + k;
            let value = if i % 500 == 7 {
                92.5
            } else {
                40.0 + (i % 37) as f64
            };
            format!(
                r#"{{"sensor":"B-{:05}","ts":{},"value":{value}}}"#,
                i % sensors,
                t0 + (i / sensors) as i64 * step_ms
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

pub async fn run(args: IngestBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    println!("## 1. 持续写入（解码 + 规则判定 + 持久化）");
    let readings = sustained(&args, dir.path()).await?;
    if let Some(url) = &args.baseline_database_url {
        baseline_pg(url, &args, readings).await?;
    } else {
        println!("（未给出 --baseline-database-url，跳过 PostgreSQL 基线）");
    }
    println!("\n## 2. MQTT 发布 → 报警落库（PUBACK 在提交之后）");
    mqtt_latency(&args, dir.path()).await?;
    println!("\n## 3. 叫应升级定时器准时性");
    escalation(&args, dir.path()).await?;
    Ok(())
}

async fn sustained(args: &IngestBenchArgs, dir: &std::path::Path) -> anyhow::Result<f64> {
    let store = fresh_store(dir, "sustained.db", args.sensors).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    let sink = AlarmSink {
        feed: tokio::sync::broadcast::channel(16).0,
        timer_wake: Arc::default(),
    };
    let pipeline = Pipeline::start(store.clone(), clock.clone(), sink);
    let messages = args.readings.div_ceil(args.batch);
    // Live readings: stamped from half a minute ago on, a second apart (closer if there are
    // many per sensor, to stay inside the 5 minutes ahead ingest allows), so that none is late
    // for the rollups.
    let t0 = clock.now_ms() - 30_000;
    let per_sensor = (args.readings / args.sensors.max(1)).max(1) as i64;
    let step_ms = (240_000 / per_sensor).clamp(1, 1000);
    let bodies: Vec<String> = (0..messages)
        .map(|m| message(m, args.batch, args.sensors, t0, step_ms))
        .collect();
    let cpu0 = cpu_seconds();
    let start = Instant::now();
    // Four senders, as several gateways would be; the writer group-commits what queues up.
    let chunks: Vec<Vec<String>> = bodies
        .chunks(messages.div_ceil(4))
        .map(<[String]>::to_vec)
        .collect();
    let mut tasks = Vec::new();
    for chunk in chunks {
        let p = pipeline.clone();
        let now = clock.now_ms();
        tasks.push(tokio::spawn(async move {
            let mut pending = std::collections::VecDeque::new();
            let mut stored = 0usize;
            for body in chunk {
                let readings = yingji_ingest::payload::decode_message(body.as_bytes(), now)
                    .map_err(|e| anyhow::anyhow!(e.summary()))?;
                pending.push_back(p.enqueue(Scope::All, readings).await);
                // Like a gateway with an in-flight window of 64 messages.
                if pending.len() >= 64
                    && let Some(w) = pending.pop_front()
                {
                    stored += w.await?.map_err(anyhow::Error::msg)?.accepted;
                }
            }
            for w in pending {
                stored += w.await?.map_err(anyhow::Error::msg)?.accepted;
            }
            anyhow::Ok(stored)
        }));
    }
    let mut stored = 0;
    for t in tasks {
        stored += t.await??;
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let alarms = store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM alarms"))
        .await?;
    let per_cpu = stored as f64 / cpu.max(0.01);
    println!(
        "SQLite 管道：{stored} 条，墙钟 {wall:.2} 秒 = {:.0} 条/秒；CPU {cpu:.2} 秒 = {per_cpu:.0} 条/CPU秒（每核）；产生报警 {alarms} 起",
        stored as f64 / wall
    );
    store.close().await;
    Ok(per_cpu)
}

/// The same readings into PostgreSQL with plain multi-row INSERTs of 500, nothing else.
async fn baseline_pg(url: &str, args: &IngestBenchArgs, ours: f64) -> anyhow::Result<()> {
    let store = Store::connect(url).await?;
    store
        .execute(Sql::new("DROP TABLE IF EXISTS bench_readings"))
        .await?;
    store
        .execute(Sql::new(
            "CREATE TABLE bench_readings (sensor_no BIGINT NOT NULL, at_ms BIGINT NOT NULL, value BIGINT NOT NULL, quality BIGINT NOT NULL, received_ms BIGINT NOT NULL, PRIMARY KEY (sensor_no, at_ms))",
        ))
        .await?;
    let n = args.readings;
    let cpu0 = cpu_seconds();
    let start = Instant::now();
    let mut i = 0;
    while i < n {
        let end = (i + 500).min(n);
        let mut q = Sql::new(
            "INSERT INTO bench_readings (sensor_no, at_ms, value, quality, received_ms) VALUES ",
        );
        for k in i..end {
            if k > i {
                q.push(", ");
            }
            q.values(vec![
                ((k % args.sensors) as i64 + 1).into(),
                ((k / args.sensors) as i64 * 1000).into(),
                (400_000 + (k % 37) as i64 * 10_000).into(),
                0i64.into(),
                0i64.into(),
            ]);
        }
        let mut tx = store.begin().await?;
        q.execute(&mut tx).await?;
        tx.commit().await?;
        i = end;
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let rate = n as f64 / wall;
    println!(
        "PostgreSQL 基线（批量 INSERT，每批 500，无解码无规则）：{n} 条，墙钟 {wall:.2} 秒 = {rate:.0} 条/秒（本进程 CPU {cpu:.2} 秒，数据库进程另计）"
    );
    println!(
        "比值：SQLite 管道每核 {ours:.0} 条/秒 ÷ PostgreSQL 基线 {rate:.0} 条/秒 = {:.2}",
        ours / rate
    );
    store
        .execute(Sql::new("DROP TABLE IF EXISTS bench_readings"))
        .await?;
    store.close().await;
    Ok(())
}

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

async fn gateway(store: &Store, code: &str) -> anyhow::Result<String> {
    let secret = format!("bench-secret-{code}");
    use yingji_store::monitoring::gateways;
    let input = gateways::GatewayInput {
        code: code.into(),
        name: code.into(),
        enterprise_id: None,
        region_code: Some("360403001001".into()),
    };
    // In its own transaction, as yingji_app::monitoring::gateways::create runs it.
    let new = gateways::check_create(store, &Scope::All, &input).await?;
    let mut tx = store.begin().await?;
    let digest = yingji_core::kernel::secret::digest(&secret);
    gateways::create_in(
        &mut tx,
        &Actor::system("bench"),
        SystemClock.now_ms(),
        new,
        &digest,
    )
    .await?;
    tx.commit().await?;
    Ok(secret)
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
    let mut stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    stream
        .write_all(&codec::connect(
            &format!("bench-{code}-{ping}"),
            &code,
            &secret,
            60,
        ))
        .await?;
    let mut ack = [0u8; 4];
    stream.read_exact(&mut ack).await?;
    anyhow::ensure!(ack[3] == 0, "bench gateway login refused");
    let (rd, mut wr) = stream.into_split();
    let sent: Arc<Vec<std::sync::OnceLock<Instant>>> =
        Arc::new((0..per_conn).map(|_| std::sync::OnceLock::new()).collect());
    let lat = Arc::new(std::sync::Mutex::new(Vec::with_capacity(per_conn)));
    let (sent_r, lat_r) = (sent.clone(), lat.clone());
    let mut next_ping = 0usize;
    let reader = tokio::spawn(read_acks(
        rd,
        move |_kind, id| {
            // PUBACK carries the packet id; PINGRESPs come back in order.
            let i = if ping {
                let i = next_ping;
                next_ping += 1;
                i
            } else {
                usize::from(id) - 1
            };
            if let (Some(t), Ok(mut l)) = (sent_r.get(i).and_then(|c| c.get()), lat_r.lock()) {
                l.push(t.elapsed());
            }
        },
        per_conn,
    ));
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
            if ping {
                out.extend_from_slice(&[0xc0, 0]);
            } else {
                let value = if i % 1000 == 500 { 96.0 } else { 50.0 };
                let body = format!(
                    r#"{{"sensor":"B-{:05}","ts":{},"value":{value}}}"#,
                    sensor_base + i % 50,
                    now - 60_000 + i as i64
                );
                // Packet ids 1..=per_conn (per_conn stays below 65,536).
                out.extend_from_slice(&codec::publish(&topic, 1, (i + 1) as u16, body.as_bytes()));
            }
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

async fn mqtt_latency(args: &IngestBenchArgs, dir: &std::path::Path) -> anyhow::Result<()> {
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
        creds.push((code.clone(), gateway(&store, &code).await?));
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

async fn escalation(args: &IngestBenchArgs, dir: &std::path::Path) -> anyhow::Result<()> {
    let n = args.incidents;
    let store = fresh_store(dir, "escalation.db", n).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    // n incidents: every sensor crosses H once.
    let now = clock.now_ms();
    for chunk in (0..n).collect::<Vec<_>>().chunks(2000) {
        let batch: Vec<monitoring::ReadingIn> = chunk
            .iter()
            .map(|i| monitoring::ReadingIn {
                sensor: format!("B-{i:05}"),
                at_ms: now - 1000,
                value: yingji_core::monitoring::alarm::Milli4(920_000),
                quality: "good".into(),
            })
            .collect();
        monitoring::ingest(&store, &Scope::All, now, &batch).await?;
    }
    // Step 0 of each is due at once; fire them all first so only the planned steps remain.
    yingji_jobs::run_due(&store, &clock).await?;
    // Move each incident's next step to an instant spread evenly over 20 seconds from +5 s.
    let base = clock.now_ms() + 5_000;
    let ids: Vec<String> = store
        .fetch_all(Sql::new(
            "SELECT id FROM timers WHERE fired_ms IS NULL AND kind = 'alarm.escalate' ORDER BY id",
        ))
        .await?
        .iter()
        .map(|r| yingji_store::sqlx::Row::try_get::<String, _>(r, 0))
        .collect::<Result<_, _>>()?;
    let pending = ids.len();
    let mut dues = Vec::with_capacity(pending);
    let mut tx = store.begin().await?;
    for (i, id) in ids.iter().enumerate() {
        let due = base + (i as i64 * 20_000) / pending.max(1) as i64;
        dues.push(due);
        let mut u = Sql::new("UPDATE timers SET due_ms = ");
        u.bind(due).push_bind(" WHERE id = ", id.as_str());
        u.execute(&mut tx).await?;
    }
    tx.commit().await?;
    // Baseline: tokio sleeps to the same instants (the runtime's own lateness).
    let wake = Arc::new(tokio::sync::Notify::new());
    let loop_task = tokio::spawn(yingji_jobs::run(store.clone(), clock.clone(), wake));
    let base_tasks: Vec<_> = dues
        .iter()
        .map(|&due| {
            let clock = clock.clone();
            tokio::spawn(async move {
                let wait = (due - clock.now_ms()).max(0) as u64;
                tokio::time::sleep(Duration::from_millis(wait)).await;
                clock.now_ms() - due
            })
        })
        .collect();
    let mut base_late = Vec::new();
    for t in base_tasks {
        base_late.push(Duration::from_millis(t.await?.max(0) as u64));
    }
    // Wait for the loop to fire every step of the window.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut q = Sql::new(
            "SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND kind = 'alarm.escalate' AND due_ms < ",
        );
        q.bind(base + 20_000);
        if store.fetch_i64(q).await? == 0 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    loop_task.abort();
    let mut q = Sql::new(
        "SELECT fired_ms - due_ms FROM timers WHERE kind = 'alarm.escalate' AND fired_ms IS NOT NULL AND due_ms >= ",
    );
    q.bind(base).push_bind(" AND due_ms < ", base + 20_000);
    let mut late: Vec<i64> = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| yingji_store::sqlx::Row::try_get::<i64, _>(r, 0).unwrap_or(i64::MAX))
        .collect();
    late.sort();
    let pick = |p: f64| {
        late.get(((late.len() as f64 * p).ceil() as usize).clamp(1, late.len().max(1)) - 1)
            .copied()
            .unwrap_or(0)
    };
    base_late.sort();
    let early = late.iter().filter(|l| **l < 0).count();
    println!(
        "{n} 起未确认报警，{pending} 个叫应步骤在 20 秒内陆续到期：已触发 {} 个；迟到 p50 {} ms，p99 {} ms，最大 {} ms；提前触发 {early} 个",
        late.len(),
        pick(0.5),
        pick(0.99),
        pick(1.0)
    );
    println!(
        "基线 tokio 定时器（同样的到期时刻）：迟到 p50 {} ms，p99 {} ms，最大 {} ms",
        ms(percentile(&base_late, 0.5)),
        ms(percentile(&base_late, 0.99)),
        ms(percentile(&base_late, 1.0))
    );
    Ok(())
}

/// Registers a sensor in its own transaction, as yingji_app::monitoring::sensors::create_sensor
/// runs it (this crate depends on the store only).
async fn create_sensor(
    store: &Store,
    actor: &Actor,
    now: i64,
    input: &yingji_store::monitoring::SensorInput,
) -> StoreResult<String> {
    use yingji_core::kernel::role::{Role, Scope};
    let who = yingji_store::monitoring::Who {
        actor,
        scope: &Scope::All,
        role: Role::Admin,
    };
    let mut tx = store.begin().await?;
    let id = yingji_store::monitoring::save_sensor(&mut tx, store, who, now, None, input).await?;
    tx.commit().await?;
    Ok(id)
}
