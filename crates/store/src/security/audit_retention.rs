//! The audit retention the database enforces (migration 0062): the trigger on `audit_log`
//! refuses to delete a row younger than `audit_retention.days` by the database's clock.

use crate::{Sql, Store, StoreResult};

/// Records the configured retention (checked by `yingji_core::security::retention`).
pub async fn set_days(store: &Store, days: i64) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE audit_retention SET days = ");
    q.bind(days).push(" WHERE id = 1");
    store.execute(q).await?;
    Ok(())
}

/// The retention in force.
pub async fn days(store: &Store) -> StoreResult<i64> {
    store
        .fetch_i64(Sql::new("SELECT days FROM audit_retention WHERE id = 1"))
        .await
}
