//! `yingji bench`: latency of the filtered enterprise list and the map-layer endpoint under
//! concurrent keep-alive load over loopback, next to a baseline measured in the same run
//! (`/healthz`: same server, same connections, no database work beyond `SELECT 1`).
//!
//! The load generator is a minimal HTTP/1.1 client on raw TCP so that the figures measure the
//! server, not a client library. Results are recorded in docs/benchmarks.md.

use crate::config::Config;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use yingji_core::kernel::clock::{Clock, SharedClock, SystemClock};
use yingji_demo::Scale;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Requests per endpoint.
    #[arg(long, default_value_t = 2000)]
    pub requests: usize,
    /// Concurrent connections.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Load the city-scale demo (100,000 enterprises) first if the database is empty.
    #[arg(long, default_value = "city")]
    pub scale: String,
    /// Generate hazards first until the database holds this many (issue 3's 1,000,000).
    #[arg(long, default_value_t = 1_000_000)]
    pub hazards: usize,
    /// Record incidents first until the database holds this many (issue 6's 10,000).
    #[arg(long, default_value_t = 10_000)]
    pub incidents: usize,
    /// Resources (teams, experts, stock lines, shelters) until the database holds this many
    /// (issue 6's 100,000).
    #[arg(long, default_value_t = 100_000)]
    pub resources: usize,
    /// Then run the same measurements against this second database (PostgreSQL beside SQLite).
    #[arg(long)]
    pub compare_database_url: Option<String>,
}

pub(crate) struct Sample {
    pub name: &'static str,
    pub path: String,
    pub latencies: Vec<Duration>,
    pub bytes: usize,
    pub wall: Duration,
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let idx = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[idx]
}

/// One keep-alive connection sending `n` GETs one after another.
async fn worker(
    addr: String,
    path: String,
    token: String,
    n: usize,
) -> anyhow::Result<(Vec<Duration>, usize)> {
    let mut stream = TcpStream::connect(&addr).await?;
    stream.set_nodelay(true)?;
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nConnection: keep-alive\r\n\r\n"
    );
    let mut buf = vec![0u8; 1 << 16];
    let mut lat = Vec::with_capacity(n);
    let mut last_len = 0;
    for _ in 0..n {
        let t = Instant::now();
        stream.write_all(req.as_bytes()).await?;
        let mut acc: Vec<u8> = Vec::new();
        let (head_end, content_len) = loop {
            let k = stream.read(&mut buf).await?;
            anyhow::ensure!(k > 0, "connection closed");
            acc.extend_from_slice(&buf[..k]);
            if let Some(pos) = acc.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&acc[..pos]).to_ascii_lowercase();
                anyhow::ensure!(
                    head.starts_with("http/1.1 200"),
                    "unexpected response: {}",
                    head.lines().next().unwrap_or("")
                );
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(0);
                break (pos + 4, len);
            }
        };
        while acc.len() < head_end + content_len {
            let k = stream.read(&mut buf).await?;
            anyhow::ensure!(k > 0, "connection closed");
            acc.extend_from_slice(&buf[..k]);
        }
        lat.push(t.elapsed());
        last_len = content_len;
    }
    Ok((lat, last_len))
}

/// `requests` GETs of `path` over `concurrency` keep-alive connections, spread round-robin over
/// the nodes at `addrs` (one node, or several behind no proxy: each client keeps to one node).
pub(crate) async fn measure(
    addrs: &[String],
    token: &str,
    name: &'static str,
    path: String,
    requests: usize,
    concurrency: usize,
) -> anyhow::Result<Sample> {
    // Warm-up: statement caches, page cache.
    for addr in addrs {
        worker(addr.clone(), path.clone(), token.to_string(), 20).await?;
    }
    let per = requests.div_ceil(concurrency);
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|i| {
            tokio::spawn(worker(
                addrs[i % addrs.len()].clone(),
                path.clone(),
                token.to_string(),
                per,
            ))
        })
        .collect();
    let mut latencies = Vec::with_capacity(requests);
    let mut bytes = 0;
    for t in tasks {
        let (l, b) = t.await??;
        latencies.extend(l);
        bytes = b;
    }
    let wall = start.elapsed();
    latencies.sort();
    eprintln!("  {name}: {:.1} 秒", wall.as_secs_f64());
    Ok(Sample {
        name,
        path,
        latencies,
        bytes,
        wall,
    })
}

