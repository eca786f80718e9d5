//! `yingji bench-credit-dossier`: issue 22's dossier figure. The demo district (its directory,
//! hazards, incidents, 执法 registers and cases), then ten years of records of one enterprise
//! among the others — hazards, inspection records, alarms, incidents, cases and licences, cloned
//! from demo rows with `INSERT … SELECT` over a recursive counter. Then the dossier of that
//! enterprise (`app::credit::dossier::dossier`, every section loader) N times, p50/p99 beside a
//! baseline (the plain enterprise read, `enterprises::get`) measured in the same run.

use std::time::{Duration, Instant};
use yingji_core::kernel::clock::{Clock, SystemClock};
use yingji_core::kernel::role::{Role, Scope};
use yingji_store::kernel::Ctx;
use yingji_store::{Actor, Sql, Store};

#[derive(clap::Args)]
pub struct DossierBenchArgs {
    /// Records of each kind for the measured enterprise, spread over ten years.
    #[arg(long, default_value_t = 5_000)]
    pub records: i64,
    /// Dossier reads measured.
    #[arg(long, default_value_t = 200)]
    pub runs: usize,
}

const YEAR_MS: i64 = 365 * 86_400_000;

fn admin() -> Ctx {
    Ctx {
        actor: Actor::system("bench"),
        user_id: String::new(),
        display_name: "bench".into(),
        role: Role::Admin,
        scope: Scope::All,
    }
}

/// What `clone_rows` copies: one row of `table` matching `filter`, `n` times, for the enterprise
/// the SQL expression `enterprise` names (it may read the counter `n.i`).
pub(crate) struct Cloning<'a> {
    pub table: &'a str,
    pub time: &'a str,
    pub filter: &'a str,
    pub enterprise: String,
    pub n: i64,
}

/// Copies one row `n` times, with ids (and codes) made unique and the time column spread over
/// ten years before `now`; false when the table has no row to copy.
pub(crate) async fn clone_rows(store: &Store, c: &Cloning<'_>, now: i64) -> anyhow::Result<bool> {
    use yingji_store::sqlx::{Column, Row};
    let (table, time) = (c.table, c.time);
    let sample = format!("SELECT * FROM {table} WHERE {} LIMIT 1", c.filter);
    let rows = store.fetch_all(Sql::new(&sample)).await?;
    let Some(row) = rows.first() else {
        return Ok(false);
    };
    let step = 10 * YEAR_MS / c.n.max(1);
    let cols: Vec<String> = row.columns().iter().map(|c| c.name().to_string()).collect();
    let select: Vec<String> = cols
        .iter()
        .map(|col| match col.as_str() {
            "id" => format!("'{table}-b' || CAST(n.i AS TEXT)"),
            "code" => format!("'B{table}-' || CAST(n.i AS TEXT)"),
            "enterprise_id" => c.enterprise.clone(),
            // A record per task (inspection_records_task_key): the cloned tasks, one each.
            "task_id" if table == "inspection_records" => {
                "'inspection_tasks-b' || CAST(n.i AS TEXT)".to_string()
            }
            col if col == time => format!("{} - n.i * {step}", now - 1000),
            col => format!("t.{col}"),
        })
        .collect();
    let sql = format!(
        "WITH RECURSIVE n(i) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {}) \
         INSERT INTO {table} ({}) SELECT {} FROM n, ({sample}) t",
        c.n - 1,
        cols.join(", "),
        select.join(", ")
    );
    store.execute(Sql::new(&sql)).await?;
    Ok(true)
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

/// The dossier and the baseline, `runs` times each, sorted.
async fn measure(
    store: &Store,
    enterprise: &str,
    runs: usize,
    now_ms: i64,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    let ctx = admin();
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        yingji_store::directory::enterprises::get(store, &ctx.scope, enterprise).await?;
        base.push(t.elapsed());
        let t = Instant::now();
        yingji_app::credit::dossier::dossier(store, &ctx, now_ms, enterprise).await?;
        ours.push(t.elapsed());
    }
    ours.sort();
    base.sort();
    Ok((ours, base))
}

