//! `yingji demo --scale nanjing` (issue 25 item 7): a data set with the proportions of 南京's
//! platform on PostgreSQL — 12,000 grids, 55,000 users, 100,000 enterprises, 10,000,000 hazards
//! and inspections over ten years (8,000,000 hazards, 2,000,000 inspections), 20,000 sensors with
//! a year of rollups and 100,000,000 raw readings in their daily partitions.
//!
//! The demo district is generated at `Scale::Nanjing` (98 grids a community, the city's 100,000
//! enterprises) by the usual loader; the rest is bulk SQL (`INSERT … SELECT` over
//! `generate_series`), because the use cases write about a thousand hazards a second and ten
//! million would take hours. Each step counts what is there first and only adds what is missing,
//! so an interrupted load is finished by running it again. See docs/benchmarks.md.

use std::time::Instant;
use yingji_core::kernel::clock::{Clock, SystemClock};
use yingji_core::monitoring::partition::{Part, Period};
use yingji_store::db::Backend;
use yingji_store::monitoring::partitions::{self, READINGS, ROLLUPS};
use yingji_store::{Sql, Store};

pub const USERS: i64 = 55_000;
pub const HAZARDS: i64 = 8_000_000;
pub const INSPECTIONS: i64 = 2_000_000;
pub const SENSORS: i64 = 20_000;
pub const RAW_READINGS: i64 = 100_000_000;
/// Days of raw readings (the default `raw_retention_days`).
const RAW_DAYS: i64 = 30;
/// One rollup row per sensor every this many minutes over the last year (see the module doc of
/// `rollups`).
const ROLLUP_EVERY_MIN: i64 = 720;
/// Hazards written by the demo's own generator; the rest are copies of them moved in time.
const HAZARD_BASE: i64 = 100_000;
const DAY_MS: i64 = 86_400_000;
const YEAR_MS: i64 = 365 * DAY_MS;

async fn count(store: &Store, sql: &str) -> anyhow::Result<i64> {
    Ok(store.fetch_i64(Sql::new(sql)).await?)
}

async fn exec(store: &Store, sql: &str) -> anyhow::Result<u64> {
    Ok(store.execute(Sql::new(sql)).await?)
}

fn step(label: &str, t: Instant, added: i64) {
    println!(
        "  {label}：新增 {added} 条，用时 {:.1} 秒",
        t.elapsed().as_secs_f64()
    );
}

/// Loads the district at `Scale::Nanjing` into an empty database, then tops every table up to
/// the Nanjing proportions.
pub async fn load(store: &Store) -> anyhow::Result<()> {
    anyhow::ensure!(
        store.backend == Backend::Postgres,
        "南京规模的数据集只用于 PostgreSQL（1 亿条原始读数）：请用 --database-url postgres://… 指定数据库"
    );
    if !yingji_demo::seed::is_loaded(store).await? {
        let t = Instant::now();
        println!("载入演示区划（南京规模：每个社区 98 个网格，企业 100,000 家）…");
        let loaded = crate::load_demo(store, 42, yingji_demo::Scale::Nanjing).await?;
        println!(
            "  区划 {} 个、企业 {} 家，用时 {:.1} 秒",
            loaded.regions,
            loaded.enterprises,
            t.elapsed().as_secs_f64()
        );
        crate::print_accounts(&loaded.users);
    }
    let now = SystemClock.now_ms();
    users(store, now).await?;
    hazards(store, now).await?;
    inspections(store, now).await?;
    sensors(store, now).await?;
    rollups(store, now).await?;
    readings(store, now).await?;
    println!("统计信息（ANALYZE）…");
    exec(store, "ANALYZE").await?;
    summary(store).await
}

/// Prints what the database holds against the Nanjing proportions.
pub async fn summary(store: &Store) -> anyhow::Result<()> {
    let rows = [
        ("网格", "SELECT COUNT(*) FROM regions WHERE level = 'grid'"),
        ("用户", "SELECT COUNT(*) FROM users"),
        ("企业", "SELECT COUNT(*) FROM enterprises"),
        ("隐患", "SELECT COUNT(*) FROM hazards"),
        ("检查记录", "SELECT COUNT(*) FROM inspection_records"),
        ("传感器", "SELECT COUNT(*) FROM sensors"),
        ("分钟汇总", "SELECT COUNT(*) FROM reading_rollups"),
        ("原始读数", "SELECT COUNT(*) FROM readings"),
    ];
    println!("南京规模数据集：");
    for (label, sql) in rows {
        println!("  {label:<6} {:>12}", count(store, sql).await?);
    }
    let size = count(store, "SELECT pg_database_size(current_database())").await?;
    println!("  数据库大小 {:.1} GB", size as f64 / 1e9);
    Ok(())
}

