//! Failed logins per (user name, client address). The counts live in their own table so that a
//! lock binds one pair, not the account; rows older than a day are swept on every failure.

use crate::directory::users::User;
use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreResult, Tx};
use sqlx::Row;
use yingji_core::directory::login::{self as rules, FAILURE_WINDOW_MS, LockPolicy, lock_after};

/// Until when this pair is locked, if it is now.
pub async fn locked_until(
    store: &Store,
    now: i64,
    username: &str,
    client: &str,
) -> StoreResult<Option<i64>> {
    let mut q = Sql::new("SELECT locked_until_ms FROM login_failures WHERE username = ");
    q.bind(username).push_bind(" AND client = ", client);
    let row = store.fetch_optional(q).await?;
    Ok(row
        .and_then(|r| r.try_get::<Option<i64>, _>(0).ok().flatten())
        .filter(|&u| u > now))
}

/// Counts a failure of `username` from `client` (after sweeping stale counts); the lock's end
/// when this one locks the pair under `policy`. The audit log records it against the account
/// `user_id` when the name exists.
pub async fn record_failure_in(
    tx: &mut Tx,
    now: i64,
    username: &str,
    client: &str,
    user_id: Option<&str>,
    policy: LockPolicy,
) -> StoreResult<Option<i64>> {
    let username: String = username.chars().take(64).collect();
    let mut sweep = Sql::new("DELETE FROM login_failures WHERE last_ms < ");
    sweep
        .bind(now - FAILURE_WINDOW_MS)
        .push_bind(" AND (locked_until_ms IS NULL OR locked_until_ms < ", now)
        .push(")");
    sweep.execute(&mut *tx).await?;
    let mut up = Sql::new(
        "INSERT INTO login_failures (username, client, failures, locked_until_ms, last_ms) VALUES ",
    );
    up.values(vec![
        username.as_str().into(),
        client.into(),
        1i64.into(),
        None::<i64>.into(),
        now.into(),
    ])
    .push(" ON CONFLICT (username, client) DO UPDATE SET failures = login_failures.failures + 1")
    .push_bind(", last_ms = ", now)
    .push(" RETURNING failures");
    let failures: i64 = up.fetch_one(&mut *tx).await?.try_get(0)?;
    if let Some(id) = user_id {
        let mut n =
            Sql::new("UPDATE users SET failed_since_login = failed_since_login + 1 WHERE id = ");
        n.bind(id).execute(&mut *tx).await?;
    }
    let until = lock_after(failures, policy.max_failures, policy.lock_ms).map(|d| now + d);
    if let Some(until) = until {
        let mut lock = Sql::new("UPDATE login_failures SET locked_until_ms = ");
        lock.bind(until)
            .push_bind(" WHERE username = ", username.as_str())
            .push_bind(" AND client = ", client);
        lock.execute(&mut *tx).await?;
        if let Some(id) = user_id {
            let mut u = Sql::new("UPDATE users SET locked_until_ms = ");
            u.bind(until).push_bind(" WHERE id = ", id);
            u.execute(&mut *tx).await?;
        }
    }
    let actor = Actor {
        user_id: None,
        name: username.clone(),
        ip: Some(client.to_string()),
    };
    let summary = rules::failure_summary(&username, client, failures, until.map(|u| u - now));
    audit::append(
        tx,
        now,
        &actor,
        Change {
            action: if until.is_some() {
                "lock"
            } else {
                "login_failed"
            },
            entity_type: "user",
            entity_id: user_id,
            summary,
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(until)
}

/// A successful login clears its pair.
pub async fn clear_pair_in(tx: &mut Tx, username: &str, client: &str) -> StoreResult<()> {
    let mut q = Sql::new("DELETE FROM login_failures WHERE username = ");
    q.bind(username).push_bind(" AND client = ", client);
    q.execute(tx).await?;
    Ok(())
}

/// 解锁: clears every address's count for `user`'s account, with the audit record.
pub async fn unlock_in(tx: &mut Tx, now: i64, actor: &Actor, user: &User) -> StoreResult<()> {
    let mut q = Sql::new("DELETE FROM login_failures WHERE username = ");
    q.bind(user.username.as_str()).execute(&mut *tx).await?;
    let mut u = Sql::new("UPDATE users SET failed_logins = 0, locked_until_ms = NULL WHERE id = ");
    u.bind(user.id.as_str()).execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "unlock",
            entity_type: "user",
            entity_id: Some(&user.id),
            summary: rules::unlock_summary(&user.username),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}
