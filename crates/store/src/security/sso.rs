//! 统一身份认证: sign-ins in progress (sso_requests, keyed by the digest of their state), the
//! link of an account to the provider's identity (users.sso_subject), and the audit records of
//! sign-ins through a provider and their refusals.

use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreResult, Tx};
use sqlx::Row;

/// A sign-in sent to the provider.
#[derive(Debug, Clone)]
pub struct SsoRequest {
    pub state_hash: String,
    pub protocol: String,
    pub nonce: String,
    pub verifier: String,
    pub expires_ms: i64,
}

/// Records a sign-in sent to the provider and sweeps the expired ones.
pub async fn save_request(store: &Store, now: i64, r: &SsoRequest) -> StoreResult<()> {
    let mut sweep = Sql::new("DELETE FROM sso_requests WHERE expires_ms < ");
    sweep.bind(now);
    store.execute(sweep).await?;
    let mut ins = Sql::new(
        "INSERT INTO sso_requests (state_hash, protocol, nonce, verifier, created_ms, expires_ms) VALUES ",
    );
    ins.values(vec![
        r.state_hash.as_str().into(),
        r.protocol.as_str().into(),
        r.nonce.as_str().into(),
        r.verifier.as_str().into(),
        now.into(),
        r.expires_ms.into(),
    ]);
    store.execute(ins).await?;
    Ok(())
}

/// Takes (once) the live sign-in of `protocol` with state digest `state_hash`: (nonce, verifier).
pub async fn take_request(
    store: &Store,
    now: i64,
    protocol: &str,
    state_hash: &str,
) -> StoreResult<Option<(String, String)>> {
    let mut q =
        Sql::new("SELECT nonce, verifier, expires_ms FROM sso_requests WHERE state_hash = ");
    q.bind(state_hash).push_bind(" AND protocol = ", protocol);
    let Some(row) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    let mut del = Sql::new("DELETE FROM sso_requests WHERE state_hash = ");
    del.bind(state_hash);
    // Whoever deletes the row owns the sign-in: a replayed callback finds nothing.
    if store.execute(del).await? == 0 || row.try_get::<i64, _>("expires_ms")? <= now {
        return Ok(None);
    }
    Ok(Some((row.try_get("nonce")?, row.try_get("verifier")?)))
}

/// The account linked to `subject`, else the unlinked account whose user name is `subject`:
/// (id, whether it is linked already).
pub async fn account_of(store: &Store, subject: &str) -> StoreResult<Option<(String, bool)>> {
    let mut q = Sql::new("SELECT id FROM users WHERE sso_subject = ");
    q.bind(subject);
    if let Some(r) = store.fetch_optional(q).await? {
        return Ok(Some((r.try_get("id")?, true)));
    }
    let mut q = Sql::new("SELECT id FROM users WHERE sso_subject IS NULL AND username = ");
    q.bind(subject);
    Ok(match store.fetch_optional(q).await? {
        Some(r) => Some((r.try_get("id")?, false)),
        None => None,
    })
}

/// Links account `user_id` to the provider's `subject` (its first sign-in through a provider).
pub async fn link_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    user_id: &str,
    subject: &str,
    summary: String,
) -> StoreResult<()> {
    let mut up = Sql::new("UPDATE users SET sso_subject = ");
    up.bind(subject)
        .push_bind(", updated_ms = ", now)
        .push_bind(" WHERE id = ", user_id);
    up.execute(&mut *tx).await?;
    record_in(tx, now, actor, ("sso_link", Some(user_id)), summary).await
}

/// An audit record of `(action, user id)` on a user (sso_login, sso_login_failed, sso_link).
pub async fn record_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    (action, user_id): (&'static str, Option<&str>),
    summary: String,
) -> StoreResult<()> {
    audit::append(
        tx,
        now,
        actor,
        Change {
            action,
            entity_type: "user",
            entity_id: user_id,
            summary,
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}