/// The node's configuration for a bench: as configured, but with the second factor not
/// enforced — the bench's API tokens belong to the demo administrator, who has none, and the
/// bench measures reads, not sign-in.
pub fn server_config(cfg: &Config) -> anyhow::Result<yingji_server::ServerConfig> {
    let mut sc = cfg.server_config()?;
    sc.second_factor_enforced = false;
    Ok(sc)
}

pub async fn run(args: BenchArgs, cfg: &Config) -> anyhow::Result<()> {
    bench_database(&args, cfg).await?;
    if let Some(url) = &args.compare_database_url {
        let mut other = cfg.clone();
        other.server.database_url = url.clone();
        println!();
        bench_database(&args, &other).await?;
    }
    Ok(())
}

async fn bench_database(args: &BenchArgs, cfg: &Config) -> anyhow::Result<()> {
    let scale = Scale::parse(&args.scale).map_err(anyhow::Error::msg)?;
    let store = crate::open(cfg).await?;
    let totals = top_up(args, &store, scale).await?;
    let centre = district_centre(&store).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    let (admin_token, street_token) = bench_tokens(&store, &clock).await?;
    let total = store
        .fetch_i64(yingji_store::Sql::new("SELECT COUNT(*) FROM enterprises"))
        .await?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let nodes = [listener.local_addr()?.to_string()];
    let state = yingji_server::AppState::new(store.clone(), clock, server_config(cfg)?);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(yingji_server::serve(listener, state, async {
        let _ = rx.await;
    }));

    let (r, c) = (args.requests, args.concurrency);
    println!(
        "数据库 {}，企业 {} 家，隐患 {} 条，突发事件 {} 起，应急资源 {} 条，每项 {} 次请求，并发 {}",
        store.backend.name(),
        total,
        totals.hazards,
        totals.incidents,
        totals.resources,
        r,
        c
    );
    let mut samples = Vec::new();
    for (name, token, path) in enterprise_endpoints(&admin_token, &street_token) {
        samples.push(measure(&nodes, token, name, path, r, c).await?);
    }
    // Issue 3: statistics for last month and filtered hazard lists at 1,000,000 hazards.
    let last_month = {
        let d = yingji_core::kernel::clock::today(SystemClock.now_ms()).first_of_month()
            - jiff::ToSpan::days(1);
        format!("{:04}-{:02}", d.year(), d.month())
    };
    let hazard_endpoints = hazard_endpoints(&admin_token, &street_token, &last_month);
    if totals.hazards > 0 {
        for (name, token, path) in hazard_endpoints {
            samples.push(measure(&nodes, token, name, path, r, c).await?);
        }
    }
    // Issue 6: the incident dashboard (open incidents with their deadlines) and the history.
    let incident_endpoints = incident_endpoints(&last_month);
    if totals.incidents > 0 {
        for (name, path) in incident_endpoints {
            samples.push(measure(&nodes, &admin_token, name, path, r, c).await?);
        }
    }

    // Issue 6: resource search around a point, nearest first, at 100,000 resources.
    let resource_endpoints = resource_endpoints(centre);
    if totals.resources > 0 {
        for (name, path) in resource_endpoints {
            samples.push(measure(&nodes, &admin_token, name, path, r, c).await?);
        }
    }

    print_table(&samples);
    let _ = tx.send(());
    let _ = server.await;
    Ok(())
}

/// How many hazards, incidents and resources the database holds once topped up.
struct Totals {
    hazards: i64,
    incidents: i64,
    resources: i64,
}

