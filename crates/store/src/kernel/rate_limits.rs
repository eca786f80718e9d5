//! Rate-limit windows shared by every node on one database (`yingji_core::kernel::rate_limit`):
//! one atomic upsert counts a hit and answers the window's count, on SQLite (3.35+) and
//! PostgreSQL alike.

use crate::{Sql, Store, StoreResult};

/// Counts one hit of `key` in the window starting at `window_ms`; answers the window's hits,
/// this one included.
pub async fn hit(store: &Store, key: &str, window_ms: i64) -> StoreResult<i64> {
    let mut q = Sql::new("INSERT INTO rate_limits (rkey, window_ms, hits) VALUES ");
    q.values(vec![key.into(), window_ms.into(), 1i64.into()]);
    q.push(
        " ON CONFLICT (rkey, window_ms) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
    );
    store.fetch_i64(q).await
}

/// The hits of `key` in the window starting at `window_ms`, without counting one.
pub async fn hits(store: &Store, key: &str, window_ms: i64) -> StoreResult<i64> {
    let mut q = Sql::new("SELECT COALESCE(MAX(hits), 0) FROM rate_limits WHERE rkey = ");
    q.bind(key).push_bind(" AND window_ms = ", window_ms);
    store.fetch_i64(q).await
}

/// Deletes the windows that started before `before_ms`. One statement: safe on several nodes.
pub async fn prune(store: &Store, before_ms: i64) -> StoreResult<u64> {
    let mut q = Sql::new("DELETE FROM rate_limits WHERE window_ms < ");
    q.bind(before_ms);
    store.execute(q).await
}
