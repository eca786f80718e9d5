//! The syslog forwarding cursor (migration 0062): the last audit `seq` the collector took.
//! Appends are serialised by the audit head's lock until they commit, so rows become visible in
//! `seq` order and a cursor never skips one.

use crate::{Sql, Store, StoreResult};
use sqlx::Row;

/// One audit row as forwarded.
#[derive(Debug, Clone)]
pub struct ForwardRow {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub summary: String,
    pub ip: Option<String>,
    pub hash: String,
}

/// The last seq forwarded.
pub async fn cursor(store: &Store) -> StoreResult<i64> {
    store
        .fetch_i64(Sql::new("SELECT seq FROM audit_forwarding WHERE id = 1"))
        .await
}

/// Up to `limit` rows after `seq`, in order.
pub async fn after(store: &Store, seq: i64, limit: i64) -> StoreResult<Vec<ForwardRow>> {
    let mut q = Sql::new(
        "SELECT seq, at_ms, actor_id, actor_name, action, entity_type, entity_id, summary, ip, hash FROM audit_log WHERE seq > ",
    );
    q.bind(seq)
        .push(&format!(" ORDER BY seq LIMIT {}", limit.clamp(1, 10_000)));
    let rows = store.fetch_all(q).await?;
    rows.iter()
        .map(|r| {
            Ok(ForwardRow {
                seq: r.try_get("seq")?,
                at_ms: r.try_get("at_ms")?,
                actor_id: r.try_get("actor_id")?,
                actor_name: r.try_get("actor_name")?,
                action: r.try_get("action")?,
                entity_type: r.try_get("entity_type")?,
                entity_id: r.try_get("entity_id")?,
                summary: r.try_get("summary")?,
                ip: r.try_get("ip")?,
                hash: r.try_get("hash")?,
            })
        })
        .collect()
}

/// Moves the cursor forward to `seq` (never back: a node whose lease ran out cannot undo the
/// next node's progress).
pub async fn advance(store: &Store, seq: i64, now_ms: i64) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE audit_forwarding SET seq = ");
    q.bind(seq)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = 1 AND seq < ", seq);
    store.execute(q).await?;
    Ok(())
}
