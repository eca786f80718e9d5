//! `yingji`, the only binary: serve | migrate | demo | user | audit | backup | restore | config |
//! bench.

mod backup;
mod bench;
mod bench_cap;
mod bench_census;
mod bench_city;
mod bench_city_ingest;
mod bench_credit_dossier;
mod bench_credit_rating;
mod bench_disaster_summary;
mod bench_draw;
mod bench_enforcement_stats;
mod bench_grid_events;
mod bench_ingest;
mod bench_partitions;
mod bench_pdf;
mod bench_targeting;
mod config;
mod demo_nanjing;
mod simulator;

use anyhow::Context;
use clap::{Parser, Subcommand};
use config::Config;
use std::path::PathBuf;
use std::sync::Arc;
use yingji_core::kernel::clock::{Clock, ManualClock, SharedClock, SystemClock};
use yingji_demo::{self as demo, DistrictSource, Scale};
use yingji_store::{Actor, Store, directory::users};

/// The demo district's codes and outline (九江市浔阳区), extracted by scripts/extract-demo-district.mjs.
const DEMO_DISTRICT: &str = include_str!("../../../data/demo-district/xunyang.json");
/// The demo district's base map (vector tiles), built by scripts/basemap/build.py; see
/// data/basemap/LICENSE.md for its sources and licences.
const DEMO_BASEMAP: &[u8] = include_bytes!("../../../data/basemap/demo-district.mbtiles");