/// Loads the demo if the database is empty, then generates hazards, incidents and resources
/// until it holds as many as asked (topping up a database an interrupted run left short).
async fn top_up(
    args: &BenchArgs,
    store: &yingji_store::Store,
    scale: Scale,
) -> anyhow::Result<Totals> {
    if !yingji_demo::seed::is_loaded(store).await? {
        let t = Instant::now();
        println!("载入演示数据（{}）…", args.scale);
        let loaded = crate::load_demo(store, 42, scale).await?;
        println!(
            "已载入企业{}家，用时{:.1}秒",
            loaded.enterprises,
            t.elapsed().as_secs_f64()
        );
    }
    let hazards_sql = yingji_store::Sql::new("SELECT COUNT(*) FROM hazards");
    let existing = store.fetch_i64(hazards_sql.clone()).await? as usize;
    if args.hazards > existing {
        // Tops up a database that an interrupted run left short.
        let t = Instant::now();
        let missing = args.hazards - existing;
        println!("生成隐患 {missing} 条…");
        let n =
            yingji_demo::seed::generate_hazards(store, SystemClock.now_ms(), missing, 42, existing)
                .await?;
        println!("已生成隐患{}条，用时{:.1}秒", n, t.elapsed().as_secs_f64());
    }
    let hazards = store.fetch_i64(hazards_sql).await?;
    let incidents_sql = yingji_store::Sql::new("SELECT COUNT(*) FROM incidents");
    let existing = store.fetch_i64(incidents_sql.clone()).await? as usize;
    if args.incidents > existing {
        let t = Instant::now();
        let missing = args.incidents - existing;
        println!("登记突发事件 {missing} 起…");
        yingji_demo::seed::generate_incidents(
            store,
            SystemClock.now_ms(),
            missing,
            42 + existing as u64,
            true,
        )
        .await?;
        println!("用时{:.1}秒", t.elapsed().as_secs_f64());
    }
    let incidents = store.fetch_i64(incidents_sql).await?;
    let resources_sql = yingji_store::Sql::new(
        "SELECT (SELECT COUNT(*) FROM teams) + (SELECT COUNT(*) FROM experts) + (SELECT COUNT(*) FROM stock) + (SELECT COUNT(*) FROM shelters)",
    );
    let existing = store.fetch_i64(resources_sql.clone()).await? as usize;
    if args.resources > existing {
        let t = Instant::now();
        let missing = args.resources - existing;
        println!("生成应急资源 {missing} 条…");
        yingji_demo::resources::generate_bench_resources(
            store,
            SystemClock.now_ms(),
            missing,
            42 + existing as u64,
        )
        .await?;
        println!("用时{:.1}秒", t.elapsed().as_secs_f64());
    }
    let resources = store.fetch_i64(resources_sql).await?;
    Ok(Totals {
        hazards,
        incidents,
        resources,
    })
}

/// The district's centre (lon, lat), where the resource searches look around.
async fn district_centre(store: &yingji_store::Store) -> anyhow::Result<(f64, f64)> {
    Ok(store
        .fetch_optional(yingji_store::Sql::new(
            "SELECT center_lon, center_lat FROM regions WHERE level = 'district' ORDER BY code LIMIT 1",
        ))
        .await?
        .map(|r| {
            use yingji_store::sqlx::Row;
            (r.try_get::<f64, _>(0).unwrap_or(116.0), r.try_get::<f64, _>(1).unwrap_or(29.7))
        })
        .unwrap_or((116.0, 29.7)))
}

/// API tokens for the demo `admin` and `street` accounts (admin's again when there is no
/// `street`).
pub(crate) async fn bench_tokens(
    store: &yingji_store::Store,
    clock: &SharedClock,
) -> anyhow::Result<(String, String)> {
    let admin = yingji_store::directory::users::by_username(store, "admin")
        .await?
        .ok_or_else(|| anyhow::anyhow!("缺少 admin 用户"))?;
    let street = yingji_store::directory::users::by_username(store, "street").await?;
    let mk_token = |user: yingji_store::directory::users::User| {
        let store = store.clone();
        let now = clock.now_ms();
        async move {
            let token = format!("yj_{}", yingji_server::auth::random_token());
            let limits = yingji_core::directory::token::limits(now, Some(1), false, &[])
                .map_err(|(_, m)| anyhow::anyhow!(m))?;
            yingji_app::directory::tokens::create_token(
                &store,
                now,
                &user,
                "bench",
                &limits,
                &yingji_server::auth::digest(&token),
                None,
            )
            .await?;
            Ok::<_, anyhow::Error>(token)
        }
    };
    let admin_token = mk_token(admin).await?;
    let street_token = match street {
        Some(u) => mk_token(u).await?,
        None => admin_token.clone(),
    };
    Ok((admin_token, street_token))
}

