//! Schema migrations, numbered and applied in order inside one transaction each. A migration is
//! one file for both backends unless it names a per-backend variant; the applied versions are
//! recorded in `schema_migrations` with the SHA-256 of the text applied, and a run refuses to
//! start when an applied migration's text has changed. On PostgreSQL a run holds an advisory
//! lock, so several nodes starting together apply each migration once (ADR 0027).

use crate::{Backend, Sql, Store, StoreResult};
use sqlx::{Connection, Row};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/0001_foundation.sql"),
        postgres: include_str!("../migrations/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "double_prevention",
        sqlite: include_str!("../migrations/0002_double_prevention.sql"),
        postgres: include_str!("../migrations/0002_double_prevention.sql"),
    },
    Migration {
        version: 3,
        name: "hazard_figures",
        sqlite: include_str!("../migrations/0003_hazard_figures.sql"),
        postgres: include_str!("../migrations/0003_hazard_figures.sql"),
    },
    Migration {
        version: 4,
        name: "major_hazards",
        sqlite: include_str!("../migrations/0004_major_hazards.sql"),
        postgres: include_str!("../migrations/0004_major_hazards.sql"),
    },
    Migration {
        version: 5,
        name: "monitoring",
        sqlite: include_str!("../migrations/0005_monitoring.sql"),
        postgres: include_str!("../migrations/0005_monitoring.sql"),
    },
    Migration {
        version: 6,
        name: "gateways",
        sqlite: include_str!("../migrations/0006_gateways.sql"),
        postgres: include_str!("../migrations/0006_gateways.sql"),
    },
    Migration {
        version: 7,
        name: "notify",
        sqlite: include_str!("../migrations/0007_notify.sql"),
        postgres: include_str!("../migrations/0007_notify.sql"),
    },
    Migration {
        version: 8,
        name: "telemetry",
        sqlite: include_str!("../migrations/0008_telemetry_sqlite.sql"),
        postgres: include_str!("../migrations/0008_telemetry.sql"),
    },
    Migration {
        version: 9,
        name: "incidents",
        sqlite: include_str!("../migrations/0009_incidents.sql"),
        postgres: include_str!("../migrations/0009_incidents.sql"),
    },
    Migration {
        version: 10,
        name: "resources",
        sqlite: include_str!("../migrations/0010_resources.sql"),
        postgres: include_str!("../migrations/0010_resources.sql"),
    },
    Migration {
        version: 11,
        name: "investigations",
        sqlite: include_str!("../migrations/0011_investigations.sql"),
        postgres: include_str!("../migrations/0011_investigations.sql"),
    },
    Migration {
        version: 12,
        name: "warnings",
        sqlite: include_str!("../migrations/0012_warnings.sql"),
        postgres: include_str!("../migrations/0012_warnings.sql"),
    },
    Migration {
        version: 13,
        name: "targeting",
        sqlite: include_str!("../migrations/0013_targeting.sql"),
        postgres: include_str!("../migrations/0013_targeting.sql"),
    },
    Migration {
        version: 14,
        name: "warning_feeds",
        sqlite: include_str!("../migrations/0014_warning_feeds.sql"),
        postgres: include_str!("../migrations/0014_warning_feeds.sql"),
    },
    Migration {
        version: 15,
        name: "hardening",
        sqlite: include_str!("../migrations/0015_hardening.sql"),
        postgres: include_str!("../migrations/0015_hardening.sql"),
    },
    Migration {
        version: 16,
        name: "registers",
        sqlite: include_str!("../migrations/0016_registers.sql"),
        postgres: include_str!("../migrations/0016_registers.sql"),
    },
    Migration {
        version: 17,
        name: "field",
        sqlite: include_str!("../migrations/0017_field.sql"),
        postgres: include_str!("../migrations/0017_field.sql"),
    },
    Migration {
        version: 18,
        name: "photos",
        sqlite: include_str!("../migrations/0018_photos.sql"),
        postgres: include_str!("../migrations/0018_photos.sql"),
    },
    Migration {
        version: 19,
        name: "patrol_area",
        sqlite: include_str!("../migrations/0019_patrol_area.sql"),
        postgres: include_str!("../migrations/0019_patrol_area.sql"),
    },
    Migration {
        version: 20,
        name: "enforcement",
        sqlite: include_str!("../migrations/0020_enforcement.sql"),
        postgres: include_str!("../migrations/0020_enforcement.sql"),
    },
    Migration {
        version: 21,
        name: "inspections",
        sqlite: include_str!("../migrations/0021_inspections.sql"),
        postgres: include_str!("../migrations/0021_inspections.sql"),
    },
    Migration {
        version: 22,
        name: "enforcement_cases",
        sqlite: include_str!("../migrations/0022_enforcement_cases.sql"),
        postgres: include_str!("../migrations/0022_enforcement_cases.sql"),
    },
    Migration {
        version: 23,
        name: "enforcement_documents",
        sqlite: include_str!("../migrations/0023_enforcement_documents.sql"),
        postgres: include_str!("../migrations/0023_enforcement_documents.sql"),
    },
    Migration {
        version: 24,
        name: "enforcement_plans",
        sqlite: include_str!("../migrations/0024_enforcement_plans.sql"),
        postgres: include_str!("../migrations/0024_enforcement_plans.sql"),
    },
    Migration {
        version: 25,
        name: "joint_inspections",
        sqlite: include_str!("../migrations/0025_joint_inspections.sql"),
        postgres: include_str!("../migrations/0025_joint_inspections.sql"),
    },
    Migration {
        version: 27,
        name: "enforcement_receipts",
        sqlite: include_str!("../migrations/0027_enforcement_receipts.sql"),
        postgres: include_str!("../migrations/0027_enforcement_receipts.sql"),
    },
    Migration {
        version: 28,
        name: "case_windows",
        sqlite: include_str!("../migrations/0028_case_windows.sql"),
        postgres: include_str!("../migrations/0028_case_windows.sql"),
    },
    Migration {
        version: 29,
        name: "joint_findings",
        sqlite: include_str!("../migrations/0029_joint_findings.sql"),
        postgres: include_str!("../migrations/0029_joint_findings.sql"),
    },
    Migration {
        version: 30,
        name: "inspection_counts",
        sqlite: include_str!("../migrations/0030_inspection_counts.sql"),
        postgres: include_str!("../migrations/0030_inspection_counts.sql"),
    },
    Migration {
        version: 31,
        name: "inspection_person_months",
        sqlite: include_str!("../migrations/0031_inspection_person_months_sqlite.sql"),
        postgres: include_str!("../migrations/0031_inspection_person_months.sql"),
    },
    Migration {
        version: 32,
        name: "credit_licences",
        sqlite: include_str!("../migrations/0032_credit_licences.sql"),
        postgres: include_str!("../migrations/0032_credit_licences.sql"),
    },
    Migration {
        version: 33,
        name: "credit_commitments",
        sqlite: include_str!("../migrations/0033_credit_commitments.sql"),
        postgres: include_str!("../migrations/0033_credit_commitments.sql"),
    },
    Migration {
        version: 34,
        name: "credit_ratings",
        sqlite: include_str!("../migrations/0034_credit_ratings.sql"),
        postgres: include_str!("../migrations/0034_credit_ratings.sql"),
    },
    Migration {
        version: 35,
        name: "credit_listings",
        sqlite: include_str!("../migrations/0035_credit_listings.sql"),
        postgres: include_str!("../migrations/0035_credit_listings.sql"),
    },
    Migration {
        version: 36,
        name: "credit_insurance",
        sqlite: include_str!("../migrations/0036_credit_insurance.sql"),
        postgres: include_str!("../migrations/0036_credit_insurance.sql"),
    },
    Migration {
        version: 37,
        name: "credit_duty",
        sqlite: include_str!("../migrations/0037_credit_duty.sql"),
        postgres: include_str!("../migrations/0037_credit_duty.sql"),
    },
    Migration {
        version: 38,
        name: "disaster_reports",
        sqlite: include_str!("../migrations/0038_disaster_reports.sql"),
        postgres: include_str!("../migrations/0038_disaster_reports.sql"),
    },
    Migration {
        version: 39,
        name: "forest_fire",
        sqlite: include_str!("../migrations/0039_forest_fire.sql"),
        postgres: include_str!("../migrations/0039_forest_fire.sql"),
    },
    Migration {
        version: 40,
        name: "flood_duty",
        sqlite: include_str!("../migrations/0040_flood_duty.sql"),
        postgres: include_str!("../migrations/0040_flood_duty.sql"),
    },
    Migration {
        version: 41,
        name: "plan_enterprise",
        sqlite: include_str!("../migrations/0041_plan_enterprise.sql"),
        postgres: include_str!("../migrations/0041_plan_enterprise.sql"),
    },
    Migration {
        version: 42,
        name: "census",
        sqlite: include_str!("../migrations/0042_census.sql"),
        postgres: include_str!("../migrations/0042_census.sql"),
    },
    Migration {
        version: 43,
        name: "relief",
        sqlite: include_str!("../migrations/0043_relief.sql"),
        postgres: include_str!("../migrations/0043_relief.sql"),
    },
    Migration {
        version: 44,
        name: "consultations",
        sqlite: include_str!("../migrations/0044_consultations.sql"),
        postgres: include_str!("../migrations/0044_consultations.sql"),
    },
    Migration {
        version: 45,
        name: "disaster_summary",
        sqlite: include_str!("../migrations/0045_disaster_summary_sqlite.sql"),
        postgres: include_str!("../migrations/0045_disaster_summary.sql"),
    },
    Migration {
        version: 46,
        name: "grid_events",
        sqlite: include_str!("../migrations/0046_grid_events.sql"),
        postgres: include_str!("../migrations/0046_grid_events.sql"),
    },
    Migration {
        version: 47,
        name: "grid_overlays",
        sqlite: include_str!("../migrations/0047_grid_overlays.sql"),
        postgres: include_str!("../migrations/0047_grid_overlays.sql"),
    },
    Migration {
        version: 48,
        name: "grid_intake",
        sqlite: include_str!("../migrations/0048_grid_intake.sql"),
        postgres: include_str!("../migrations/0048_grid_intake.sql"),
    },
    Migration {
        version: 49,
        name: "grid_rewards",
        sqlite: include_str!("../migrations/0049_grid_rewards.sql"),
        postgres: include_str!("../migrations/0049_grid_rewards.sql"),
    },
    Migration {
        version: 50,
        name: "grid_joint",
        sqlite: include_str!("../migrations/0050_grid_joint.sql"),
        postgres: include_str!("../migrations/0050_grid_joint.sql"),
    },
    Migration {
        version: 51,
        name: "grid_board",
        sqlite: include_str!("../migrations/0051_grid_board.sql"),
        postgres: include_str!("../migrations/0051_grid_board.sql"),
    },
    Migration {
        version: 54,
        name: "grid_reward_deaths",
        sqlite: include_str!("../migrations/0054_grid_reward_deaths.sql"),
        postgres: include_str!("../migrations/0054_grid_reward_deaths.sql"),
    },
    Migration {
        version: 55,
        name: "job_leases",
        sqlite: include_str!("../migrations/0055_job_leases.sql"),
        postgres: include_str!("../migrations/0055_job_leases.sql"),
    },
    Migration {
        version: 56,
        name: "rate_limits",
        sqlite: include_str!("../migrations/0056_rate_limits.sql"),
        postgres: include_str!("../migrations/0056_rate_limits.sql"),
    },
    Migration {
        version: 57,
        name: "telemetry_partitions",
        sqlite: include_str!("../migrations/0057_telemetry_partitions_sqlite.sql"),
        postgres: include_str!("../migrations/0057_telemetry_partitions.sql"),
    },
    Migration {
        version: 59,
        name: "login_policy",
        sqlite: include_str!("../migrations/0059_login_policy.sql"),
        postgres: include_str!("../migrations/0059_login_policy.sql"),
    },
    Migration {
        version: 60,
        name: "sso",
        sqlite: include_str!("../migrations/0060_sso.sql"),
        postgres: include_str!("../migrations/0060_sso.sql"),
    },
    Migration {
        version: 61,
        name: "gm_keys",
        sqlite: include_str!("../migrations/0061_gm_keys.sql"),
        postgres: include_str!("../migrations/0061_gm_keys.sql"),
    },
    Migration {
        version: 62,
        name: "audit_retention_forwarding",
        sqlite: include_str!("../migrations/0062_audit_retention_forwarding_sqlite.sql"),
        postgres: include_str!("../migrations/0062_audit_retention_forwarding.sql"),
    },
    Migration {
        version: 63,
        name: "security_admins",
        sqlite: include_str!("../migrations/0063_security_admins.sql"),
        postgres: include_str!("../migrations/0063_security_admins.sql"),
    },
    Migration {
        version: 64,
        name: "relief_sealing",
        sqlite: include_str!("../migrations/0064_relief_sealing_sqlite.sql"),
        postgres: include_str!("../migrations/0064_relief_sealing.sql"),
    },
    Migration {
        version: 67,
        name: "sso_sessions",
        sqlite: include_str!("../migrations/0067_sso_sessions.sql"),
        postgres: include_str!("../migrations/0067_sso_sessions.sql"),
    },
    Migration {
        version: 68,
        name: "hazards_open_recent",
        sqlite: include_str!("../migrations/0068_hazards_open_recent.sql"),
        postgres: include_str!("../migrations/0068_hazards_open_recent.sql"),
    },
];