/// Users up to 55,000: grid workers (three a grid), enterprise safety officers and community
/// staff, all with the demo password.
async fn users(store: &Store, now: i64) -> anyhow::Result<()> {
    let have = count(store, "SELECT COUNT(*) FROM users").await?;
    if have >= USERS {
        return Ok(());
    }
    let t = Instant::now();
    let hash = store
        .fetch_optional(Sql::new(
            "SELECT password_hash FROM users WHERE username = 'admin'",
        ))
        .await?
        .map(|r| {
            use yingji_store::sqlx::Row;
            r.try_get::<String, _>(0)
        })
        .transpose()?
        .ok_or_else(|| anyhow::anyhow!("缺少 admin 用户"))?;
    let missing = USERS - have;
    let grid_workers = missing * 7 / 10;
    let officers = missing * 2 / 10;
    let staff = missing - grid_workers - officers;
    let cols = "id, username, display_name, password_hash, role, region_code, enterprise_id, \
                active, must_change_password, failed_logins, created_ms, updated_ms";
    let batches = [
        (
            "grid_worker",
            "网格员",
            grid_workers,
            "regions WHERE level = 'grid'",
            "code",
        ),
        (
            "enterprise_user",
            "企业安全员",
            officers,
            "enterprises",
            "id",
        ),
        (
            "street_staff",
            "社区工作人员",
            staff,
            "regions WHERE level = 'community'",
            "code",
        ),
    ];
    let mut from = have;
    for (role, label, n, source, key) in batches {
        let (region, enterprise) = if role == "enterprise_user" {
            ("NULL", "s.key")
        } else {
            ("s.key", "NULL")
        };
        exec(
            store,
            &format!(
                "INSERT INTO users ({cols}) SELECT 'nj-u' || i, 'nj' || i, '{label}' || i, '{hash}', \
                 '{role}', {region}, {enterprise}, 1, 0, 0, {now}, {now} \
                 FROM generate_series({from}::BIGINT, {}::BIGINT) AS i \
                 JOIN (SELECT {key} AS key, row_number() OVER (ORDER BY {key}) - 1 AS k FROM {source}) s \
                 ON s.k = i % (SELECT COUNT(*) FROM {source})",
                from + n - 1
            ),
        )
        .await?;
        from += n;
    }
    step("用户", t, missing);
    Ok(())
}

/// The columns of a table in order, for copying rows with some of them replaced.
async fn columns(store: &Store, table: &str) -> anyhow::Result<Vec<String>> {
    let mut q = Sql::new(
        "SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ",
    );
    q.bind(table).push(" ORDER BY ordinal_position");
    let rows = store.fetch_all(q).await?;
    use yingji_store::sqlx::Row;
    Ok(rows
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<_, _>>()?)
}

/// `INSERT INTO table (cols) SELECT <col or its replacement> FROM source`.
fn copy_sql(table: &str, cols: &[String], replace: &[(&str, String)], source: &str) -> String {
    let select: Vec<String> = cols
        .iter()
        .map(|c| {
            replace
                .iter()
                .find(|(name, _)| name == c)
                .map_or_else(|| format!("h.{c}"), |(_, expr)| expr.clone())
        })
        .collect();
    format!(
        "INSERT INTO {table} ({}) SELECT {} FROM {source}",
        cols.join(", "),
        select.join(", ")
    )
}

