//! PostgreSQL: `readings` and `reading_rollups` are partitioned by time (migration 0057). The
//! upkeep, run by the rollup job with pruning, makes the partitions a moment needs (daily for
//! readings, monthly for rollups, Asia/Shanghai; `core::monitoring::partition`), moving into
//! each the rows the default partition holds for its range, and drops the partitions wholly past
//! retention — a readings partition only once every reading in it is rolled up. On SQLite it
//! does nothing (one table each, pruned by DELETE).
//!
//! Each step is one short transaction that first takes an advisory lock, so nodes do not race,
//! and waits at most `LOCK_TIMEOUT` for the table locks (ingest holds them for milliseconds);
//! a step that times out is done on the next pass.

use crate::db::{Backend, Sql, Tx};
use crate::{Store, StoreResult};
use sqlx::Row;
use yingji_core::monitoring::partition::{self, Part, Period};
use yingji_core::monitoring::trend::Retention;

/// Longest a step waits for a table lock before giving up until the next pass.
const LOCK_TIMEOUT: &str = "SET LOCAL lock_timeout = '2s'";
/// Serialises the upkeep of all nodes (any fixed number; `hashtext` of a name would do too).
const ADVISORY_KEY: i64 = 0x5969_6e67_6a69_7031;

/// A partitioned table: its name, time column, and how long one partition spans.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub table: &'static str,
    pub column: &'static str,
    pub period: Period,
}

pub const READINGS: Layout = Layout {
    table: "readings",
    column: "at_ms",
    period: Period::Day,
};

pub const ROLLUPS: Layout = Layout {
    table: "reading_rollups",
    column: "minute_ms",
    period: Period::Month,
};

/// What one upkeep pass did: partitions made and dropped, by name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Upkeep {
    pub created: Vec<String>,
    pub dropped: Vec<String>,
    /// Partitions past retention kept because some of their readings are not rolled up yet.
    pub waiting: Vec<String>,
    /// Steps that failed this pass (logged; the next pass tries again).
    pub failed: Vec<String>,
}

/// A partition attached to a table: its name and range (None for the default partition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached {
    pub name: String,
    pub range: Option<(i64, i64)>,
}

/// Makes the partitions due at `now_ms` and drops those past retention (PostgreSQL only).
pub async fn upkeep(store: &Store, now_ms: i64, keep: Retention) -> StoreResult<Upkeep> {
    let mut done = Upkeep::default();
    if store.backend != Backend::Postgres {
        return Ok(done);
    }
    for (layout, cutoff) in [
        (READINGS, keep.raw_cutoff(now_ms)),
        (ROLLUPS, keep.rollup_cutoff(now_ms)),
    ] {
        let attached = attached(store, layout).await?;
        for part in partition::wanted(layout.period, now_ms) {
            let covered = attached.iter().any(|a| {
                a.range
                    .is_some_and(|(lo, hi)| lo < part.hi_ms && part.lo_ms < hi)
            });
            if covered {
                continue;
            }
            // A step that fails (a lock not had in time, a row in the way) is retried on the
            // next pass; the other steps of this pass still run.
            match create(store, layout, &part).await {
                Ok(true) => done.created.push(name_of(layout, &part)),
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(partition = %name_of(layout, &part), error = %e, "partition not made; retried next pass");
                    done.failed.push(name_of(layout, &part));
                }
            }
        }
        for a in &attached {
            let Some((lo, hi)) = a.range else { continue };
            if !partition::past_retention(hi, cutoff) {
                continue;
            }
            match drop_rolled_up(store, layout, &a.name, (lo, hi)).await {
                Ok(true) => done.dropped.push(a.name.clone()),
                Ok(false) => done.waiting.push(a.name.clone()),
                Err(e) => {
                    tracing::warn!(partition = %a.name, error = %e, "partition not dropped; retried next pass");
                    done.failed.push(a.name.clone());
                }
            }
        }
    }
    Ok(done)
}

/// The partitions attached to `layout`'s table, by name.
pub async fn attached(store: &Store, layout: Layout) -> StoreResult<Vec<Attached>> {
    let mut q = Sql::new(
        "SELECT c.relname::text AS name, pg_get_expr(c.relpartbound, c.oid) AS bound \
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
         WHERE i.inhparent = to_regclass(",
    );
    q.bind(layout.table).push(") ORDER BY c.relname");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        let bound: String = r.try_get("bound")?;
        out.push(Attached {
            name: r.try_get("name")?,
            range: range_of(&bound),
        });
    }
    Ok(out)
}

