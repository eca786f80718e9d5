//! `yingji bench-enforcement-stats`: issue 21's statistics figure. The demo district's directory
//! (departments, users, enterprises) and 执法 registers, then 1,000,000 inspections (a task, two
//! inspectors and a record each; a finding on every other one, 重大 on every twentieth) spread
//! over the departments and ten years, and a case for every fiftieth (half of them decided with a
//! fine) — bulk inserted with `INSERT … SELECT` over a recursive counter. Then the statistics of
//! one department for one year (`app::enforcement::stats::report`, every query the page runs), N
//! times, p50/p99 beside a baseline (`COUNT(*)` of the same inspections) measured in the same run,
//! on SQLite and, with `--compare-database-url`, on PostgreSQL (a scratch database: the demo is
//! loaded into it when empty).

use std::time::{Duration, Instant};
use yingji_core::kernel::clock::{Clock, SystemClock, today};
use yingji_core::kernel::role::{Role, Scope};
use yingji_store::enforcement::stats::{StatsQuery, count_inspections};
use yingji_store::kernel::Ctx;
use yingji_store::migrate::{MIGRATIONS, statements};
use yingji_store::{Actor, Sql, Store, Val};

#[derive(clap::Args)]
pub struct StatsBenchArgs {
    #[arg(long, default_value_t = 1_000_000)]
    pub inspections: i64,
    /// Statistics requests measured per backend.
    #[arg(long, default_value_t = 200)]
    pub runs: usize,
    /// A scratch PostgreSQL database to run the same beside SQLite.
    #[arg(long)]
    pub compare_database_url: Option<String>,
}

const YEARS: i64 = 10;
const YEAR_MS: i64 = 365 * 86_400_000;
const BATCH: i64 = 100_000;

fn admin() -> Ctx {
    Ctx {
        actor: Actor::system("bench"),
        user_id: String::new(),
        display_name: "bench".into(),
        role: Role::Admin,
        scope: Scope::All,
    }
}

async fn ids(store: &Store, sql: &str) -> anyhow::Result<Vec<(String, String)>> {
    use yingji_store::sqlx::Row;
    Ok(store
        .fetch_all(Sql::new(sql))
        .await?
        .iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect())
}

/// A scratch lookup table `name(k, id, label)` to join the counter against.
async fn lookup(store: &Store, name: &str, rows: &[(String, String)]) -> anyhow::Result<()> {
    store
        .execute(Sql::new(&format!("DROP TABLE IF EXISTS {name}")))
        .await?;
    store
        .execute(Sql::new(&format!(
            "CREATE TABLE {name} (k BIGINT PRIMARY KEY, id TEXT NOT NULL, label TEXT NOT NULL)"
        )))
        .await?;
    for (chunk_no, chunk) in rows.chunks(300).enumerate() {
        let mut q = Sql::new(&format!("INSERT INTO {name} (k, id, label) VALUES "));
        for (i, (id, label)) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.values(vec![
                Val::I64((chunk_no * 300 + i) as i64),
                id.clone().into(),
                label.clone().into(),
            ]);
        }
        store.execute(q).await?;
    }
    Ok(())
}

/// The directory, the registers and the scratch lookups; answers the departments.
pub(crate) async fn prepare(store: &Store, now: i64) -> anyhow::Result<Vec<(String, String)>> {
    yingji_store::migrate::run(store, now).await?;
    if !yingji_demo::seed::is_loaded(store).await? {
        let data = yingji_demo::generate(&crate::demo_source()?, 42, yingji_demo::Scale::Small);
        yingji_demo::seed::load(store, now, &data, "x").await?;
        yingji_demo::seed::generate_hazards(store, now, 10, 42, 0).await?;
        yingji_demo::seed::generate_enforcement(store, now).await?;
    }
    let depts = ids(store, "SELECT id, name FROM departments ORDER BY id").await?;
    lookup(store, "bench_depts", &depts).await?;
    let ents = ids(
        store,
        "SELECT id, name FROM enterprises ORDER BY id LIMIT 500",
    )
    .await?;
    lookup(store, "bench_ents", &ents).await?;
    let users = ids(store, "SELECT id, display_name FROM users ORDER BY id").await?;
    lookup(store, "bench_users", &users).await?;
    Ok(depts)
}

/// `INSERT INTO … SELECT` over a counter `n.i` from `from` to `to - 1`.
pub(crate) fn counted(insert: &str, select: &str, from: i64, to: i64) -> Sql {
    Sql::new(&format!(
        "WITH RECURSIVE n(i) AS (SELECT CAST({from} AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {}) {insert} {select}",
        to - 1
    ))
}

