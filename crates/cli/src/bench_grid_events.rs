//! `yingji bench-grid-events`: issue 24's figures. (1) Intake and dispatch: N events filed one
//! after the other through the use case's own steps (check against the catalogue and the region,
//! the dispatch decision, one transaction writing the row, its timeline line, the audit record
//! and the 督办 timer), events/s beside a baseline of as many one-row transactions in the same
//! run. (2) The 督办 board over 50,000 open events (bulk inserted): p50/p99 beside a `COUNT(*)`
//! baseline. SQLite, and PostgreSQL with `--compare-database-url` (a scratch database).

use crate::bench_credit_dossier::percentile;
use crate::bench_enforcement_stats::counted;
use std::time::Instant;
use yingji_core::grid::events::{EventInput, Source, filed_summary};
use yingji_core::kernel::clock::{Clock, SystemClock};
use yingji_core::kernel::role::{Role, Scope};
use yingji_store::grid::events_writes::NewEvent;
use yingji_store::kernel::Ctx;
use yingji_store::{Actor, Sql, Store};

#[derive(clap::Args)]
pub struct GridBenchArgs {
    /// Events filed one by one (intake and dispatch).
    #[arg(long, default_value_t = 2000)]
    pub events: usize,
    /// Open events on the board.
    #[arg(long, default_value_t = 50_000)]
    pub open: i64,
    /// Board requests measured per backend.
    #[arg(long, default_value_t = 200)]
    pub runs: usize,
    #[arg(long)]
    pub compare_database_url: Option<String>,
}

fn admin() -> Ctx {
    Ctx {
        actor: Actor::system("bench"),
        user_id: String::new(),
        display_name: "bench".into(),
        role: Role::Admin,
        scope: Scope::All,
    }
}

/// Files `n` events through the use case's steps; answers events/s.
async fn intake(store: &Store, n: usize) -> anyhow::Result<f64> {
    let cats = [
        "gas",
        "fire_safety",
        "city_operation",
        "production_hazard",
        "natural_hazard",
    ];
    let actor = Actor::system("bench");
    let t = Instant::now();
    for i in 0..n {
        let input = EventInput {
            category: cats[i % cats.len()].into(),
            description: format!("压测事件 {i}"),
            lon: Some(115.99),
            lat: Some(29.71),
            region_code: "360403001001".into(),
            ..EventInput::default()
        };
        let (checked, config, district) =
            yingji_app::grid::events::check(store, None, &input, false).await?;
        let decided = yingji_app::grid::events::decide(store, &config, &checked).await?;
        let new = NewEvent {
            source: Source::Duty,
            checked: &checked,
            district_code: &district,
            reporter_user_id: None,
            tracking_code: None,
            external: None,
            opinion: None,
            attachments: &[],
            summary: filed_summary(Source::Duty, &checked.category, &checked.title),
        };
        let now = SystemClock.now_ms();
        let mut tx = store.begin().await?;
        yingji_app::grid::events::record_in(&mut tx, &actor, now, &new, &config, decided.as_ref())
            .await?;
        tx.commit().await?;
    }
    Ok(n as f64 / t.elapsed().as_secs_f64())
}

/// As many one-row transactions: the floor of any per-event write.
async fn baseline(store: &Store, n: usize) -> anyhow::Result<f64> {
    store
        .execute(Sql::new(
            "CREATE TABLE IF NOT EXISTS bench_rows (id TEXT PRIMARY KEY, at BIGINT NOT NULL)",
        ))
        .await?;
    let t = Instant::now();
    for i in 0..n {
        let mut tx = store.begin().await?;
        let mut q = Sql::new("INSERT INTO bench_rows (id, at) VALUES ");
        q.values(vec![
            format!("b{i}-{}", SystemClock.now_ms()).into(),
            (i as i64).into(),
        ]);
        q.execute(&mut tx).await?;
        tx.commit().await?;
    }
    Ok(n as f64 / t.elapsed().as_secs_f64())
}

