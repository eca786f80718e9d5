//! Pending two-step logins: the password passed, the second factor is due. Keyed by the
//! SHA-256 digest of a short-lived token; a few wrong codes drop it.

use crate::{Sql, Store, StoreResult, Tx};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub user_id: String,
    pub client: String,
    pub expires_ms: i64,
    pub attempts: i64,
    pub sms_code_hash: Option<String>,
    pub sms_expires_ms: Option<i64>,
    /// A sign-in through the 统一身份认证 platform waiting for this system's second factor.
    pub sso: Option<crate::directory::sessions::SsoLink>,
}

/// Opens a pending login (sweeping expired ones).
pub async fn create_in(
    tx: &mut Tx,
    now: i64,
    token_hash: &str,
    user_id: &str,
    (client, expires_ms): (&str, i64),
    sso: Option<&crate::directory::sessions::SsoLink>,
) -> StoreResult<()> {
    let mut sweep = Sql::new("DELETE FROM pending_logins WHERE expires_ms < ");
    sweep.bind(now).execute(&mut *tx).await?;
    let mut q = Sql::new(
        "INSERT INTO pending_logins (token_hash, user_id, client, expires_ms, attempts, sso_protocol, sso_sid) VALUES ",
    );
    q.values(vec![
        token_hash.into(),
        user_id.into(),
        client.into(),
        expires_ms.into(),
        0i64.into(),
        sso.map(|l| l.protocol.clone()).into(),
        sso.and_then(|l| l.sid.clone()).into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

/// The live pending login `token_hash`.
pub async fn get(store: &Store, now: i64, token_hash: &str) -> StoreResult<Option<Pending>> {
    let mut q = Sql::new(
        "SELECT user_id, client, expires_ms, attempts, sms_code_hash, sms_expires_ms, sso_protocol, sso_sid FROM pending_logins WHERE token_hash = ",
    );
    q.bind(token_hash).push_bind(" AND expires_ms > ", now);
    store
        .fetch_optional(q)
        .await?
        .map(|r| {
            Ok(Pending {
                user_id: r.try_get("user_id")?,
                client: r.try_get("client")?,
                expires_ms: r.try_get("expires_ms")?,
                attempts: r.try_get("attempts")?,
                sms_code_hash: r.try_get("sms_code_hash")?,
                sms_expires_ms: r.try_get("sms_expires_ms")?,
                sso: r
                    .try_get::<Option<String>, _>("sso_protocol")?
                    .map(|protocol| crate::directory::sessions::SsoLink {
                        protocol,
                        sid: r.try_get("sso_sid").ok().flatten(),
                    }),
            })
        })
        .transpose()
}

/// Counts a wrong code.
pub async fn fail(store: &Store, token_hash: &str) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE pending_logins SET attempts = attempts + 1 WHERE token_hash = ");
    q.bind(token_hash);
    store.execute(q).await?;
    Ok(())
}

/// Sets the SMS code sent for this pending login.
pub async fn set_sms_in(
    tx: &mut Tx,
    token_hash: &str,
    code_hash: &str,
    expires_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE pending_logins SET sms_code_hash = ");
    q.bind(code_hash)
        .push_bind(", sms_expires_ms = ", expires_ms)
        .push_bind(" WHERE token_hash = ", token_hash);
    q.execute(tx).await?;
    Ok(())
}

/// Ends the pending login.
pub async fn delete_in(tx: &mut Tx, token_hash: &str) -> StoreResult<()> {
    let mut q = Sql::new("DELETE FROM pending_logins WHERE token_hash = ");
    q.bind(token_hash).execute(tx).await?;
    Ok(())
}
