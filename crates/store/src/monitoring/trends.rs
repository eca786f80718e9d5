//! Sensor trends: the 1-minute rollup job, pruning by retention, and the trend query.
//!
//! Each sensor carries `rolled_ms`, the end of the minutes already rolled up. The job rolls the
//! minutes from there to `trend::rollup_cutoff(now)` from the raw readings and moves the mark
//! with a compare-and-set; ingest lowers the mark when it stores a reading for a minute that
//! may already be done (`reroll_from`), so a late reading is folded in on the next pass. On
//! PostgreSQL the lowering update and the compare-and-set meet on the sensor's row lock, so a
//! late reading committed while the job runs sends the sensor back rather than being missed.

use crate::db::{Backend, Sql, Tx};
use crate::monitoring::{QUALITY_BAD, statement_chunks};
use crate::{Store, StoreResult};
use serde::Serialize;
use sqlx::Row;
use yingji_core::kernel::role::Scope;
use yingji_core::monitoring::alarm::Milli4;
use yingji_core::monitoring::trend::{self, Bucket, Resolution, Retention};

/// Most minutes one pass rolls per sensor, so that a sensor sent back a week does not hold the
/// job (or the database) for long; the next pass goes on from there.
const MINUTES_PER_PASS: i64 = 1440;

/// Lowers each listed sensor's `rolled_ms` to the given minute (if it is past it).
pub(crate) async fn reroll_from(
    tx: &mut Tx,
    backend: Backend,
    late: &[(i64, i64)],
) -> StoreResult<()> {
    for chunk in statement_chunks(late) {
        let mut u = Sql::new("UPDATE sensors SET rolled_ms = v.column2 FROM (VALUES ");
        for (k, (no, minute)) in chunk.iter().enumerate() {
            if k > 0 {
                u.push(", ");
            }
            u.values(vec![(*no).into(), (*minute).into()]);
        }
        u.push(") AS v WHERE sensors.no = v.column1 AND sensors.rolled_ms > v.column2");
        u.many_placeholders(backend);
        u.execute(tx).await?;
    }
    Ok(())
}

/// Rolls up every sensor with minutes due; returns the sensors rolled. Safe on several nodes.
pub async fn roll_up(store: &Store, now_ms: i64) -> StoreResult<usize> {
    let cutoff = trend::rollup_cutoff(now_ms);
    let mut done = 0;
    loop {
        let mut q = Sql::new("SELECT no, rolled_ms FROM sensors WHERE rolled_ms < ");
        q.bind(cutoff)
            .push(" AND last_ms >= rolled_ms ORDER BY rolled_ms LIMIT 200");
        let due = store.fetch_all(q).await?;
        if due.is_empty() {
            return Ok(done);
        }
        let mut moved = 0;
        for r in &due {
            let no: i64 = r.try_get("no")?;
            let from: i64 = r.try_get("rolled_ms")?;
            if roll_sensor(store, no, from, cutoff).await? {
                moved += 1;
            }
        }
        done += moved;
        if moved == 0 {
            // Every candidate was taken by another node or sent back meanwhile: next pass.
            return Ok(done);
        }
    }
}

/// Rolls one sensor's minutes from `from` (its mark as read) towards `cutoff`, in one
/// transaction; false when the mark moved meanwhile (nothing of this pass is kept).
async fn roll_sensor(store: &Store, no: i64, from: i64, cutoff: i64) -> StoreResult<bool> {
    let mut tx = store.begin().await?;
    let mut first = Sql::new("SELECT MIN(at_ms) FROM readings WHERE sensor_no = ");
    first.bind(no).push_bind(" AND at_ms >= ", from);
    let first: Option<i64> = first.fetch_one(&mut tx).await?.try_get(0)?;
    // Skip the silent stretch: start at the first minute that has readings.
    let start = first.map_or(cutoff, |f| trend::minute_of(f).clamp(from, cutoff));
    let end = (start + MINUTES_PER_PASS * trend::MINUTE_MS).min(cutoff);
    if start < end {
        let mut ins = Sql::new(
            "INSERT INTO reading_rollups (sensor_no, minute_ms, n, min_value, max_value, sum_value) \
             SELECT sensor_no, at_ms - (at_ms % 60000), COUNT(*), MIN(value), MAX(value), SUM(value) \
             FROM readings WHERE sensor_no = ",
        );
        ins.bind(no)
            .push_bind(" AND at_ms >= ", start)
            .push_bind(" AND at_ms < ", end)
            .push_bind(" AND quality <> ", QUALITY_BAD)
            .push(
                " GROUP BY sensor_no, at_ms - (at_ms % 60000) \
                 ON CONFLICT (sensor_no, minute_ms) DO UPDATE SET n = excluded.n, \
                 min_value = excluded.min_value, max_value = excluded.max_value, \
                 sum_value = excluded.sum_value",
            );
        ins.execute(&mut tx).await?;
    }
    let mut cas = Sql::new("UPDATE sensors SET rolled_ms = ");
    cas.bind(end)
        .push_bind(" WHERE no = ", no)
        .push_bind(" AND rolled_ms = ", from);
    if cas.execute(&mut tx).await? == 1 {
        tx.commit().await?;
        Ok(true)
    } else {
        tx.rollback().await?;
        Ok(false)
    }
}

