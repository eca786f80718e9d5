//! Password history (argon2id hashes of the last ones, the current one included) and the
//! record of the latest login.

use crate::{Sql, Store, StoreResult, Tx};
use sqlx::Row;

/// The most hashes kept per account (the policy's history is at most this).
pub const KEEP: i64 = 24;

/// Remembers `hash` as `user_id`'s newest password, keeping the newest [`KEEP`].
pub async fn remember_in(tx: &mut Tx, now: i64, user_id: &str, hash: &str) -> StoreResult<()> {
    let mut ins = Sql::new("INSERT INTO password_history (user_id, hash, set_ms) VALUES ");
    ins.values(vec![user_id.into(), hash.into(), now.into()]);
    ins.execute(&mut *tx).await?;
    let mut old = Sql::new("SELECT set_ms FROM password_history WHERE user_id = ");
    old.bind(user_id)
        .push(" ORDER BY set_ms DESC")
        .push_bind(" LIMIT 1 OFFSET ", KEEP - 1);
    if let Some(r) = old.fetch_optional(&mut *tx).await? {
        let cut: i64 = r.try_get(0)?;
        let mut del = Sql::new("DELETE FROM password_history WHERE user_id = ");
        del.bind(user_id).push_bind(" AND set_ms < ", cut);
        del.execute(&mut *tx).await?;
    }
    Ok(())
}

/// The hashes of `user_id`'s last `n` passwords, newest first.
pub async fn recent(store: &Store, user_id: &str, n: i64) -> StoreResult<Vec<String>> {
    let mut q = Sql::new("SELECT hash FROM password_history WHERE user_id = ");
    q.bind(user_id)
        .push(" ORDER BY set_ms DESC")
        .push_bind(" LIMIT ", n.max(0));
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<String, _>(0)?))
        .collect()
}

/// Records a successful login of `user_id` from `ip`: the latest login becomes the previous
/// one, with the failures counted since.
pub async fn record_login_in(
    tx: &mut Tx,
    now: i64,
    user_id: &str,
    ip: Option<String>,
) -> StoreResult<()> {
    let mut up = Sql::new(
        "UPDATE users SET prev_login_ms = last_login_ms, prev_login_ip = last_login_ip, failed_before_login = failed_since_login, failed_since_login = 0, last_login_ms = ",
    );
    up.bind(now)
        .push_bind(", last_login_ip = ", ip)
        .push_bind(" WHERE id = ", user_id);
    up.execute(tx).await?;
    Ok(())
}

/// Ends every session of `user_id` (one session per account).
pub async fn end_sessions_in(tx: &mut Tx, user_id: &str) -> StoreResult<()> {
    let mut del = Sql::new("DELETE FROM sessions WHERE user_id = ");
    del.bind(user_id).execute(tx).await?;
    Ok(())
}
