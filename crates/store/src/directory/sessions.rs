//! Browser sessions: server-side rows keyed by the SHA-256 digest of the cookie's token (the
//! token itself never reaches the store), with an idle expiry extended as the user works.

use crate::directory::users::{User, by_id};
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreResult, Tx};
use sqlx::Row;
use yingji_core::directory::user as rules;

/// A session being opened: its token's digest, its idle lifetime and where it comes from.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub ttl_ms: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// One session per account: the account's other sessions end.
    pub single: bool,
    /// Opened through the 统一身份认证 platform: which, and the provider's session.
    pub sso: Option<SsoLink>,
}

/// The provider's session behind a session of ours (单点退出).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoLink {
    /// "oidc" or "cas".
    pub protocol: String,
    /// The digest of the CAS service ticket or of the OIDC `sid` claim (none when the provider
    /// gave no `sid`).
    pub sid: Option<String>,
}

/// Records `user`'s new session, clears the account's failed logins, sweeps expired sessions
/// (which keeps the table small without a timer) and writes the audit record of the login.
pub async fn create_in(tx: &mut Tx, now: i64, user: &User, s: &NewSession) -> StoreResult<()> {
    if s.single {
        crate::security::passwords::end_sessions_in(tx, &user.id).await?;
    }
    crate::security::passwords::record_login_in(tx, now, &user.id, s.ip.clone()).await?;
    let mut ins = Sql::new(
        "INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms, last_seen_ms, ip, user_agent, sso_protocol, sso_sid) VALUES ",
    );
    ins.values(vec![
        s.token_hash.as_str().into(),
        user.id.as_str().into(),
        now.into(),
        (now + s.ttl_ms).into(),
        now.into(),
        s.ip.clone().into(),
        s.user_agent
            .as_deref()
            .map(|u| u.chars().take(200).collect::<String>())
            .into(),
        s.sso.as_ref().map(|l| l.protocol.clone()).into(),
        s.sso.as_ref().and_then(|l| l.sid.clone()).into(),
    ]);
    ins.execute(&mut *tx).await?;
    let mut up = Sql::new("UPDATE users SET failed_logins = 0, locked_until_ms = NULL WHERE id = ");
    up.bind(&user.id).execute(&mut *tx).await?;
    let mut sweep = Sql::new("DELETE FROM sessions WHERE expires_ms < ");
    sweep.bind(now).execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        &user.actor(s.ip.clone()),
        Change {
            action: "login",
            entity_type: "user",
            entity_id: Some(&user.id),
            summary: rules::login_summary(&user.username),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// A session's lifetimes: ended after `idle_ms` without activity, and `absolute_ms` after it
/// opened however active (the district's policy, or the operator's override).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    pub idle_ms: i64,
    pub absolute_ms: i64,
}

/// The live session's user, extending its idle expiry.
pub async fn session_user(
    store: &Store,
    now: i64,
    token_hash: &str,
    life: Lifetimes,
) -> StoreResult<Option<User>> {
    let mut q =
        Sql::new("SELECT user_id, created_ms, last_seen_ms FROM sessions WHERE token_hash = ");
    q.bind(token_hash);
    let Some(row) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    let created: i64 = row.try_get("created_ms")?;
    let last_seen: i64 = row.try_get("last_seen_ms")?;
    if !yingji_core::security::policy::session_alive(
        life.idle_ms,
        life.absolute_ms,
        created,
        last_seen,
        now,
    ) {
        return Ok(None);
    }
    // Touch at most once a minute so reads do not turn into writes on every request.
    if now - last_seen > 60_000 {
        let expires =
            (now.saturating_add(life.idle_ms)).min(created.saturating_add(life.absolute_ms));
        let mut up = Sql::new("UPDATE sessions SET last_seen_ms = ");
        up.bind(now)
            .push_bind(", expires_ms = ", expires)
            .push_bind(" WHERE token_hash = ", token_hash);
        store.execute(up).await?;
    }
    let user = by_id(store, &row.try_get::<String, _>("user_id")?).await?;
    Ok(user.active.then_some(user))
}

/// Ends session `token_hash` of `user` and writes the audit record of the logout.
pub async fn delete_in(
    tx: &mut Tx,
    now: i64,
    token_hash: &str,
    user: &User,
    ip: Option<String>,
) -> StoreResult<()> {
    let mut del = Sql::new("DELETE FROM sessions WHERE token_hash = ");
    del.bind(token_hash).execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        &user.actor(ip),
        Change {
            action: "logout",
            entity_type: "user",
            entity_id: Some(&user.id),
            summary: rules::logout_summary(&user.username),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// The provider session behind session `token_hash`, when it was opened through one.
pub async fn sso_of(store: &Store, token_hash: &str) -> StoreResult<Option<SsoLink>> {
    let mut q = Sql::new("SELECT sso_protocol, sso_sid FROM sessions WHERE token_hash = ");
    q.bind(token_hash);
    let Some(r) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    let protocol: Option<String> = r.try_get("sso_protocol")?;
    Ok(protocol.map(|protocol| SsoLink {
        protocol,
        sid: r.try_get("sso_sid").ok().flatten(),
    }))
}

/// The sessions a provider opened through `protocol`, of one of its sessions (`sid`, a digest)
/// or of one account (every session it opened for `user_id`): (token digest, user id).
pub async fn of_provider_in(
    tx: &mut Tx,
    protocol: &str,
    (sid, user_id): (Option<&str>, Option<&str>),
) -> StoreResult<Vec<(String, String)>> {
    let mut q = Sql::new("SELECT token_hash, user_id FROM sessions WHERE sso_protocol = ");
    q.bind(protocol);
    match (sid, user_id) {
        (Some(sid), _) => q.push_bind(" AND sso_sid = ", sid),
        (None, Some(u)) => q.push_bind(" AND user_id = ", u),
        (None, None) => return Ok(Vec::new()),
    };
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("token_hash")?, r.try_get("user_id")?)))
        .collect()
}