// Long because: the four bulk statements of one batch, side by side.
pub(crate) async fn seed(store: &Store, n: i64, now: i64, depts: usize) -> anyhow::Result<()> {
    let item = ids(store, "SELECT id, name FROM enforcement_items LIMIT 1").await?;
    let hazard = ids(store, "SELECT id, code FROM hazards LIMIT 1").await?;
    let (item, hazard) = (&item[0].0, &hazard[0].0);
    let users: i64 = store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM bench_users"))
        .await?;
    let ents: i64 = store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM bench_ents"))
        .await?;
    let start = now - YEARS * YEAR_MS;
    let step = YEARS * YEAR_MS / n;
    let joins = format!(
        "FROM n JOIN bench_depts d ON d.k = n.i % {depts} JOIN bench_ents e ON e.k = n.i % {ents}"
    );
    let mut from = 0;
    while from < n {
        let to = (from + BATCH).min(n);
        let mut tx = store.begin().await?;
        counted(
            "INSERT INTO inspection_tasks (id, department_id, item_id, draw_id, enterprise_id, enterprise_name, region_code, kind, year, status, created_ms, updated_ms)",
            &format!("SELECT 'bt' || n.i, d.id, '{item}', NULL, e.id, e.label, '360403', 'random', 2026, 'done', {start} + n.i * {step}, {start} + n.i * {step} {joins}"),
            from,
            to,
        )
        .execute(&mut tx)
        .await?;
        for offset in [0, 1] {
            counted(
                "INSERT INTO inspection_task_inspectors (task_id, user_id, user_name, cert_no)",
                &format!("SELECT 'bt' || n.i, u.id, u.label, 'C' FROM n JOIN bench_users u ON u.k = (n.i + {offset}) % {users}"),
                from,
                to,
            )
            .execute(&mut tx)
            .await?;
        }
        counted(
            "INSERT INTO inspection_records (id, task_id, department_id, enterprise_id, enterprise_name, summary, recorded_by, recorded_by_name, recorded_ms, findings, major_findings)",
            &format!("SELECT 'br' || n.i, 'bt' || n.i, d.id, e.id, e.label, '检查', u.id, u.label, {start} + n.i * {step}, CASE WHEN n.i % 2 = 0 THEN 1 ELSE 0 END, CASE WHEN n.i % 20 = 0 THEN 1 ELSE 0 END {joins} JOIN bench_users u ON u.k = n.i % {users}"),
            from,
            to,
        )
        .execute(&mut tx)
        .await?;
        counted(
            "INSERT INTO inspection_findings (id, record_id, ord, criterion_code, category, description, location, level, photo_ids, hazard_id)",
            &format!("SELECT 'bf' || n.i, 'br' || n.i, 1, NULL, 'site', '隐患', '', CASE WHEN n.i % 20 = 0 THEN 'major' ELSE 'general' END, '[]', '{hazard}' FROM n WHERE n.i % 2 = 0"),
            from,
            to,
        )
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        // PostgreSQL plans the foreign-key checks once per connection: without fresh statistics
        // they stay sequential scans of tables that were empty, and each batch gets slower.
        if store.backend == yingji_store::Backend::Postgres {
            store.execute(Sql::new("ANALYZE")).await?;
        }
        from = to;
        println!("  {to} / {n}");
    }
    month_lines(store).await?;
    cases(store, n, start, step, depts).await
}

/// The monthly lines per enterprise and per inspector, added up from the seeded records by
/// migration 0031's own statements (the application keeps them as it records each inspection).
async fn month_lines(store: &Store) -> anyhow::Result<()> {
    let m = MIGRATIONS
        .iter()
        .find(|m| m.version == 31)
        .ok_or_else(|| anyhow::anyhow!("migration 31 missing"))?;
    let sql = match store.backend {
        yingji_store::Backend::Postgres => m.postgres,
        _ => m.sqlite,
    };
    for stmt in statements(sql).into_iter().filter(|s| s.contains("INSERT")) {
        store.execute(Sql::new(&stmt)).await?;
    }
    Ok(())
}