/// Deletes raw readings and rollups past their retention; raw readings only once rolled up.
/// Returns (readings, rollups) deleted. On PostgreSQL only the default partitions are pruned
/// here: the dated partitions are dropped whole by `partitions::upkeep`.
pub async fn prune(store: &Store, now_ms: i64, keep: Retention) -> StoreResult<(u64, u64)> {
    let raw_cutoff = keep.raw_cutoff(now_ms);
    let rollup_cutoff = keep.rollup_cutoff(now_ms);
    if store.backend == Backend::Postgres {
        return prune_defaults(store, raw_cutoff, rollup_cutoff).await;
    }
    let sensors = store
        .fetch_all(Sql::new("SELECT no, rolled_ms FROM sensors ORDER BY no"))
        .await?;
    let (mut raw, mut rolled) = (0, 0);
    // Per sensor, so that each delete walks the (sensor, time) key instead of the whole table.
    for s in &sensors {
        let no: i64 = s.try_get("no")?;
        let mark: Option<i64> = s.try_get("rolled_ms")?;
        let mut d = Sql::new("DELETE FROM readings WHERE sensor_no = ");
        d.bind(no)
            .push_bind(" AND at_ms < ", raw_cutoff.min(mark.unwrap_or(i64::MIN)));
        raw += store.execute(d).await?;
        let mut d = Sql::new("DELETE FROM reading_rollups WHERE sensor_no = ");
        d.bind(no).push_bind(" AND minute_ms < ", rollup_cutoff);
        rolled += store.execute(d).await?;
    }
    Ok((raw, rolled))
}

/// PostgreSQL: the rows of the default partitions past retention (raw readings only once
/// rolled up), one statement each; the default partitions hold only outliers.
async fn prune_defaults(
    store: &Store,
    raw_cutoff: i64,
    rollup_cutoff: i64,
) -> StoreResult<(u64, u64)> {
    let mut d = Sql::new(
        "DELETE FROM readings_default r USING sensors s WHERE s.no = r.sensor_no \
         AND s.rolled_ms IS NOT NULL AND r.at_ms < s.rolled_ms",
    );
    d.push_bind(" AND r.at_ms < ", raw_cutoff);
    let raw = store.execute(d).await?;
    let mut d = Sql::new("DELETE FROM reading_rollups_default WHERE minute_ms < ");
    d.bind(rollup_cutoff);
    let rolled = store.execute(d).await?;
    Ok((raw, rolled))
}

/// One point of a trend line; for raw readings min = max = avg and n = 1.
#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    /// Start of the bucket (or the reading's time), ms since the epoch.
    pub t: i64,
    pub avg: f64,
    pub min: f64,
    pub max: f64,
    pub n: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub sensor: crate::monitoring::Sensor,
    pub from_ms: i64,
    pub to_ms: i64,
    /// Seconds per point; 0 when the points are the raw readings.
    pub resolution_s: i64,
    pub points: Vec<TrendPoint>,
    /// Raw readings are kept from this time on (older ranges come from the rollups).
    pub raw_kept_from_ms: i64,
}

/// Most raw readings one trend returns (a 2-hour span at one reading a second is 7,200).
const RAW_LIMIT: i64 = 10_000;