#[derive(Parser)]
#[command(
    name = "yingji",
    version,
    about = "应急管理综合平台：安全生产、应急管理和防灾减灾救灾"
)]
struct Cli {
    /// Configuration file (default: ./yingji.toml if present).
    #[arg(long, global = true, env = "YINGJI_CONFIG")]
    config: Option<PathBuf>,
    /// Data directory (SQLite database, attachments).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Database URL: sqlite://… or postgres://…
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (migrates the database first).
    Serve {
        /// Listen address, e.g. 127.0.0.1:8080.
        #[arg(long)]
        listen: Option<String>,
        /// Load the demo district on first start and print the demo accounts.
        #[arg(long)]
        demo: bool,
        /// For end-to-end tests only: a clock administrators can move through
        /// POST /api/v1/test/clock. Never use in production.
        #[arg(long, hide = true)]
        test_clock: bool,
        /// With --demo: do not run the sensor simulator (browser tests want a quiet district).
        #[arg(long)]
        no_simulator: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Load the generated demo district into an empty database.
    Demo {
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// small (≈400 enterprises), city (100,000 enterprises, for benchmarks) or nanjing
        /// (PostgreSQL only: 12,000 grids, 10 million hazards, 100 million readings; issue 25).
        #[arg(long, default_value = "small")]
        scale: String,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Key ring tools (ADR 0032).
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Back up the SQLite database (online, `VACUUM INTO`; attachments are in it) and the data
    /// directory's other files into a new directory with a checksummed manifest.
    Backup {
        /// The backup directory (new, or empty).
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup into an empty data directory (--data-dir), after checking its manifest.
    Restore {
        /// The backup directory written by `yingji backup`.
        #[arg(long)]
        from: PathBuf,
    },
    /// Configuration tools.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Measure the API's latency on the configured database (see docs/benchmarks.md).
    Bench(bench::BenchArgs),
    /// Measure ingest throughput, MQTT latency and escalation timing (issue 4's figures).
    BenchIngest(bench_ingest::IngestBenchArgs),
    /// Measure CAP read + validate throughput (issue 5's figure).
    BenchCap(bench_cap::CapBenchArgs),
    /// Measure importing a census GeoJSON of 1,000,000 承灾体 (issue 23's figure).
    BenchCensus(bench_census::CensusBenchArgs),
    /// Measure targeting 1,000,000 objects against a 2,000-vertex polygon, beside PostGIS.
    BenchTargeting(bench_targeting::TargetingBenchArgs),
    /// Measure a 双随机 draw over 100,000 enterprises and 2,000 inspectors (issue 21's figure).
    BenchDraw(bench_draw::DrawBenchArgs),
    /// Measure rendering a 执法文书 as PDF (issue 21's document figure).
    BenchPdf(bench_pdf::PdfBenchArgs),
    /// Measure 执法统计 over 1,000,000 inspections on SQLite and PostgreSQL (issue 21's figure).
    BenchEnforcementStats(bench_enforcement_stats::StatsBenchArgs),
    /// 一企一档 of an enterprise with ten years of records: p50/p99 beside the plain enterprise read.
    BenchCreditDossier(bench_credit_dossier::DossierBenchArgs),
    /// Recompute every enterprise's credit rating at city scale (issue 22's figure)
    BenchCreditRating(bench_credit_rating::RatingBenchArgs),
    /// The district's 灾情 summary over ten years of reports (issue 23's figure).
    BenchDisasterSummary(bench_disaster_summary::SummaryBenchArgs),
    /// 网格事件: intake and dispatch rate, and the 督办 board over 50,000 open events.
    BenchGridEvents(bench_grid_events::GridBenchArgs),
    /// Telemetry retention on PostgreSQL: a day's partition dropped against a DELETE (issue 25).
    BenchPartitions(bench_partitions::PartitionBenchArgs),
    /// The console's main reads on the Nanjing-sized data set on one node and on two, and
    /// ingest through mosquitto by one bridge and by two (issue 25's figures)
    BenchCity(bench_city::CityBenchArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. Without --password a random one is generated and printed.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "admin")]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        enterprise: Option<String>,
        #[arg(long, env = "YINGJI_NEW_PASSWORD")]
        password: Option<String>,
    },
    /// Set a new password (the user must change it at next login; sessions end).
    Passwd {
        #[arg(long)]
        username: String,
        #[arg(long, env = "YINGJI_NEW_PASSWORD")]
        password: Option<String>,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Add a new key (audit: the audit chain's HMAC-SM3 key; data: the SM4 key of personal
    /// fields) to the key file and record the rotation in the audit log. Old keys stay.
    Rotate {
        #[arg(long, default_value = "audit")]
        kind: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain; exits 1 and names the first broken record if it is broken.
    Verify,
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print every configuration key with its default and meaning.
    Default,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Command::Config {
        command: ConfigCommand::Default,
    } = cli.command
    {
        print!("{}", config::DEFAULT_TOML);
        return std::process::ExitCode::SUCCESS;
    }
    let mut cfg = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    if let Some(d) = &cli.data_dir {
        cfg.server.data_dir = d.clone();
    }
    if let Some(u) = &cli.database_url {
        cfg.server.database_url = u.clone();
    }
    let filter = tracing_subscriber::EnvFilter::try_from_env("RUST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(&cfg.log.level));
    let json = match cfg.log.json() {
        Ok(j) => j,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    if json {
        // One object per line; the request span's request_id rides on every event in it.
        logs.json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        logs.init();
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("无法启动运行时：{e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli.command, cfg)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

pub(crate) async fn open(cfg: &Config) -> anyhow::Result<Store> {
    if cfg.server.database_url.trim().is_empty() {
        std::fs::create_dir_all(&cfg.server.data_dir)
            .with_context(|| format!("无法创建数据目录 {}", cfg.server.data_dir.display()))?;
    }
    let url = cfg.database_url();
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("无法连接数据库 {}", yingji_store::db::redact(&url)))?;
    yingji_store::migrate::run(&store, SystemClock.now_ms()).await?;
    load_keys(cfg)?;
    if let Some(until) =
        yingji_app::security::keys::seal_audit_chain(&store, SystemClock.now_ms()).await?
    {
        eprintln!("审计链已启用HMAC-SM3：前{until}条记录保留SHA-256，起点已封存");
    }
    Ok(store)
}

/// Loads the key ring (YINGJI_KEYS, else the key file, generating missing keys) and installs it.
fn load_keys(cfg: &Config) -> anyhow::Result<()> {
    let env = std::env::var("YINGJI_KEYS").ok();
    let loaded = yingji_app::security::keys::load(&cfg.key_file(), env.as_deref())
        .map_err(anyhow::Error::msg)?;
    for n in &loaded.notes {
        eprintln!("{n}");
    }
    yingji_store::kernel::keys::install(loaded.ring);
    Ok(())
}

pub fn demo_source() -> anyhow::Result<DistrictSource> {
    serde_json::from_str(DEMO_DISTRICT).context("演示区划数据损坏")
}

pub(crate) async fn load_demo(
    store: &Store,
    seed: u64,
    scale: Scale,
) -> anyhow::Result<yingji_demo::seed::Loaded> {
    let data = demo::generate(&demo_source()?, seed, scale);
    let hash = yingji_server::auth::hash_password(demo::DEMO_PASSWORD)?;
    let now = SystemClock.now_ms();
    let loaded = yingji_demo::seed::load(store, now, &data, &hash).await?;
    // Risk points and two years of hazards so that the four-colour maps and the hazard
    // dashboard have something to show; at city scale `yingji bench` generates its own hazards.
    let (risk_enterprises, hazards) = match scale {
        Scale::Small => (usize::MAX / 2, 800),
        Scale::City | Scale::Nanjing => (2000, 0),
    };
    yingji_demo::seed::generate_risk_points(store, now, seed, risk_enterprises).await?;
    yingji_demo::seed::generate_major_hazards(store, now, seed, 500).await?;
    yingji_demo::seed::generate_sensors(store, now).await?;
    yingji_demo::seed::generate_plans(store, now).await?;
    yingji_demo::resources::generate_resources(store, now, seed).await?;
    if scale == Scale::Small {
        yingji_demo::resources::generate_protected_objects(store, now, seed).await?;
    }
    // Two years of closed incidents, so that 事故统计 has a baseline year to compare with.
    if scale == Scale::Small {
        yingji_demo::seed::generate_incidents(store, now, 90, seed, false).await?;
    }
    yingji_demo::seed::generate_hazards(store, now, hazards, seed, 0).await?;
    yingji_demo::seed::generate_enforcement(store, now).await?;
    yingji_demo::seed::generate_enforcement_cases(store, now).await?;
    yingji_demo::seed::generate_credit_licences(store, now).await?;
    yingji_demo::seed::generate_credit_listings(store, now).await?;
    // 每日安全承诺: the last 7 days (some late or missing) and most of today's.
    yingji_demo::seed::generate_commitments(store, now).await?;
    yingji_demo::seed::generate_credit_duty(store, now).await?;
    // 防汛与地灾: the 三个责任人, patrol logs, an evacuation plan and its order.
    yingji_demo::seed::generate_flood(store, now).await?;
    // 灾情报送: a rainstorm process with its 初报, two 续报, 核报 and 台账.
    yingji_demo::seed::generate_disaster_reports(store, now).await?;
    // 救助: entries in two streets, a 一卡通 batch paid and one in 公示.
    yingji_demo::seed::generate_relief(store, now).await?;
    // 会商研判: a 汛前会商 on that process with two actions (one done).
    yingji_demo::seed::generate_consultations(store, now).await?;
    // 应急格、安监格 over the first two streets, the grid worker's members and patrol tasks.
    yingji_demo::seed::generate_grid_overlays(store, now).await?;
    // 网格事件: a month from every source, carried along the loop; the last three days open.
    yingji_demo::seed::generate_grid_events(store, now).await?;
    // 有奖举报: the duty officer appointed, five 随手拍 reports at every step (one to claim).
    yingji_demo::seed::generate_grid_rewards(store, now).await?;
    // A year of 双随机 inspections before the clock, for the statistics and the 一公开 page.
    if scale == Scale::Small {
        yingji_demo::seed::generate_inspection_year(store, now, seed).await?;
    }
    // 安责险: an insurer and its user, policies of the mandatory industries, a claim.
    yingji_demo::seed::generate_insurance(store, now).await?;
    // 森林防火: a forest area, levels, 野外用火 in every state, a patrol and a 火点.
    yingji_demo::seed::generate_forest(store, now).await?;
    // 信用脸谱: every enterprise rated from the record the seeds above wrote.
    yingji_demo::seed::generate_credit_ratings(store, now).await?;
    Ok(loaded)
}

// Long because: one arm per command, each a call or a short block, in the order of the help.
async fn run(command: Command, mut cfg: Config) -> anyhow::Result<std::process::ExitCode> {
    let ok = std::process::ExitCode::SUCCESS;
    match command {
        Command::Serve {
            listen,
            demo,
            test_clock,
            no_simulator,
        } => {
            if let Some(l) = listen {
                cfg.server.listen = l;
            }
            cfg.server.demo |= demo;
            serve(cfg, test_clock, !no_simulator).await?;
        }
        Command::Migrate => {
            let store = open(&cfg).await?;
            println!("数据库已是最新版本（{}）", store.backend.name());
        }
        Command::Demo { seed, scale } => {
            let scale = Scale::parse(&scale).map_err(anyhow::Error::msg)?;
            let store = open(&cfg).await?;
            if scale == Scale::Nanjing {
                // Resumable: tops an interrupted load up instead of refusing a loaded database.
                let started = std::time::Instant::now();
                demo_nanjing::load(&store).await?;
                println!("用时{:.0}秒", started.elapsed().as_secs_f64());
            } else {
                if yingji_demo::seed::is_loaded(&store).await? {
                    anyhow::bail!("数据库中已有区划数据，演示数据只能载入空数据库");
                }
                let started = std::time::Instant::now();
                let loaded = load_demo(&store, seed, scale).await?;
                println!(
                    "已载入演示区划{}个、企业{}家（种子{seed}，用时{:.1}秒）",
                    loaded.regions,
                    loaded.enterprises,
                    started.elapsed().as_secs_f64()
                );
                print_accounts(&loaded.users);
            }
        }
        Command::User { command } => user_command(&cfg, command).await?,
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let store = open(&cfg).await?;
            let ring = yingji_store::kernel::keys::ring()?;
            let report = yingji_store::kernel::audit::verify(&store, &ring).await?;
            match report.first_break {
                None => println!("审计链完整：已校验{}条记录", report.checked),
                Some(b) => {
                    println!(
                        "审计链被破坏：第{}条记录 — {}（此前{}条记录完整）",
                        b.seq, b.reason, report.checked
                    );
                    return Ok(std::process::ExitCode::FAILURE);
                }
            }
        }
        Command::Keys {
            command: KeysCommand::Rotate { kind },
        } => {
            let store = open(&cfg).await?;
            if std::env::var("YINGJI_KEYS").is_ok_and(|k| !k.trim().is_empty()) {
                anyhow::bail!(
                    "密钥取自环境变量 YINGJI_KEYS：请在密钥文件中轮换，或自行在该变量中追加新密钥"
                );
            }
            let id = yingji_app::security::keys::rotate(
                &store,
                (&cfg.key_file(), &kind),
                SystemClock.now_ms(),
                &Actor::system("命令行"),
            )
            .await?;
            println!(
                "已生成新密钥{id}并写入 {}，轮换已记入审计日志；请重新备份密钥文件，并重启各节点",
                cfg.key_file().display()
            );
        }
        Command::Backup { to } => backup::backup(&cfg, &to).await?,
        Command::Restore { from } => {
            if !backup::restore(&cfg, &from).await? {
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
        Command::Config { .. } => {}
        Command::Bench(args) => bench::run(args, &cfg).await?,
        Command::BenchCity(args) => bench_city::run(args, &cfg).await?,
        Command::BenchIngest(args) => bench_ingest::run(args).await?,
        Command::BenchCap(args) => bench_cap::run(args)?,
        Command::BenchCensus(args) => bench_census::run(args).await?,
        Command::BenchTargeting(args) => bench_targeting::run(args).await?,
        Command::BenchDraw(args) => bench_draw::run(args)?,
        Command::BenchPdf(args) => bench_pdf::run(args)?,
        Command::BenchEnforcementStats(args) => bench_enforcement_stats::run(args).await?,
        Command::BenchCreditDossier(args) => bench_credit_dossier::run(args).await?,
        Command::BenchCreditRating(args) => bench_credit_rating::run(args).await?,
        Command::BenchDisasterSummary(args) => bench_disaster_summary::run(args).await?,
        Command::BenchGridEvents(args) => bench_grid_events::run(args).await?,
        Command::BenchPartitions(args) => bench_partitions::run(args).await?,
    }
    Ok(ok)
}

pub(crate) fn print_accounts(accounts: &[(String, String)]) {
    if accounts.is_empty() {
        return;
    }
    println!("演示账号（密码均为 {}）：", demo::DEMO_PASSWORD);
    for (u, d) in accounts {
        println!("  {u:<12} {d}");
    }
}

async fn serve(mut cfg: Config, test_clock: bool, simulate: bool) -> anyhow::Result<()> {
    let store = open(&cfg).await?;
    if cfg.server.demo && cfg.map.tiles.trim().is_empty() {
        cfg.map.tiles = install_demo_basemap(&cfg.server.data_dir)?;
    }
    let manual = test_clock.then(|| Arc::new(ManualClock::new(SystemClock.now_ms())));
    let clock: SharedClock = match &manual {
        Some(m) => m.clone(),
        None => Arc::new(SystemClock),
    };
    // Nodes started together on an empty database: one loads the demo and creates the first
    // administrator, the others wait and find them there.
    let setup = yingji_store::migrate::SetupLock::acquire(&store).await?;
    let accounts = demo_accounts(&store, &cfg).await?;
    create_first_admin(&store, &clock).await?;
    create_missing_administrators(&store, &clock).await?;
    setup.release().await?;
    let sealing = store.clone();
    tokio::spawn(async move {
        match yingji_app::security::keys::seal_personal_fields(&sealing, SystemClock.now_ms(), 500)
            .await
        {
            Ok(done) => {
                for (field, n) in done.into_iter().filter(|d| d.1 > 0) {
                    tracing::info!("个人信息加密（SM4）：{field} {n}条");
                }
            }
            Err(e) => tracing::error!("个人信息加密（SM4）中断，下次启动继续：{e}"),
        }
    });
    let listener = tokio::net::TcpListener::bind(&cfg.server.listen)
        .await
        .with_context(|| format!("无法监听 {}", cfg.server.listen))?;
    let addr = listener.local_addr()?;
    let mut state = yingji_server::AppState::new(store.clone(), clock, cfg.server_config()?);
    if manual.is_some() {
        eprintln!("警告：测试时钟已启用（--test-clock），仅用于自动化测试");
    }
    state.test_clock = manual;
    state.notifier = cfg.notify.notifier_config()?;
    println!(
        "应急管理综合平台已启动：http://{addr}/  （接口文档 http://{addr}/api/docs/，数据库 {}）",
        store.backend.name()
    );
    print_accounts(&accounts);
    let broker_addr = start_mqtt(&cfg, &state).await?;
    if cfg.server.demo && simulate {
        println!("演示传感器模拟器已启动：每 5 秒上报一次监测数据，约半分钟内出现报警");
        tokio::spawn(simulator::run(state.clone(), broker_addr));
    }
    yingji_server::serve(listener, state, stop_signal()).await?;
    store.close().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM from systemd (`systemctl stop`, `restart`) or a container runtime: the node
/// then stops taking connections, lets open requests finish for a bounded while, hands its leases
/// to the other nodes and closes the database cleanly.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    eprintln!("收到停止信号：不再接受新连接，等待进行中的请求结束后退出");
}

/// Writes the built-in demo base map to `<data_dir>/basemap/` (unless the same bytes are there)
/// and answers its path, the default `map.tiles` of `serve --demo`.
fn install_demo_basemap(data_dir: &std::path::Path) -> anyhow::Result<String> {
    let dir = data_dir.join("basemap");
    let path = dir.join("demo-district.mbtiles");
    if std::fs::read(&path).ok().as_deref() != Some(DEMO_BASEMAP) {
        std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::write(&path, DEMO_BASEMAP))
            .with_context(|| format!("无法写入演示底图 {}", path.display()))?;
    }
    Ok(path.display().to_string())
}

/// In demo mode, the demo accounts to print: the district is loaded on first start, and
/// regenerated (not loaded) afterwards to name them.
async fn demo_accounts(store: &Store, cfg: &Config) -> anyhow::Result<Vec<(String, String)>> {
    if !cfg.server.demo {
        return Ok(Vec::new());
    }
    if !yingji_demo::seed::is_loaded(store).await? {
        println!("正在生成演示区划（九江市浔阳区）…");
        return Ok(load_demo(store, 42, Scale::Small).await?.users);
    }
    let data = demo::generate(&demo_source()?, 42, Scale::Small);
    Ok(data
        .users
        .iter()
        .map(|u| {
            (
                u.username.clone(),
                format!("{}（{}）", u.display_name, u.role.label()),
            )
        })
        .collect())
}

/// Without any account, an administrator `admin` with a random password that must be changed.
async fn create_first_admin(store: &Store, clock: &SharedClock) -> anyhow::Result<()> {
    if users::count(store).await? != 0 {
        return Ok(());
    }
    let password = random_password();
    let hash = yingji_server::auth::hash_password(&password)?;
    let input = users::UserInput {
        username: "admin".into(),
        display_name: "系统管理员".into(),
        phone: None,
        role: "admin".into(),
        region_code: None,
        department_id: None,
        enterprise_id: None,
        insurer_id: None,
        active: Some(true),
    };
    yingji_app::directory::users::create(
        store,
        clock.now_ms(),
        &Actor::system("setup"),
        &input,
        &hash,
        true,
    )
    .await?;
    println!("已创建初始管理员 admin，初始密码：{password}（首次登录后须修改）");
    Ok(())
}

/// 三员分立: without any 安全保密管理员 or 安全审计员 account, one is created (`secadmin`,
/// `auditor`) with a random password printed once that must be changed at first login.
async fn create_missing_administrators(store: &Store, clock: &SharedClock) -> anyhow::Result<()> {
    use yingji_core::kernel::role::Role;
    for (role, name) in [
        (Role::SecurityAdmin, "secadmin"),
        (Role::Auditor, "auditor"),
    ] {
        if users::count_with_role(store, role.as_str()).await? != 0 {
            continue;
        }
        let mut username = name.to_string();
        let mut n = 1;
        while users::by_username(store, &username).await?.is_some() {
            n += 1;
            username = format!("{name}{n}");
        }
        let password = random_password();
        let hash = yingji_server::auth::hash_password(&password)?;
        let input = users::UserInput {
            username: username.clone(),
            display_name: role.label().into(),
            phone: None,
            role: role.as_str().into(),
            region_code: None,
            department_id: None,
            enterprise_id: None,
            insurer_id: None,
            active: Some(true),
        };
        let actor = Actor::system("setup");
        yingji_app::directory::users::create(store, clock.now_ms(), &actor, &input, &hash, true)
            .await?;
        println!(
            "已创建{} {username}，初始密码：{password}（首次登录后须修改）",
            role.label()
        );
    }
    Ok(())
}

/// The embedded MQTT broker (its address, for the demo simulator) and the bridge to an external
/// one, as configured.
async fn start_mqtt(
    cfg: &Config,
    state: &yingji_server::AppState,
) -> anyhow::Result<Option<std::net::SocketAddr>> {
    let mut broker_addr = None;
    if cfg.mqtt.embedded {
        let broker = yingji_ingest::mqtt::broker::Broker::bind(
            &cfg.mqtt.listen,
            state.ingest.clone(),
            cfg.mqtt.broker_config(),
        )
        .await
        .with_context(|| format!("无法启动内置 MQTT 服务（{}）", cfg.mqtt.listen))?;
        println!(
            "内置 MQTT 服务：mqtt://{}/  （网关以网关编码和密钥登录，主题 yj/<网关编码>/readings）",
            broker.local_addr()?
        );
        broker_addr = Some(broker.local_addr()?);
        tokio::spawn(broker.run());
    }
    if let Some(bridge) = cfg.mqtt.bridge_config(&cfg.server.listen)? {
        println!(
            "从外部 MQTT 服务 {}:{} 接收监测数据",
            bridge.host, bridge.port
        );
        tokio::spawn(yingji_ingest::mqtt::bridge::run(
            bridge,
            state.ingest.clone(),
        ));
    }
    Ok(broker_addr)
}

/// A generated password that meets the policy.
fn random_password() -> String {
    format!("Yj{}9", &yingji_server::auth::random_token()[..12])
}

/// The given password, or a generated one (and true) of at least `min_length` characters from
/// all four classes, so that it passes any district policy.
fn password_or_random(password: Option<String>, min_length: i64) -> (String, bool) {
    match password {
        Some(p) => (p, false),
        None => {
            let body = format!(
                "{}{}",
                yingji_server::auth::random_token(),
                yingji_server::auth::random_token()
            );
            let n = usize::try_from(min_length.max(16) - 4).unwrap_or(12);
            (format!("Yj#{}9", &body[..n.min(body.len())]), true)
        }
    }
}

async fn user_command(cfg: &Config, command: UserCommand) -> anyhow::Result<()> {
    let store = open(cfg).await?;
    let now = SystemClock.now_ms();
    let actor = Actor::system("cli");
    // The district's password rules (ADR 0030), as for a password set in the console.
    let policy = yingji_store::security::policies::current(&store)
        .await?
        .policy;
    use yingji_core::security::policy::check_password;
    match command {
        UserCommand::Add {
            username,
            role,
            display_name,
            region,
            department,
            enterprise,
            password,
        } => {
            let (password, generated) = password_or_random(password, policy.min_length);
            check_password(&policy, &username, &password).map_err(anyhow::Error::msg)?;
            let hash = yingji_server::auth::hash_password(&password)?;
            let input = users::UserInput {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                phone: None,
                role,
                region_code: region,
                department_id: department,
                enterprise_id: enterprise,
                insurer_id: None,
                active: Some(true),
            };
            let u = yingji_app::directory::users::create(&store, now, &actor, &input, &hash, true)
                .await?;
            println!("已创建用户 {}（{}）", u.username, u.role_label);
            if generated {
                println!("初始密码：{password}（首次登录后须修改）");
            }
        }
        UserCommand::Passwd { username, password } => {
            let u = users::by_username(&store, &username)
                .await?
                .ok_or_else(|| anyhow::anyhow!("用户 {username} 不存在"))?;
            let (password, generated) = password_or_random(password, policy.min_length);
            check_password(&policy, &username, &password).map_err(anyhow::Error::msg)?;
            let hash = yingji_server::auth::hash_password(&password)?;
            yingji_app::directory::users::set_password(
                &store,
                now,
                &actor,
                &u,
                &hash,
                yingji_core::directory::user::PasswordSetter::CommandLine,
            )
            .await?;
            println!("已重置 {username} 的密码，其所有会话已失效");
            if generated {
                println!("新密码：{password}（登录后须修改）");
            }
        }
    }
    Ok(())
}
