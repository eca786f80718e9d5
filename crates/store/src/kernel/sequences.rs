//! Numbered sequences (隐患编号, 事件编号, CAP identifiers, 调拨单号 …), one row per name.

use crate::{Sql, StoreResult, Tx};
use sqlx::Row;

/// The next number of a named sequence (1, 2, …), inside the caller's transaction so a number
/// is used once even when writers race. Human codes (隐患编号, 事件编号) are built from these.
pub async fn next_in_sequence(tx: &mut Tx, name: &str) -> StoreResult<i64> {
    let mut q = Sql::new("INSERT INTO sequences (scope, next) VALUES (");
    q.bind(name)
        .push(", 1) ON CONFLICT (scope) DO UPDATE SET next = sequences.next + 1 RETURNING next");
    Ok(q.fetch_one(tx).await?.try_get(0)?)
}