/// Splits on lines that hold only `;` (see the migration files' header).
pub fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in sql.lines() {
        if line.trim() == ";" {
            out.push(std::mem::take(&mut cur));
        } else if !line.trim_start().starts_with("--") {
            cur.push_str(line);
            cur.push('\n');
        }
    }
    out.push(cur);
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// The key of the PostgreSQL advisory lock migrations run under ("yingji" in ASCII), so that
/// nodes starting together apply each migration once: the first migrates, the others wait and
/// then find nothing to do.
pub const MIGRATION_LOCK: i64 = 0x7969_6e67_6a69;

/// Held while a node does its first-start setup (the demo district, the first administrator):
/// on PostgreSQL the migrations' advisory lock on a connection of its own, so that nodes
/// starting together on an empty database set it up once; nothing on SQLite (one node).
pub struct SetupLock(Option<sqlx::pool::PoolConnection<sqlx::Any>>);

impl SetupLock {
    /// Waits for the lock.
    pub async fn acquire(store: &Store) -> StoreResult<Self> {
        if store.backend != Backend::Postgres {
            return Ok(Self(None));
        }
        let mut conn = store.pool.acquire().await?;
        // An error in the setup drops the guard: the session ends and the lock with it.
        conn.close_on_drop();
        let mut lock = Sql::new("SELECT CAST(pg_advisory_lock(");
        lock.bind(MIGRATION_LOCK).push(") AS TEXT)");
        lock.query().execute(&mut *conn).await?;
        Ok(Self(Some(conn)))
    }

