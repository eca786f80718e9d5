//! `yingji bench-disaster-summary`: issue 23's summary figure. Ten years of disaster processes
//! (one a day by default), each with eight reports of fifteen townships' rows, bulk inserted
//! with `INSERT … SELECT` over a recursive counter, and their summary lines (migration 0045). Then the district's summary over the ten
//! years (`app::disasters::summary::summary`, every query the page runs), N times, p50/p99
//! beside a baseline (`COUNT(*)` of the reports) measured in the same run, on SQLite and, with
//! `--compare-database-url`, on PostgreSQL (a scratch database).

use crate::bench_credit_dossier::percentile;
use crate::bench_enforcement_stats::counted;
use std::time::Instant;
use yingji_core::disasters::reports_figures::FIGURES;
use yingji_core::kernel::clock::{Clock, SystemClock, today};
use yingji_core::kernel::role::{Role, Scope};
use yingji_store::kernel::Ctx;
use yingji_store::migrate::{MIGRATIONS, statements};
use yingji_store::{Actor, Sql, Store};

#[derive(clap::Args)]
pub struct SummaryBenchArgs {
    /// Processes over the ten years.
    #[arg(long, default_value_t = 3650)]
    pub processes: i64,
    /// Summary requests measured per backend.
    #[arg(long, default_value_t = 200)]
    pub runs: usize,
    /// A scratch PostgreSQL database to run the same beside SQLite.
    #[arg(long)]
    pub compare_database_url: Option<String>,
}

const REPORTS: i64 = 8;
const TOWNSHIPS: i64 = 15;
const YEAR_MS: i64 = 365 * 86_400_000;
const BATCH: i64 = 100_000;
const KINDS: [&str; 5] = ["flood", "drought", "typhoon", "hail", "geological"];

fn admin() -> Ctx {
    Ctx {
        actor: Actor::system("bench"),
        user_id: String::new(),
        display_name: "bench".into(),
        role: Role::Admin,
        scope: Scope::All,
    }
}

async fn in_batches(store: &Store, total: i64, insert: &str, select: &str) -> anyhow::Result<()> {
    let mut from = 0;
    while from < total {
        let to = (from + BATCH).min(total);
        let mut tx = store.begin().await?;
        counted(insert, select, from, to).execute(&mut tx).await?;
        tx.commit().await?;
        from = to;
    }
    Ok(())
}

/// The figures' columns, and each one's value for counter `n.i`.
fn figures() -> (String, String) {
    let cols: Vec<&str> = FIGURES.iter().map(|d| d.key).collect();
    let vals: Vec<String> = (0..FIGURES.len())
        .map(|k| format!("(n.i * {} + {k}) % 1000", k + 7))
        .collect();
    (cols.join(", "), vals.join(", "))
}

async fn seed(store: &Store, n: i64, now: i64) -> anyhow::Result<()> {
    let start = now - 10 * YEAR_MS;
    let step = 10 * YEAR_MS / n;
    let kinds = KINDS
        .iter()
        .enumerate()
        .map(|(i, k)| format!("WHEN {i} THEN '{k}'"))
        .collect::<Vec<_>>()
        .join(" ");
    in_batches(
        store,
        n,
        "INSERT INTO disaster_processes (id, district_code, kind, subtype, name, started_ms, status, stable_ms, major, incident_id, note, next_kind, next_due_ms, overdue, suggested_level, latest_report_id, created_by_name, created_ms, updated_ms)",
        &format!(
            "SELECT 'bp' || n.i, '360403', CASE n.i % 5 {kinds} END, 'x', '过程' || n.i, {start} + n.i * {step}, 'verified', NULL, 0, NULL, NULL, NULL, NULL, 0, NULL, 'br' || (n.i * {REPORTS} + {last}), 'bench', {start} + n.i * {step}, {start} + n.i * {step} FROM n",
            last = REPORTS - 1
        ),
    )
    .await?;
    let (cols, vals) = figures();
    in_batches(
        store,
        n * REPORTS,
        &format!("INSERT INTO disaster_reports (id, process_id, seq, kind, filed_ms, filed_by, filed_by_name, due_ms, late_note, description, relief, explanation, {cols})"),
        &format!(
            "SELECT 'br' || n.i, 'bp' || (n.i / {REPORTS}), n.i % {REPORTS} + 1, 'update', {start} + (n.i / {REPORTS}) * {step} + (n.i % {REPORTS}) * 3600000, 'bench', 'bench', NULL, NULL, '灾情', NULL, NULL, {vals} FROM n"
        ),
    )
    .await?;
    in_batches(
        store,
        n * REPORTS * TOWNSHIPS,
        &format!("INSERT INTO disaster_report_rows (report_id, region_code, region_name, position, {cols})"),
        &format!(
            "SELECT 'br' || (n.i / {TOWNSHIPS}), '360403' || CAST(100 + n.i % {TOWNSHIPS} AS TEXT), '街道' || (n.i % {TOWNSHIPS}), n.i % {TOWNSHIPS}, {vals} FROM n"
        ),
    )
    .await?;
    summary_lines(store).await
}