/// The baseline, then the enterprise list and the map layer: (name, token, path).
pub(crate) fn enterprise_endpoints<'a>(
    admin_token: &'a str,
    street_token: &'a str,
) -> [(&'static str, &'a str, String); 5] {
    let list = "/api/v1/enterprises?category=industry_trade&region=360403001&sort=name&order=asc&page=3&page_size=20";
    [
        ("baseline /healthz", admin_token, "/healthz".into()),
        ("filtered list (admin)", admin_token, list.into()),
        (
            "filtered list (street scope)",
            street_token,
            "/api/v1/enterprises?q=%E5%8C%96%E5%B7%A5&flag=major_hazard&page_size=20".into(),
        ),
        (
            "map layer, district view",
            admin_token,
            "/api/v1/map/enterprises?bbox=115.85,29.55,116.15,29.85&zoom=11".into(),
        ),
        (
            "map layer, street view",
            admin_token,
            "/api/v1/map/enterprises?bbox=115.955,29.690,115.985,29.710&zoom=15".into(),
        ),
    ]
}

/// Hazard statistics and filtered lists: (name, token, path).
pub(crate) fn hazard_endpoints<'a>(
    admin_token: &'a str,
    street_token: &'a str,
    last_month: &str,
) -> [(&'static str, &'a str, String); 5] {
    [
        (
            "hazard stats, month",
            admin_token,
            format!("/api/v1/hazards/stats?month={last_month}&region=360403"),
        ),
        (
            "hazard list, open major",
            admin_token,
            "/api/v1/hazards?status=open&level=major&page=2&page_size=20".to_string(),
        ),
        (
            "hazard list, street+month",
            admin_token,
            format!(
                "/api/v1/hazards?region=360403001&month={last_month}&source=self_check&page_size=20"
            ),
        ),
        (
            "hazard list (street scope)",
            street_token,
            "/api/v1/hazards?status=rectifying&overdue=true&page=3&page_size=20".to_string(),
        ),
        (
            "hazard dashboard, year",
            admin_token,
            "/api/v1/hazards/dashboard".to_string(),
        ),
    ]
}

/// The incident dashboard and history, asked as admin: (name, path).
fn incident_endpoints(last_month: &str) -> [(&'static str, String); 3] {
    [
        (
            "incident dashboard, open",
            "/api/v1/incidents?status=open&page_size=20".to_string(),
        ),
        (
            "incident list, month+grade",
            format!("/api/v1/incidents?month={last_month}&severity=general&page_size=20"),
        ),
        (
            "incident list, all, page 50",
            "/api/v1/incidents?page=50&page_size=20".to_string(),
        ),
    ]
}

/// Resource searches around the district's centre, asked as admin: (name, path).
fn resource_endpoints((lon, lat): (f64, f64)) -> [(&'static str, String); 4] {
    [
        (
            "search, nearest teams",
            format!("/api/v1/resources/search?kind=team&lon={lon:.5}&lat={lat:.5}&limit=10"),
        ),
        (
            "search, 10 km boats >= 5",
            format!(
                "/api/v1/resources/search?kind=material&lon={lon:.5}&lat={lat:.5}&need=10%20km%20%E5%86%85%20%E5%86%B2%E9%94%8B%E8%88%9F%20%E2%89%A5%205"
            ),
        ),
        (
            "search, experts by specialty",
            format!(
                "/api/v1/resources/search?kind=expert&lon={lon:.5}&lat={lat:.5}&need=%E7%87%83%E6%B0%94"
            ),
        ),
        (
            "search, shelters for 500",
            format!(
                "/api/v1/resources/search?kind=shelter&lon={lon:.5}&lat={lat:.5}&min_qty=500&radius_km=20"
            ),
        ),
    ]
}

/// The results table: percentiles, throughput and the ratio to the baseline (the first sample).
pub(crate) fn print_table(samples: &[Sample]) {
    let base_p50 = percentile(&samples[0].latencies, 0.50);
    println!(
        "\n{:<30} {:>9} {:>9} {:>9} {:>9} {:>10} {:>9}",
        "endpoint", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s", "vs base"
    );
    for s in samples {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let p50 = percentile(&s.latencies, 0.50);
        println!(
            "{:<30} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>10.0} {:>8.1}x   ({} B) {}",
            s.name,
            ms(p50),
            ms(percentile(&s.latencies, 0.95)),
            ms(percentile(&s.latencies, 0.99)),
            ms(*s.latencies.last().unwrap_or(&Duration::ZERO)),
            s.latencies.len() as f64 / s.wall.as_secs_f64(),
            p50.as_secs_f64() / base_p50.as_secs_f64().max(1e-9),
            s.bytes,
            s.path
        );
    }
}