    /// Lets the next node go on.
    pub async fn release(self) -> StoreResult<()> {
        if let Some(mut conn) = self.0 {
            let mut unlock = Sql::new("SELECT pg_advisory_unlock(");
            unlock.bind(MIGRATION_LOCK).push(")");
            unlock.query().execute(&mut *conn).await?;
        }
        Ok(())
    }
}

impl Migration {
    /// The text this backend applies.
    pub fn text(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

/// SHA-256 (hex) of a migration's text as recorded in `schema_migrations.checksum`; line ends
/// are normalised, so a checkout with CRLF line ends counts as the same text.
pub fn checksum(text: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(text.replace("\r\n", "\n").as_bytes()))
}

/// Applies pending migrations; returns the versions applied now. On PostgreSQL the whole run
/// holds an advisory lock on one connection. Refuses (naming the version) when an applied
/// migration's text has changed since: its recorded checksum differs from the text's.
pub async fn run(store: &Store, now_ms: i64) -> StoreResult<Vec<i64>> {
    let mut conn = store.pool.acquire().await?;
    if store.backend == Backend::Postgres {
        // Whatever happens below, the session ends with the run and the lock with it: the
        // connection is never handed back to the pool still holding the lock.
        conn.close_on_drop();
        // As text: sqlx's Any driver has no type for the function's `void`.
        let mut lock = Sql::new("SELECT CAST(pg_advisory_lock(");
        lock.bind(MIGRATION_LOCK).push(") AS TEXT)");
        lock.query().execute(&mut *conn).await?;
    }
    let done = run_locked(store, &mut conn, now_ms).await?;
    if store.backend == Backend::Postgres {
        let mut unlock = Sql::new("SELECT pg_advisory_unlock(");
        unlock.bind(MIGRATION_LOCK).push(")");
        unlock.query().execute(&mut *conn).await?;
    }
    Ok(done)
}

async fn run_locked(
    store: &Store,
    conn: &mut sqlx::AnyConnection,
    now_ms: i64,
) -> StoreResult<Vec<i64>> {
    let applied = bootstrap(store.backend, conn).await?;
    let mut done = Vec::new();
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        let text = m.text(store.backend);
        let mut tx = match store.backend {
            Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => conn.begin().await?,
        };
        // Recorded since the list was read: another process applied it (SQLite, where no
        // advisory lock exists; BEGIN IMMEDIATE has serialised the two runs by now).
        let mut seen = Sql::new("SELECT COUNT(*) FROM schema_migrations WHERE version = ");
        seen.bind(m.version);
        if seen
            .query()
            .fetch_one(&mut *tx)
            .await?
            .try_get::<i64, _>(0)?
            > 0
        {
            tx.rollback().await?;
            continue;
        }
        for stmt in statements(text) {
            Sql::new(&stmt).query().execute(&mut *tx).await?;
        }
        let mut rec =
            Sql::new("INSERT INTO schema_migrations (version, name, applied_ms, checksum) VALUES ");
        rec.values(vec![
            m.version.into(),
            m.name.into(),
            now_ms.into(),
            checksum(text).into(),
        ]);
        rec.query().execute(&mut *tx).await?;
        tx.commit().await?;
        tracing::info!(version = m.version, name = m.name, "migration applied");
        done.push(m.version);
    }
    if !done.is_empty() && !applied.is_empty() {
        // An upgrade that added indexes to filled tables: without fresh statistics the planners
        // may prefer a new index that is worse for some queries (seen with SQLite at 1M hazards).
        store.optimize().await?;
    }
    // Reference data the schema ships with (kept idempotent: a district's edits survive); under
    // the lock too, so two nodes starting together do not seed side by side.
    crate::prevention::criteria::seed(store, now_ms).await?;
    Ok(done)
}