/// The summary lines, added up from the seeded reports by migration 0045's own statements (the
/// application moves them as each report is filed).
async fn summary_lines(store: &Store) -> anyhow::Result<()> {
    let m = MIGRATIONS
        .iter()
        .find(|m| m.version == 45)
        .ok_or_else(|| anyhow::anyhow!("migration 45 missing"))?;
    let sql = match store.backend {
        yingji_store::Backend::Postgres => m.postgres,
        _ => m.sqlite,
    };
    store
        .execute(Sql::new("DELETE FROM disaster_summary_lines"))
        .await?;
    for stmt in statements(sql).into_iter().filter(|s| s.contains("INSERT")) {
        store.execute(Sql::new(&stmt)).await?;
    }
    Ok(())
}

async fn measure(label: &str, store: &Store, args: &SummaryBenchArgs) -> anyhow::Result<String> {
    let now = SystemClock.now_ms();
    yingji_store::migrate::run(store, now).await?;
    let have = store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM disaster_processes"))
        .await?;
    if have < args.processes {
        println!(
            "{label}: 生成灾害过程 {} 个（每个 {REPORTS} 次报告 × {TOWNSHIPS} 个乡镇）…",
            args.processes
        );
        let t = Instant::now();
        seed(store, args.processes, now).await?;
        println!("用时 {:.1} 秒", t.elapsed().as_secs_f64());
        store.optimize().await?;
    }
    let to = today(now).year().to_string();
    let from = (today(now).year() - 9).to_string();
    let ctx = admin();
    let count = Sql::new("SELECT COUNT(*) FROM disaster_reports");
    let lines = store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM disaster_summary_lines"))
        .await?;
    println!("{label}: 统计行 {lines} 行");
    let reports = store.fetch_i64(count.clone()).await?;
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for _ in 0..args.runs {
        let t = Instant::now();
        store.fetch_i64(count.clone()).await?;
        base.push(t.elapsed());
        let t = Instant::now();
        yingji_app::disasters::summary::summary(store, &ctx, now, Some(&from), Some(&to), None)
            .await?;
        ours.push(t.elapsed());
    }
    ours.sort();
    base.sort();
    Ok(format!(
        "{label:<10} {:>9} {:>9} {:>9.1} {:>9.1} {:>13.2} {:>13.2}",
        args.processes,
        reports,
        percentile(&ours, 0.5),
        percentile(&ours, 0.99),
        percentile(&base, 0.5),
        percentile(&base, 0.99),
    ))
}

pub async fn run(args: SummaryBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    // BENCH_SQLITE_PATH keeps the SQLite database at that path (to read its query plans).
    let path = std::env::var_os("BENCH_SQLITE_PATH")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("bench.db"));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let sqlite = Store::connect(&url).await?;
    let mut lines = vec![measure("SQLite", &sqlite, &args).await?];
    println!("{}", lines[0]);
    if let Some(pg_url) = &args.compare_database_url {
        let pg = Store::connect(pg_url).await?;
        lines.push(measure("PostgreSQL", &pg, &args).await?);
    } else {
        println!("（未给出 --compare-database-url：跳过 PostgreSQL）");
    }
    println!(
        "\n{:<10} {:>9} {:>9} {:>9} {:>9} {:>13} {:>13}",
        "backend", "processes", "reports", "p50 ms", "p99 ms", "base p50 ms", "base p99 ms"
    );
    for l in lines {
        println!("{l}");
    }
    println!(
        "（汇总：十年全区灾情统计 summary()，{} 次；基线：灾情报告的 COUNT(*)）",
        args.runs
    );
    Ok(())
}