/// The range of a partition bound as PostgreSQL prints it:
/// `FOR VALUES FROM ('1764864000000') TO ('1764950400000')`; None for `DEFAULT` (or anything
/// else, such as MINVALUE bounds, which the upkeep leaves alone).
pub fn range_of(bound: &str) -> Option<(i64, i64)> {
    let rest = bound.strip_prefix("FOR VALUES FROM (")?;
    let (lo, rest) = rest.split_once(") TO (")?;
    let hi = rest.strip_suffix(')')?;
    let num = |s: &str| s.trim().trim_matches('\'').parse::<i64>().ok();
    Some((num(lo)?, num(hi)?))
}

/// A table name read from the catalogue, quoted as an identifier for the statements it is
/// spliced into (names are never bound parameters in DDL).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn name_of(layout: Layout, part: &Part) -> String {
    format!("{}_p{}", layout.table, part.suffix)
}

/// Begins an upkeep step: the advisory lock (waited for) and the lock timeout.
async fn begin_step(store: &Store) -> StoreResult<Tx> {
    let mut tx = store.begin().await?;
    Sql::new(LOCK_TIMEOUT).execute(&mut tx).await?;
    let mut lock = Sql::new("SELECT pg_advisory_xact_lock(");
    lock.bind(ADVISORY_KEY).push(")");
    lock.execute(&mut tx).await?;
    Ok(tx)
}

async fn exists(tx: &mut Tx, name: &str) -> StoreResult<bool> {
    let mut q = Sql::new("SELECT to_regclass(");
    q.bind(name).push(") IS NOT NULL");
    Ok(q.fetch_one(tx).await?.try_get(0)?)
}

/// Makes one partition: a table like the parent, the default partition's rows of its range
/// moved into it, attached. False when another node made it meanwhile.
pub async fn create(store: &Store, layout: Layout, part: &Part) -> StoreResult<bool> {
    let Layout { table, column, .. } = layout;
    let name = name_of(layout, part);
    let mut tx = begin_step(store).await?;
    if exists(&mut tx, &name).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    // The default partition first (ingest locks the parent, then the partition): attaching
    // takes it exclusively anyway, and so no reading lands in it between the move and then.
    Sql::new(&format!(
        "LOCK TABLE {table}_default IN ACCESS EXCLUSIVE MODE"
    ))
    .execute(&mut tx)
    .await?;
    Sql::new(&format!("CREATE TABLE {name} (LIKE {table})"))
        .execute(&mut tx)
        .await?;
    let (lo, hi) = (part.lo_ms, part.hi_ms);
    Sql::new(&format!(
        "WITH moved AS (DELETE FROM {table}_default WHERE {column} >= {lo} AND {column} < {hi} \
         RETURNING *) INSERT INTO {name} SELECT * FROM moved"
    ))
    .execute(&mut tx)
    .await?;
    // Attaching builds the partition's primary key from the parent's.
    Sql::new(&format!(
        "ALTER TABLE {table} ATTACH PARTITION {name} FOR VALUES FROM ({lo}) TO ({hi})"
    ))
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Drops one partition past retention; for readings only when every sensor has rolled up all
/// its readings in it (raw readings are pruned only once rolled up). False when kept.
pub async fn drop_rolled_up(
    store: &Store,
    layout: Layout,
    name: &str,
    (_, hi): (i64, i64),
) -> StoreResult<bool> {
    let mut tx = begin_step(store).await?;
    if !exists(&mut tx, name).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    // The parent first, as ingest takes them; dropping a partition locks the parent anyway.
    Sql::new(&format!(
        "LOCK TABLE {} IN ACCESS EXCLUSIVE MODE",
        layout.table
    ))
    .execute(&mut tx)
    .await?;
    if layout.table == READINGS.table {
        // Only sensors whose mark is before the partition's end can have readings not rolled
        // up in it; each is one probe of the partition's primary key.
        let mut q = Sql::new(
            "SELECT EXISTS (SELECT 1 FROM sensors s WHERE (s.rolled_ms IS NULL OR s.rolled_ms < ",
        );
        q.bind(hi).push(&format!(
            ") AND EXISTS (SELECT 1 FROM {} r WHERE r.sensor_no = s.no \
             AND (s.rolled_ms IS NULL OR r.at_ms >= s.rolled_ms)))",
            quoted(name)
        ));
        let behind: bool = q.fetch_one(&mut tx).await?.try_get(0)?;
        if behind {
            tx.rollback().await?;
            return Ok(false);
        }
    }
    Sql::new(&format!("DROP TABLE {}", quoted(name)))
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_partition_bounds() {
        assert_eq!(
            range_of("FOR VALUES FROM ('1764864000000') TO ('1764950400000')"),
            Some((1_764_864_000_000, 1_764_950_400_000))
        );
        assert_eq!(range_of("DEFAULT"), None);
        assert_eq!(quoted("readings_p20261205"), "\"readings_p20261205\"");
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
        assert_eq!(range_of("FOR VALUES FROM (MINVALUE) TO ('5')"), None);
    }
}
