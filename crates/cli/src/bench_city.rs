//! `yingji bench-city` (issue 25): the console's main reads on the Nanjing-sized data set
//! (`yingji demo --scale nanjing`) on PostgreSQL, served by one node and then by two nodes on the
//! same database (two servers, each with its own connection pool, in this process: the same two
//! cores either way), each figure beside the `/healthz` baseline of the same run; then, with
//! `--mqtt`, ingest through an external broker (mosquitto) by one node's bridge and by two
//! bridges in one shared-subscription group, with the CPU this process spent per reading.

use crate::bench::{self, Sample};
use crate::config::Config;
use std::sync::Arc;
use std::time::Duration;
use yingji_core::kernel::clock::{Clock, SharedClock, SystemClock};

#[derive(clap::Args)]
pub struct CityBenchArgs {
    /// Requests per endpoint and per layout (one node, two nodes).
    #[arg(long, default_value_t = 2000)]
    pub requests: usize,
    /// Concurrent clients (spread over the nodes).
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Sequential runs of the year's hazard dashboard.
    #[arg(long, default_value_t = 20)]
    pub dashboard_runs: usize,
    /// An external MQTT broker, host:port (mosquitto, anonymous publishing allowed), for the
    /// ingest figure; skipped when absent.
    #[arg(long)]
    pub mqtt: Option<String>,
    /// Readings published per ingest run.
    #[arg(long, default_value_t = 200_000)]
    pub readings: usize,
}

/// One node: a server on its own pool, answering requests only; the sender stops it.
struct Node {
    addr: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start_node(cfg: &Config, clock: &SharedClock) -> anyhow::Result<Node> {
    let store = crate::open(cfg).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?.to_string();
    let state = yingji_server::AppState::new(store, clock.clone(), bench::server_config(cfg)?);
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    // Requests only: the node's background loops (the offline sweep above all, which would
    // raise alarms for the loaded sensors) are not part of what is measured.
    let task = tokio::spawn(yingji_server::serve_requests(listener, state, async {
        let _ = rx.await;
    }));
    Ok(Node { addr, stop, task })
}

pub async fn run(args: CityBenchArgs, cfg: &Config) -> anyhow::Result<()> {
    let store = crate::open(cfg).await?;
    anyhow::ensure!(
        store.backend == yingji_store::Backend::Postgres,
        "bench-city 在 PostgreSQL 上运行：请用 --database-url 指定 `yingji demo --scale nanjing` 载入的数据库"
    );
    anyhow::ensure!(
        yingji_demo::seed::is_loaded(&store).await?,
        "数据库为空：请先运行 yingji demo --scale nanjing"
    );
    crate::demo_nanjing::summary(&store).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    let (admin, street) = bench::bench_tokens(&store, &clock).await?;
    let a = start_node(cfg, &clock).await?;
    let b = start_node(cfg, &clock).await?;
    let one = [a.addr.clone()];
    let two = [a.addr.clone(), b.addr.clone()];
    let last_month = {
        let d = yingji_core::kernel::clock::today(SystemClock.now_ms()).first_of_month()
            - jiff::ToSpan::days(1);
        format!("{:04}-{:02}", d.year(), d.month())
    };
    let mut endpoints: Vec<(&'static str, &str, String)> =
        bench::enterprise_endpoints(&admin, &street).into();
    endpoints.extend(bench::hazard_endpoints(&admin, &street, &last_month));
    let (r, c) = (args.requests, args.concurrency);
    println!("每项 {r} 次请求，并发 {c}：先一个节点，再两个节点");
    let mut rows = Vec::new();
    for (name, token, path) in endpoints {
        let single = bench::measure(&one, token, name, path.clone(), r, c).await?;
        let double = bench::measure(&two, token, name, path, r, c).await?;
        rows.push((single, double));
    }
    print_nodes(&rows);
    let year = yingji_core::kernel::clock::today(SystemClock.now_ms()).year();
    let path = format!("/api/v1/hazards/dashboard?year={year}");
    let runs = args.dashboard_runs.max(1);
    let dash = bench::measure(&one, &admin, "hazard dashboard", path, runs, 1).await?;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "\n隐患治理驾驶舱（{year} 年，逐个请求 {runs} 次）：p50 {:.0} ms，p99 {:.0} ms，最长 {:.0} ms（目标 < 500 ms）",
        ms(bench::percentile(&dash.latencies, 0.5)),
        ms(bench::percentile(&dash.latencies, 0.99)),
        ms(*dash.latencies.last().unwrap_or(&Duration::ZERO)),
    );
    for node in [a, b] {
        let _ = node.stop.send(());
        let _ = node.task.await;
    }
    if let Some(broker) = &args.mqtt {
        crate::bench_city_ingest::run(cfg, &store, broker, args.readings).await?;
    } else {
        println!("\n（未给出 --mqtt：跳过经 mosquitto 的接入吞吐）");
    }
    Ok(())
}

/// One line per endpoint: one node's and two nodes' p50, p99 and rate, and p99 against the
/// baseline's p99 in the same layout.
fn print_nodes(rows: &[(Sample, Sample)]) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p = |s: &Sample, q: f64| ms(bench::percentile(&s.latencies, q));
    let rate = |s: &Sample| s.latencies.len() as f64 / s.wall.as_secs_f64();
    println!("\n{:<30} {:>22}   {:>22}", "", "one node", "two nodes");
    println!(
        "{:<30} {:>7} {:>7} {:>7}   {:>7} {:>7} {:>7}",
        "endpoint", "p50 ms", "p99 ms", "req/s", "p50 ms", "p99 ms", "req/s"
    );
    for (one, two) in rows {
        println!(
            "{:<30} {:>7.1} {:>7.1} {:>7.0}   {:>7.1} {:>7.1} {:>7.0}   ({} B) {}",
            one.name,
            p(one, 0.5),
            p(one, 0.99),
            rate(one),
            p(two, 0.5),
            p(two, 0.99),
            rate(two),
            two.bytes,
            one.path
        );
    }
}
