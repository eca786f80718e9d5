//! Client-generated idempotency keys: the record a submission with a key wrote, kept per user
//! and key, so that the same submission sent again (a phone's draft after the network came back)
//! is answered with the first record instead of writing a second one. The key is written in the
//! same transaction as the record, so both commit together or neither does.

use crate::kernel::is_unique_violation;
use crate::{Sql, Store, StoreError, StoreResult, Tx};
use sqlx::Row;
use yingji_core::kernel::idempotency::{HEADER, KEY_IN_FLIGHT, KEY_REUSED};

/// A checked key of one user for one kind of submission (`hazard`, `patrol`,
/// `work_order_answer`).
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    pub user_id: &'a str,
    pub key: &'a str,
    pub kind: &'a str,
}

/// The record an earlier submission with this key wrote, if any; a key used for another kind of
/// submission is refused.
pub async fn replayed(store: &Store, key: Option<Key<'_>>) -> StoreResult<Option<String>> {
    let Some(k) = key else { return Ok(None) };
    let mut q = Sql::new("SELECT kind, record_id FROM idempotency_keys WHERE user_id = ");
    q.bind(k.user_id).push_bind(" AND idem_key = ", k.key);
    let Some(row) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    let kind: String = row.try_get("kind")?;
    if kind != k.kind {
        return Err(StoreError::conflict(HEADER, KEY_REUSED));
    }
    Ok(Some(row.try_get("record_id")?))
}

/// Records that this key wrote `record_id`, in the transaction that wrote it. A second first
/// send racing this one fails here (the primary key), so only one of them commits.
pub async fn record_in(
    tx: &mut Tx,
    key: Option<Key<'_>>,
    record_id: &str,
    now_ms: i64,
) -> StoreResult<()> {
    let Some(k) = key else { return Ok(()) };
    let mut q = Sql::new(
        "INSERT INTO idempotency_keys (user_id, idem_key, kind, record_id, created_ms) VALUES ",
    );
    q.values(vec![
        k.user_id.into(),
        k.key.into(),
        k.kind.into(),
        record_id.into(),
        now_ms.into(),
    ]);
    match q.execute(tx).await {
        Err(StoreError::Db(ref d)) if is_unique_violation(d) => {
            Err(StoreError::conflict(HEADER, KEY_IN_FLIGHT))
        }
        other => other.map(|_| ()),
    }
}

/// Deletes the keys written before `cutoff_ms` (`yingji_core::kernel::idempotency::prune_cutoff`);
/// answers how many went. One statement: safe on several nodes at once.
pub async fn prune(store: &Store, cutoff_ms: i64) -> StoreResult<u64> {
    let mut q = Sql::new("DELETE FROM idempotency_keys WHERE created_ms < ");
    q.bind(cutoff_ms);
    store.execute(q).await
}