/// A case for every fiftieth inspection, on its department, enterprise and day; every other one
/// decided with a fine.
async fn cases(store: &Store, n: i64, start: i64, step: i64, depts: usize) -> anyhow::Result<()> {
    let d = ids(store, "SELECT id, label FROM bench_depts ORDER BY k").await?;
    let e = ids(store, "SELECT id, label FROM bench_ents ORDER BY k").await?;
    let u = ids(store, "SELECT id, label FROM bench_users ORDER BY k").await?;
    let rows: Vec<i64> = (0..n).step_by(50).collect();
    for chunk in rows.chunks(200) {
        let mut tx = store.begin().await?;
        let mut q = Sql::new(
            "INSERT INTO enforcement_cases (id, department_id, enterprise_id, enterprise_name, region_code, title, source, state, filed_day, decision_due, decided_day, decided_fine, aggravated, criminal_transfer, paid, compulsory, overdue, created_by, created_ms, updated_ms) VALUES ",
        );
        let mut inv = Sql::new(
            "INSERT INTO enforcement_case_investigators (case_id, user_id, user_name) VALUES ",
        );
        for (j, &i) in chunk.iter().enumerate() {
            if j > 0 {
                q.push(", ");
                inv.push(", ");
            }
            let ms = start + i * step;
            let day = today(ms).to_string();
            let decided = i % 100 == 0;
            let (dept, ent) = (&d[i as usize % depts], &e[i as usize % e.len()]);
            q.values(vec![
                format!("bc{i}").into(),
                dept.0.clone().into(),
                ent.0.clone().into(),
                ent.1.clone().into(),
                "360403".into(),
                "案件".into(),
                "finding".into(),
                (if decided { "decided" } else { "investigating" }).into(),
                day.clone().into(),
                day.clone().into(),
                (if decided { Some(day.clone()) } else { None }).into(),
                (if decided { Some(10_000 + i) } else { None }).into(),
                Val::I64(0),
                Val::I64(0),
                Val::I64(0),
                Val::I64(0),
                Val::I64(0),
                "bench".into(),
                ms.into(),
                ms.into(),
            ]);
            for k in [0, 1] {
                if k > 0 {
                    inv.push(", ");
                }
                let p = &u[(i as usize + k) % u.len()];
                inv.values(vec![
                    format!("bc{i}").into(),
                    p.0.clone().into(),
                    p.1.clone().into(),
                ]);
            }
        }
        q.execute(&mut tx).await?;
        inv.execute(&mut tx).await?;
        tx.commit().await?;
    }
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

/// Seeds `store` and measures; prints one line per measurement.
async fn measure(label: &str, store: &Store, args: &StatsBenchArgs) -> anyhow::Result<String> {
    let now = SystemClock.now_ms();
    let depts = prepare(store, now).await?;
    let have = store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM inspection_records"))
        .await?;
    if have < args.inspections {
        println!("{label}: 生成检查记录 {} 条…", args.inspections);
        let t = Instant::now();
        seed(store, args.inspections, now, depts.len()).await?;
        println!("用时 {:.1} 秒", t.elapsed().as_secs_f64());
        store.optimize().await?;
    }
    let year = today(now - YEAR_MS).year().to_string();
    let dept = depts[0].0.clone();
    let ctx = admin();
    let today_text = today(now).to_string();
    let period = yingji_core::enforcement::stats::parse_period(Some(&year), None, 3000)
        .map_err(|e| anyhow::anyhow!(e.summary()))?;
    let q = StatsQuery {
        period,
        department_id: Some(&dept),
        today: &today_text,
    };
    let rows = count_inspections(store, &ctx, &q).await?;
    let (mut ours, mut base) = (Vec::new(), Vec::new());
    for _ in 0..args.runs {
        let t = Instant::now();
        count_inspections(store, &ctx, &q).await?;
        base.push(t.elapsed());
        let t = Instant::now();
        yingji_app::enforcement::stats::report(store, &ctx, now, Some(&year), None, Some(&dept))
            .await?;
        ours.push(t.elapsed());
    }
    ours.sort();
    base.sort();
    Ok(format!(
        "{label:<10} {:>11} {:>10} {:>9.1} {:>9.1} {:>13.1} {:>13.1}",
        args.inspections,
        rows,
        percentile(&ours, 0.5),
        percentile(&ours, 0.99),
        percentile(&base, 0.5),
        percentile(&base, 0.99),
    ))
}

pub async fn run(args: StatsBenchArgs) -> anyhow::Result<()> {
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
        "\n{:<10} {:>11} {:>10} {:>9} {:>9} {:>13} {:>13}",
        "backend", "inspections", "dept-year", "p50 ms", "p99 ms", "base p50 ms", "base p99 ms"
    );
    for l in lines {
        println!("{l}");
    }
    println!(
        "（统计：一个部门一个年度的 report()，{} 次；基线：同一范围检查记录的 COUNT(*)）",
        args.runs
    );
    Ok(())
}