/// A sensor's trend over [from, to): raw readings for short recent spans, otherwise buckets of
/// the rollups, with the minutes not yet rolled up aggregated from the raw readings.
pub async fn trend(
    store: &Store,
    scope: &Scope,
    sensor_id: &str,
    from_ms: i64,
    to_ms: i64,
    now_ms: i64,
    keep: Retention,
) -> StoreResult<Trend> {
    let sensor = crate::monitoring::get_sensor(store, scope, sensor_id).await?;
    let mut key = Sql::new("SELECT no, rolled_ms FROM sensors WHERE id = ");
    key.bind(sensor_id);
    let key = store
        .fetch_optional(key)
        .await?
        .ok_or(crate::StoreError::NotFound)?;
    let no: i64 = key.try_get("no")?;
    let mark: Option<i64> = key.try_get("rolled_ms")?;
    let raw_kept_from_ms = keep.raw_cutoff(now_ms);
    let resolution = Resolution::for_range(from_ms, to_ms, raw_kept_from_ms);
    let points = match resolution {
        Resolution::Raw => raw_points(store, no, from_ms, to_ms).await?,
        Resolution::Minutes(minutes) => {
            let mark = mark.unwrap_or(from_ms).clamp(from_ms, to_ms);
            bucket_points(store, no, minutes, (from_ms, mark, to_ms)).await?
        }
    };
    Ok(Trend {
        sensor,
        from_ms,
        to_ms,
        resolution_s: resolution.seconds(),
        points,
        raw_kept_from_ms,
    })
}

/// The raw readings of sensor `no` in [from, to), at most `RAW_LIMIT`.
async fn raw_points(
    store: &Store,
    no: i64,
    from_ms: i64,
    to_ms: i64,
) -> StoreResult<Vec<TrendPoint>> {
    let mut q = Sql::new("SELECT at_ms, value FROM readings WHERE sensor_no = ");
    q.bind(no)
        .push_bind(" AND at_ms >= ", from_ms)
        .push_bind(" AND at_ms < ", to_ms)
        .push_bind(" AND quality <> ", QUALITY_BAD)
        .push_bind(" ORDER BY at_ms LIMIT ", RAW_LIMIT);
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        let v = Milli4(r.try_get("value")?).to_f64();
        out.push(TrendPoint {
            t: r.try_get("at_ms")?,
            avg: v,
            min: v,
            max: v,
            n: 1,
        });
    }
    Ok(out)
}

/// Buckets of `minutes` over [from, to) for sensor `no`: the rollups before `mark` (the end of
/// the minutes rolled up, within the range), the raw readings from it on.
async fn bucket_points(
    store: &Store,
    no: i64,
    minutes: i64,
    (from_ms, mark, to_ms): (i64, i64, i64),
) -> StoreResult<Vec<TrendPoint>> {
    let mut parts = Vec::new();
    let mut rolled = Sql::new(
        "SELECT minute_ms, n, min_value, max_value, sum_value FROM reading_rollups WHERE sensor_no = ",
    );
    rolled
        .bind(no)
        .push_bind(" AND minute_ms >= ", from_ms)
        .push_bind(" AND minute_ms < ", mark);
    for r in store.fetch_all(rolled).await? {
        parts.push(Bucket {
            start_ms: trend::bucket_of(r.try_get("minute_ms")?, minutes),
            n: r.try_get("n")?,
            min: Milli4(r.try_get("min_value")?),
            max: Milli4(r.try_get("max_value")?),
            sum: r.try_get("sum_value")?,
        });
    }
    // The minutes after the mark are not rolled up yet: aggregate them from raw.
    let mut raw = Sql::new("SELECT at_ms, value FROM readings WHERE sensor_no = ");
    raw.bind(no)
        .push_bind(" AND at_ms >= ", mark)
        .push_bind(" AND at_ms < ", to_ms)
        .push_bind(" AND quality <> ", QUALITY_BAD);
    for r in store.fetch_all(raw).await? {
        let at: i64 = r.try_get("at_ms")?;
        parts.push(Bucket::of_reading(
            trend::bucket_of(at, minutes),
            Milli4(r.try_get("value")?),
        ));
    }
    Ok(trend::merge_buckets(parts)
        .into_iter()
        .map(|b| TrendPoint {
            t: b.start_ms,
            avg: b.mean().to_f64(),
            min: b.min.to_f64(),
            max: b.max.to_f64(),
            n: b.n,
        })
        .collect())
}