pub async fn run(args: DossierBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let store = Store::connect(&url).await?;
    let now = SystemClock.now_ms();
    yingji_store::migrate::run(&store, now).await?;
    let data = yingji_demo::generate(&crate::demo_source()?, 42, yingji_demo::Scale::Small);
    yingji_demo::seed::load(&store, now, &data, "x").await?;
    yingji_demo::seed::generate_hazards(&store, now, 2_000, 42, 0).await?;
    yingji_demo::seed::generate_incidents(&store, now, 90, 42, false).await?;
    yingji_demo::seed::generate_enforcement(&store, now).await?;
    yingji_demo::seed::generate_enforcement_cases(&store, now).await?;
    yingji_demo::seed::generate_inspection_year(&store, now, 42).await?;
    yingji_demo::seed::generate_credit_licences(&store, now).await?;
    let enterprise = store
        .fetch_all(Sql::new("SELECT id FROM enterprises ORDER BY id LIMIT 1"))
        .await?
        .first()
        .map(|r| yingji_store::sqlx::Row::get::<String, _>(r, 0))
        .ok_or_else(|| anyhow::anyhow!("no enterprise"))?;
    let t = Instant::now();
    let kinds = [
        ("hazards", "reported_ms"),
        ("inspection_tasks", "created_ms"),
        ("inspection_records", "recorded_ms"),
        ("alarms", "opened_ms"),
        ("incidents", "occurred_ms"),
        ("enforcement_cases", "created_ms"),
        ("credit_licences", "created_ms"),
    ];
    for (table, time) in kinds {
        let c = Cloning {
            table,
            time,
            filter: "1 = 1",
            enterprise: format!("'{enterprise}'"),
            n: args.records,
        };
        let made = clone_rows(&store, &c, now).await?;
        println!(
            "{table}: {}",
            if made {
                args.records.to_string()
            } else {
                "（无样本行，跳过）".into()
            }
        );
    }
    println!("生成用时 {:.1} 秒", t.elapsed().as_secs_f64());
    store.optimize().await?;
    let (ours, base) = measure(&store, &enterprise, args.runs, now).await?;
    sections_apart(&store, &enterprise, args.runs).await?;
    println!(
        "\n{:<8} {:>8} {:>9} {:>9} {:>13} {:>13}",
        "backend", "records", "p50 ms", "p99 ms", "base p50 ms", "base p99 ms"
    );
    println!(
        "{:<8} {:>8} {:>9.1} {:>9.1} {:>13.2} {:>13.2}",
        "SQLite",
        args.records,
        percentile(&ours, 0.5),
        percentile(&ours, 0.99),
        percentile(&base, 0.5),
        percentile(&base, 0.99)
    );
    println!(
        "（一企一档：dossier() {} 次，每类记录 {} 条跨十年；基线：同一企业的 enterprises::get）",
        args.runs, args.records
    );
    Ok(())
}

/// Each section's loader alone, p50/p99 ms: where the dossier's time goes.
async fn sections_apart(store: &Store, id: &str, runs: usize) -> anyhow::Result<()> {
    use yingji_store::credit::{dossier as d, licences};
    let mut times: Vec<(&str, Vec<Duration>)> = Vec::new();
    macro_rules! time {
        ($name:literal, $call:expr) => {{
            let mut v = Vec::with_capacity(runs);
            for _ in 0..runs {
                let t = Instant::now();
                $call.await?;
                v.push(t.elapsed());
            }
            v.sort();
            times.push(($name, v));
        }};
    }
    time!("licences", licences::of_enterprise(store, id, 100));
    time!("risk_points", d::risk_points(store, id));
    time!("hazards", d::hazards(store, id));
    time!("installations", d::installations(store, id));
    time!("alarms", d::alarms(store, id));
    time!("inspections", d::inspections(store, id));
    time!("cases", d::cases(store, id));
    time!("incidents", d::incidents(store, id));
    for (name, v) in times {
        println!(
            "  {name:<14} p50 {:>7.2} ms  p99 {:>7.2} ms",
            percentile(&v, 0.5),
            percentile(&v, 0.99)
        );
    }
    Ok(())
}