/// Open events over the streets' units, every step and card.
async fn seed_open(store: &Store, n: i64, now: i64) -> anyhow::Result<()> {
    let mut from = 0;
    while from < n {
        let to = (from + 50_000).min(n);
        let mut tx = store.begin().await?;
        counted(
            "INSERT INTO grid_events (id, code, district_code, region_code, street_code, source, category, title, description, lon, lat, status, unit_kind, unit_id, unit_name, dispatched_ms, accept_due_ms, handle_due_ms, feedback_due_ms, card, reopened, created_ms, updated_ms)",
            &format!("SELECT 'bg' || n.i, 'BG' || n.i, '360403', '360403001001', '36040300' || CAST(1 + n.i % 6 AS TEXT), 'grid', 'gas', '压测', '压测', 115.99, 29.71, CASE n.i % 4 WHEN 0 THEN 'dispatched' WHEN 1 THEN 'accepted' WHEN 2 THEN 'handled' ELSE 'answered' END, 'street', '36040300' || CAST(1 + n.i % 6 AS TEXT), '街道' || CAST(n.i % 6 AS TEXT), {now} - n.i * 1000, {now}, {now}, {now}, CASE n.i % 7 WHEN 0 THEN 'red' WHEN 1 THEN 'yellow' WHEN 2 THEN 'remind' ELSE '' END, 0, {now} - n.i * 1000, {now} - n.i * 1000 FROM n"),
            from,
            to,
        )
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        from = to;
    }
    Ok(())
}

async fn measure(label: &str, store: &Store, args: &GridBenchArgs) -> anyhow::Result<String> {
    let now = SystemClock.now_ms();
    yingji_store::migrate::run(store, now).await?;
    if store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM regions"))
        .await?
        == 0
    {
        crate::load_demo(store, 42, yingji_demo::Scale::Small).await?;
    }
    let base_rate = baseline(store, args.events).await?;
    let rate = intake(store, args.events).await?;
    println!(
        "{label}: 受理并分拨 {} 件：{rate:.0} 件/秒（基线 单行事务 {base_rate:.0} 次/秒）",
        args.events
    );
    store
        .execute(Sql::new("DELETE FROM grid_events WHERE id LIKE 'bg%'"))
        .await?;
    seed_open(store, args.open, now).await?;
    store.optimize().await?;
    let ctx = admin();
    let count = Sql::new("SELECT COUNT(*) FROM grid_events");
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for _ in 0..args.runs {
        let t = Instant::now();
        store.fetch_i64(count.clone()).await?;
        base.push(t.elapsed());
        let t = Instant::now();
        yingji_store::grid::events_board::board(store, &ctx, 100).await?;
        ours.push(t.elapsed());
    }
    ours.sort();
    base.sort();
    Ok(format!(
        "{label:<10} {:>8.0} {:>8.0} {:>8} {:>9.1} {:>9.1} {:>12.2} {:>12.2}",
        rate,
        base_rate,
        args.open,
        percentile(&ours, 0.5),
        percentile(&ours, 0.99),
        percentile(&base, 0.5),
        percentile(&base, 0.99),
    ))
}

pub async fn run(args: GridBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let sqlite = Store::connect(&url).await?;
    let mut lines = vec![measure("SQLite", &sqlite, &args).await?];
    if let Some(pg_url) = &args.compare_database_url {
        let pg = Store::connect(pg_url).await?;
        lines.push(measure("PostgreSQL", &pg, &args).await?);
    } else {
        println!("（未给出 --compare-database-url：跳过 PostgreSQL）");
    }
    println!(
        "\n{:<10} {:>8} {:>8} {:>8} {:>9} {:>9} {:>12} {:>12}",
        "backend", "事件/秒", "基线/秒", "在办", "看板p50", "看板p99", "基线p50 ms", "基线p99 ms"
    );
    for l in lines {
        println!("{l}");
    }
    println!("\n目标：受理并分拨 ≥ 100 件/秒（SQLite）；在办 50,000 件时督办看板 p99 < 50 ms。");
    Ok(())
}
