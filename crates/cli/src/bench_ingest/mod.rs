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

mod escalation;
pub(crate) mod mqtt;

use escalation::escalation;
use mqtt::mqtt_latency;
use std::sync::Arc;
use std::time::{Duration, Instant};
use yingji_app::monitoring::sensors;
use yingji_core::kernel::clock::{Clock, SharedClock, SystemClock};
use yingji_core::kernel::role::{Role, Scope};
use yingji_ingest::{AlarmSink, Pipeline};
use yingji_store::monitoring::SensorInput;
use yingji_store::{Actor, Sql, Store};

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
pub(crate) fn cpu_seconds() -> f64 {
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
        sensors::create_sensor(store, &actor, &Scope::All, Role::Admin, now, &input).await?;
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