/// Hazards up to 8,000,000 over ten years: the demo generator writes 100,000 over the last two
/// years; copy `g` of them is moved back `(g % 5) * 2` years, and a copy moved back is closed
/// (an old hazard still open would be a data error, not a load).
// Long because: the replaced columns of a copy, one per line, read as the list they are.
async fn hazards(store: &Store, now: i64) -> anyhow::Result<()> {
    let base_sql = "SELECT COUNT(*) FROM hazards WHERE id NOT LIKE 'njc%'";
    let base = count(store, base_sql).await?;
    if base < HAZARD_BASE {
        let t = Instant::now();
        let missing = (HAZARD_BASE - base) as usize;
        println!("生成隐患 {missing} 条（演示生成器）…");
        yingji_demo::seed::generate_hazards(store, now, missing, 42, base as usize).await?;
        step("隐患", t, missing as i64);
    }
    let base = count(store, base_sql).await?;
    let cols = columns(store, "hazards").await?;
    let copies = (HAZARDS - base + base.max(1) - 1) / base.max(1);
    let t = Instant::now();
    let mut added = 0;
    for g in 1..=copies {
        let prefix = format!("njc{g}-");
        let done = count(
            store,
            &format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM hazards WHERE id LIKE '{prefix}%' LIMIT 1) x"
            ),
        )
        .await?;
        if done > 0 {
            continue;
        }
        let shift = (g % 5) * 2 * YEAR_MS;
        let days = (g % 5) * 2 * 365;
        let old = shift > 0;
        let status = if old {
            "CASE WHEN h.status IN ('closed', 'dismissed') THEN h.status ELSE 'closed' END".into()
        } else {
            "h.status".into()
        };
        let closed = if old {
            format!("COALESCE(h.closed_ms, h.reported_ms + 20 * {DAY_MS}) - {shift}")
        } else {
            format!("h.closed_ms - {shift}")
        };
        let replace = [
            ("id", format!("'{prefix}' || h.id")),
            ("code", format!("'{prefix}' || h.code")),
            ("tracking_code", format!("'{prefix}' || h.tracking_code")),
            ("status", status),
            ("overdue", if old { "0".into() } else { "h.overdue".into() }),
            (
                "deadline",
                format!("to_char(CAST(h.deadline AS DATE) - {days}, 'YYYY-MM-DD')"),
            ),
            ("reported_ms", format!("h.reported_ms - {shift}")),
            (
                "reported_month",
                format!(
                    "to_char(to_timestamp((h.reported_ms - {shift}) / 1000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')"
                ),
            ),
            ("graded_ms", format!("h.graded_ms - {shift}")),
            ("closed_ms", closed),
            ("updated_ms", format!("h.updated_ms - {shift}")),
        ];
        let n = exec(
            store,
            &copy_sql(
                "hazards",
                &cols,
                &replace,
                "hazards h WHERE h.id NOT LIKE 'njc%'",
            ),
        )
        .await?;
        added += n as i64;
        if g % 10 == 0 || g == copies {
            println!(
                "  隐患副本 {g}/{copies}，用时 {:.0} 秒",
                t.elapsed().as_secs_f64()
            );
        }
    }
    step("隐患（副本）", t, added);
    Ok(())
}

/// Inspections up to 2,000,000 over ten years, with `bench-enforcement-stats`'s bulk generator
/// (a task, two inspectors and a record each; findings on every other one; a case every 50th).
/// One step of its own: it is skipped once any of its records exist.
async fn inspections(store: &Store, now: i64) -> anyhow::Result<()> {
    let done = count(
        store,
        "SELECT COUNT(*) FROM (SELECT 1 FROM inspection_records WHERE id LIKE 'br%' LIMIT 1) x",
    )
    .await?;
    if done > 0 {
        return Ok(());
    }
    let t = Instant::now();
    println!("生成检查记录 {INSPECTIONS} 条…");
    let depts = crate::bench_enforcement_stats::prepare(store, now).await?;
    crate::bench_enforcement_stats::seed(store, INSPECTIONS, now, depts.len()).await?;
    step("检查记录", t, INSPECTIONS);
    Ok(())
}

