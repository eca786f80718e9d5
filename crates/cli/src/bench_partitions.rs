//! `yingji bench-partitions --database-url postgres://…/scratch [--rows N]`: issue 25's
//! retention figure on PostgreSQL. Two Asia/Shanghai days of readings 40 days back (N a day,
//! over `--sensors` sensors, generated with `generate_series`) go into their daily partitions
//! (migration 0057, made by `partitions::create`) and into a non-partitioned copy with the
//! same primary key. Then the first day is retired both ways and timed: its partition dropped
//! by `partitions::drop_rolled_up` (the roll-up check included), against a DELETE of the same
//! day in the copy (the baseline), and the former prune — a DELETE per sensor — of the second
//! day in the copy. The scratch database's telemetry is left empty.

use std::time::Instant;
use yingji_core::kernel::clock::{Clock, SystemClock};
use yingji_core::monitoring::partition::{Part, Period};
use yingji_store::monitoring::partitions::{self, READINGS};
use yingji_store::{Backend, Sql, Store};

#[derive(clap::Args)]
pub struct PartitionBenchArgs {
    /// A scratch PostgreSQL database (its readings are filled, then emptied).
    #[arg(long)]
    pub database_url: String,
    /// Readings a day (two days are loaded).
    #[arg(long, default_value_t = 5_000_000)]
    pub rows: i64,
    /// Sensors the readings are spread over.
    #[arg(long, default_value_t = 1_000)]
    pub sensors: i64,
}

const DAY_MS: i64 = 86_400_000;
const BATCH: i64 = 1_000_000;

/// N readings of `sensors` sensors spread evenly over the day `p`, into `readings`.
pub(crate) async fn load(store: &Store, p: &Part, rows: i64, sensors: i64) -> anyhow::Result<()> {
    let per_sensor = (rows + sensors - 1) / sensors;
    let step = DAY_MS / per_sensor.max(1);
    let mut from = 0;
    while from < rows {
        let to = (from + BATCH).min(rows);
        let lo = p.lo_ms;
        store
            .execute(Sql::new(&format!(
                "INSERT INTO readings (sensor_no, at_ms, value, quality, received_ms) \
                 SELECT i % {sensors} + 1, {lo} + (i / {sensors}) * {step}, (i * 7919) % 100000, 0, \
                 {lo} + (i / {sensors}) * {step} + 500 FROM generate_series({from}::BIGINT, {}::BIGINT) AS i",
                to - 1
            )))
            .await?;
        from = to;
    }
    Ok(())
}

async fn exec(store: &Store, sql: &str) -> anyhow::Result<u64> {
    Ok(store.execute(Sql::new(sql)).await?)
}

pub async fn run(args: PartitionBenchArgs) -> anyhow::Result<()> {
    let store = Store::connect(&args.database_url).await?;
    anyhow::ensure!(
        store.backend == Backend::Postgres,
        "bench-partitions needs PostgreSQL: SQLite keeps one readings table"
    );
    let now = SystemClock.now_ms();
    yingji_store::migrate::run(&store, now).await?;
    let day = Part::of(Period::Day, now - 40 * DAY_MS);
    let next = Part::of(Period::Day, day.hi_ms);
    let name = |p: &Part| format!("readings_p{}", p.suffix);
    exec(&store, "DROP TABLE IF EXISTS readings_flat").await?;
    for p in [&day, &next] {
        exec(&store, &format!("DROP TABLE IF EXISTS {}", name(p))).await?;
        partitions::create(&store, READINGS, p).await?;
    }
    exec(
        &store,
        "CREATE TABLE readings_flat (sensor_no BIGINT NOT NULL, at_ms BIGINT NOT NULL, \
         value BIGINT NOT NULL, quality BIGINT NOT NULL, received_ms BIGINT NOT NULL, \
         PRIMARY KEY (sensor_no, at_ms))",
    )
    .await?;
    let t = Instant::now();
    for p in [&day, &next] {
        load(&store, p, args.rows, args.sensors).await?;
    }
    exec(&store, "INSERT INTO readings_flat SELECT * FROM readings").await?;
    exec(&store, "VACUUM ANALYZE readings").await?;
    exec(&store, "VACUUM ANALYZE readings_flat").await?;
    println!(
        "loaded 2 days x {} readings of {} sensors, partitioned and flat, in {:.1} s",
        args.rows,
        args.sensors,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let dropped =
        partitions::drop_rolled_up(&store, READINGS, &name(&day), (day.lo_ms, day.hi_ms)).await?;
    let drop_ms = t.elapsed().as_secs_f64() * 1000.0;
    anyhow::ensure!(dropped, "the day's partition was not dropped");
    let t = Instant::now();
    let deleted = exec(
        &store,
        &format!(
            "DELETE FROM readings_flat WHERE at_ms >= {} AND at_ms < {}",
            day.lo_ms, day.hi_ms
        ),
    )
    .await?;
    let delete_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let mut per_sensor = 0;
    for no in 1..=args.sensors {
        per_sensor += exec(
            &store,
            &format!(
                "DELETE FROM readings_flat WHERE sensor_no = {no} AND at_ms < {}",
                next.hi_ms
            ),
        )
        .await?;
    }
    let per_sensor_ms = t.elapsed().as_secs_f64() * 1000.0;
    println!("| retiring one day | rows | ms |");
    println!("|---|---:|---:|");
    println!(
        "| DROP of the day's partition (roll-up check included) | {} | {drop_ms:.1} |",
        args.rows
    );
    println!(
        "| baseline: DELETE of the same day, non-partitioned copy | {deleted} | {delete_ms:.1} |"
    );
    println!(
        "| the former prune: DELETE per sensor of the next day, the copy | {per_sensor} | {per_sensor_ms:.1} |"
    );
    exec(&store, &format!("DROP TABLE IF EXISTS {}", name(&next))).await?;
    exec(&store, "DROP TABLE readings_flat").await?;
    Ok(())
}