/// Creates `schema_migrations` (with its `checksum` column, added to tables of earlier
/// versions), records the checksum of rows applied before checksums existed (from the current
/// text: the files are the ones applied), refuses a changed migration and answers the versions
/// applied.
async fn bootstrap(backend: Backend, conn: &mut sqlx::AnyConnection) -> StoreResult<Vec<i64>> {
    Sql::new(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL, checksum TEXT NULL)",
    )
    .query()
    .execute(&mut *conn)
    .await?;
    let has_checksum = match backend {
        Backend::Sqlite => Sql::new(
            "SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'",
        ),
        Backend::Postgres => Sql::new(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'checksum'",
        ),
    }
    .query()
    .fetch_one(&mut *conn)
    .await?
    .try_get::<i64, _>(0)?
        > 0;
    if !has_checksum {
        Sql::new("ALTER TABLE schema_migrations ADD COLUMN checksum TEXT NULL")
            .query()
            .execute(&mut *conn)
            .await?;
    }
    let rows = Sql::new("SELECT version, checksum FROM schema_migrations ORDER BY version")
        .query()
        .fetch_all(&mut *conn)
        .await?;
    let mut applied = Vec::with_capacity(rows.len());
    for r in rows {
        let version: i64 = r.try_get(0)?;
        let recorded: Option<String> = r.try_get(1)?;
        applied.push(version);
        // A version this binary does not know (a newer one applied it) is not ours to check.
        let Some(m) = MIGRATIONS.iter().find(|m| m.version == version) else {
            continue;
        };
        let now = checksum(m.text(backend));
        match recorded {
            None => {
                let mut q = Sql::new("UPDATE schema_migrations SET checksum = ");
                q.bind(now)
                    .push_bind(" WHERE version = ", version)
                    .push(" AND checksum IS NULL");
                q.query().execute(&mut *conn).await?;
            }
            Some(r) if r != now => {
                let message =
                    yingji_core::kernel::wording::migration_changed(version, m.name, &r, &now);
                return Err(crate::StoreError::conflict("schema_migrations", message));
            }
            Some(_) => {}
        }
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase() {
        for w in MIGRATIONS.windows(2) {
            assert!(w[0].version < w[1].version);
        }
    }

    #[test]
    fn splits_statements() {
        let s = statements("-- c\nCREATE TABLE a (x INT)\n;\nCREATE INDEX i ON a(x)\n");
        assert_eq!(s.len(), 2);
        assert!(s[0].starts_with("CREATE TABLE"));
    }
}