/// Sensors up to 20,000, copies of the demo's spread over its enterprises' sites, numbered
/// 1..=20,000 (the readings below use those numbers). Their rollups are marked done up to now,
/// so that a node started on this data does not fold 100,000,000 readings first.
async fn sensors(store: &Store, now: i64) -> anyhow::Result<()> {
    let have = count(store, "SELECT COUNT(*) FROM sensors").await?;
    if have >= SENSORS {
        return Ok(());
    }
    let t = Instant::now();
    let cols = columns(store, "sensors").await?;
    let top = count(store, "SELECT COALESCE(MAX(no), 0) FROM sensors").await?;
    let replace = [
        ("id", "'nj-s' || i".to_string()),
        ("code", "h.code || '-' || i".into()),
        ("name", "h.name || '（' || i || '）'".into()),
        ("no", format!("{top} + i - {have} + 1")),
        ("last_ms", now.to_string()),
        ("rolled_ms", now.to_string()),
        ("created_ms", now.to_string()),
        ("updated_ms", now.to_string()),
    ];
    let source = format!(
        "generate_series({have}::BIGINT, {}::BIGINT) AS i \
         JOIN (SELECT s.*, row_number() OVER (ORDER BY id) - 1 AS k FROM sensors s) h \
         ON h.k = i % {have}",
        SENSORS - 1
    );
    let n = exec(store, &copy_sql("sensors", &cols, &replace, &source)).await?;
    exec(
        store,
        &format!(
            "UPDATE sensors SET rolled_ms = {now} WHERE rolled_ms IS NULL OR rolled_ms < {now}"
        ),
    )
    .await?;
    step("传感器", t, n as i64);
    Ok(())
}

/// A year of rollups for every sensor, month by month into the monthly partitions: one row
/// every `ROLLUP_EVERY_MIN` minutes (a minute's count, min, max and sum of 10 readings). A city
/// whose 20,000 sensors report every minute would hold 10.5 billion one-minute rollups over the
/// 400 days kept by default; this machine's disk holds a sixth of a year at that rate, so the
/// year is thinned, not shortened.
async fn rollups(store: &Store, now: i64) -> anyhow::Result<()> {
    let t = Instant::now();
    let mut added = 0;
    let start = Part::of(Period::Day, now - YEAR_MS).lo_ms;
    let mut month = Part::of(Period::Month, start);
    while month.lo_ms < now {
        partitions::create(store, ROLLUPS, &month).await?;
        let name = format!("reading_rollups_p{}", month.suffix);
        let has = count(
            store,
            &format!("SELECT COUNT(*) FROM (SELECT 1 FROM {name} LIMIT 1) x"),
        )
        .await?;
        if has == 0 {
            let lo = month.lo_ms.max(start);
            let hi = month.hi_ms.min(now - now % 60_000);
            let step_ms = ROLLUP_EVERY_MIN * 60_000;
            added += exec(
                store,
                &format!(
                    "INSERT INTO reading_rollups (sensor_no, minute_ms, n, min_value, max_value, sum_value) \
                     SELECT s, m, 10, (s * 7 + m / 60000) % 50000, (s * 7 + m / 60000) % 50000 + 900, \
                     ((s * 7 + m / 60000) % 50000) * 10 + 4500 \
                     FROM generate_series(1::BIGINT, {SENSORS}::BIGINT) AS s, \
                     generate_series({lo}::BIGINT, {}::BIGINT, {step_ms}::BIGINT) AS m",
                    hi - 1
                ),
            )
            .await? as i64;
            println!(
                "  分钟汇总 {}，用时 {:.0} 秒",
                month.suffix,
                t.elapsed().as_secs_f64()
            );
        }
        month = Part::of(Period::Month, month.hi_ms);
    }
    step("分钟汇总", t, added);
    Ok(())
}

/// 100,000,000 raw readings over the last 30 Beijing days (one every 8.6 minutes per sensor),
/// each day generated into its own daily partition.
async fn readings(store: &Store, now: i64) -> anyhow::Result<()> {
    let t = Instant::now();
    let per_day = (RAW_READINGS + RAW_DAYS - 1) / RAW_DAYS;
    let mut added = 0;
    for back in (1..=RAW_DAYS).rev() {
        let day = Part::of(Period::Day, now - back * DAY_MS);
        partitions::create(store, READINGS, &day).await?;
        let name = format!("readings_p{}", day.suffix);
        let has = count(
            store,
            &format!("SELECT COUNT(*) FROM (SELECT 1 FROM {name} LIMIT 1) x"),
        )
        .await?;
        if has == 0 {
            crate::bench_partitions::load(store, &day, per_day, SENSORS).await?;
            added += per_day;
            println!(
                "  原始读数 {}（{}/{RAW_DAYS}），用时 {:.0} 秒",
                day.suffix,
                RAW_DAYS - back + 1,
                t.elapsed().as_secs_f64()
            );
        }
    }
    step("原始读数", t, added);
    Ok(())
}
