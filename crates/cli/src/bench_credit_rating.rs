//! `yingji bench-credit-rating`: issue 22's recompute figure. The city-scale demo directory
//! (100,000 enterprises), a sample of each fact a rating reads (accidents, penalty decisions,
//! overdue 重大隐患) made by the demo's own use cases, then each sample cloned over the
//! enterprises with `INSERT … SELECT` on a recursive counter (the i-th copy of a kind belongs to
//! enterprise (i × stride + count) mod N, a stride per kind). Then every enterprise's rating recomputed (`app::credit::rating::recompute_all`:
//! facts gathered once, the pure engine, the ratings and their history written in one
//! transaction), beside a baseline measured in the same run: gathering the facts alone.

use std::time::Instant;
use yingji_core::kernel::clock::{Clock, SystemClock};
use yingji_store::{Actor, Sql, Store};

use crate::bench_credit_dossier::{Cloning, clone_rows};

#[derive(clap::Args)]
pub struct RatingBenchArgs {
    /// Accidents spread over the enterprises.
    #[arg(long, default_value_t = 20_000)]
    pub accidents: i64,
    /// Penalty decisions spread over the enterprises.
    #[arg(long, default_value_t = 30_000)]
    pub penalties: i64,
    /// Overdue 重大隐患 spread over the enterprises.
    #[arg(long, default_value_t = 20_000)]
    pub hazards: i64,
}

/// The facts' samples, made the way the platform makes them.
async fn samples(store: &Store, now: i64) -> anyhow::Result<()> {
    yingji_demo::seed::generate_incidents(store, now, 30, 42, false).await?;
    yingji_demo::seed::generate_hazards(store, now, 2_000, 42, 0).await?;
    yingji_demo::seed::generate_enforcement(store, now).await?;
    yingji_demo::seed::generate_enforcement_cases(store, now).await?;
    // A numbered enterprise list for the clones to pick from.
    store
        .execute(Sql::new(
            "CREATE TABLE bench_enterprises (k BIGINT PRIMARY KEY, id TEXT NOT NULL)",
        ))
        .await?;
    store
        .execute(Sql::new(
            "INSERT INTO bench_enterprises (k, id) SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM enterprises",
        ))
        .await?;
    Ok(())
}

pub async fn run(args: RatingBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let store = Store::connect(&url).await?;
    let now = SystemClock.now_ms();
    yingji_store::migrate::run(&store, now).await?;
    let t = Instant::now();
    let data = yingji_demo::generate(&crate::demo_source()?, 42, yingji_demo::Scale::City);
    yingji_demo::seed::load(&store, now, &data, "x").await?;
    samples(&store, now).await?;
    let n = store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM enterprises"))
        .await?;
    // Each kind strides over the enterprises differently, so the facts mix.
    let kinds = [
        (
            "incidents",
            "occurred_ms",
            "category = 'accident'",
            args.accidents,
            3,
        ),
        (
            "enforcement_cases",
            "created_ms",
            "decided_day IS NOT NULL",
            args.penalties,
            1,
        ),
        ("hazards", "reported_ms", "level = 'major'", args.hazards, 7),
    ];
    for (table, time, filter, count, stride) in kinds {
        let c = Cloning {
            table,
            time,
            filter,
            enterprise: format!(
                "(SELECT b.id FROM bench_enterprises b WHERE b.k = (n.i * {stride} + {count}) % {n})"
            ),
            n: count,
        };
        let made = clone_rows(&store, &c, now).await?;
        println!("{table}: {}", if made { count } else { 0 });
    }
    // The cloned 重大隐患 are overdue: their deadline passed a month after they were reported.
    store
        .execute(Sql::new(
            "UPDATE hazards SET overdue = 1, deadline = '2020-01-01' WHERE id LIKE 'hazards-b%'",
        ))
        .await?;
    store.optimize().await?;
    println!("企业 {n} 家；生成用时 {:.1} 秒", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut tx = store.begin().await?;
    let facts = yingji_store::credit::facts::all_in(&mut tx).await?;
    tx.rollback().await?;
    let base = t.elapsed();
    let t = Instant::now();
    let (rated, changed) =
        yingji_app::credit::rating::recompute_all(&store, &Actor::system("bench"), now).await?;
    let ours = t.elapsed();
    println!(
        "\n{:<8} {:>11} {:>13} {:>11} {:>15}",
        "backend", "enterprises", "with facts", "recompute s", "base (facts) s"
    );
    println!(
        "{:<8} {:>11} {:>13} {:>11.1} {:>15.1}",
        "SQLite",
        rated,
        facts.len(),
        ours.as_secs_f64(),
        base.as_secs_f64()
    );
    println!(
        "（全部企业信用重算 recompute_all，等级变化 {changed} 家；基线：只读取评价所需记录 facts::all_in）"
    );
    Ok(())
}
