//! Leases for singleton background work on several nodes (ADR 0027). A loop whose round should
//! run on one node at a time (feed polling, the offline sweep, rollups and retention, pruning)
//! takes its lease before each round and skips the round when another node holds it. A lease is
//! a `job_leases` row: its name, the holder (a node id, random per process) and the time it
//! lapses. Taking it renews it; a node that dies keeps it only until it lapses.
//!
//! Rounds stay idempotent: a round that outlasts its lease (a long pause, a slow database) may
//! overlap the next holder's, which must be harmless — the lease keeps the work from running N
//! times over, it is not what makes it correct.

use crate::{Sql, Store, StoreResult};

/// Takes the lease `name` for `holder` until `now_ms + ttl_ms` when it is free, lapsed or already
/// the holder's (then it is renewed). One statement (an upsert with a condition), so two nodes
/// racing for a free or lapsed lease cannot both get it. Answers whether `holder` has it.
pub async fn try_lease(
    store: &Store,
    name: &str,
    holder: &str,
    now_ms: i64,
    ttl_ms: i64,
) -> StoreResult<bool> {
    let mut q = Sql::new("INSERT INTO job_leases (name, holder, until_ms) VALUES ");
    q.values(vec![name.into(), holder.into(), (now_ms + ttl_ms).into()]);
    q.push(
        " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms \
         WHERE job_leases.holder = excluded.holder OR job_leases.until_ms <= ",
    )
    .bind(now_ms);
    Ok(store.execute(q).await? == 1)
}

/// Gives the lease up (a node shutting down), if `holder` still has it, so that another node
/// takes it at its next round instead of after the ttl.
pub async fn release(store: &Store, name: &str, holder: &str) -> StoreResult<()> {
    let mut q = Sql::new("DELETE FROM job_leases WHERE name = ");
    q.bind(name).push_bind(" AND holder = ", holder);
    store.execute(q).await?;
    Ok(())
}

/// Gives up every lease of `holder` (a node shutting down cleanly).
pub async fn release_all(store: &Store, holder: &str) -> StoreResult<u64> {
    let mut q = Sql::new("DELETE FROM job_leases WHERE holder = ");
    q.bind(holder);
    store.execute(q).await
}

/// Who holds the lease `name` and until when (for tests and the operator's eye).
pub async fn holder(store: &Store, name: &str) -> StoreResult<Option<(String, i64)>> {
    use sqlx::Row;
    let mut q = Sql::new("SELECT holder, until_ms FROM job_leases WHERE name = ");
    q.bind(name);
    match store.fetch_optional(q).await? {
        Some(r) => Ok(Some((r.try_get("holder")?, r.try_get("until_ms")?))),
        None => Ok(None),
    }
}

/// A node's id as a lease holder: the process id and a random part, new for every start (a
/// restarted node must not resume a dead one's lease before it lapses — it would not know
/// whether the old round is still running).
pub fn node_id() -> String {
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{}-{}", std::process::id(), &random[..12])
}

/// One loop's lease: its name, this node as holder, and how long a round keeps it.
#[derive(Debug, Clone)]
pub struct Lease {
    pub name: &'static str,
    pub holder: String,
    pub ttl_ms: i64,
}

impl Lease {
    /// A lease that outlives `rounds` periods of the loop (ADR 0027: three, so a live holder
    /// renews it twice before it could lapse).
    pub fn for_loop(name: &'static str, holder: &str, period: std::time::Duration) -> Self {
        Self {
            name,
            holder: holder.to_string(),
            ttl_ms: 3 * period.as_millis() as i64,
        }
    }

    /// Takes or renews the lease for a round; a database error counts as not having it (logged),
    /// so the round is skipped rather than run unguarded.
    pub async fn take(&self, store: &Store, now_ms: i64) -> bool {
        match try_lease(store, self.name, &self.holder, now_ms, self.ttl_ms).await {
            Ok(held) => held,
            Err(e) => {
                tracing::warn!(lease = self.name, error = %e, "lease not taken");
                false
            }
        }
    }

    /// Gives the lease up if this node has it; errors are logged (it lapses anyway).
    pub async fn release(&self, store: &Store) {
        if let Err(e) = release(store, self.name, &self.holder).await {
            tracing::warn!(lease = self.name, error = %e, "lease not released");
        }
    }
}
