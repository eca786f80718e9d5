//! API tokens for machine clients: stored as digests, with an expiry and an optional read-only
//! or resource subset (yingji_core::directory::token); revoked one by one, or all at once when the owner's
//! password changes or is reset (users::set_password).

use crate::directory::users::{User, by_id};
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::split_codes;
use yingji_core::directory::token::{TokenLimits, effective_expiry};

#[derive(Debug, Clone, Serialize)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub created_ms: i64,
    pub last_used_ms: Option<i64>,
    pub revoked_ms: Option<i64>,
    pub expires_ms: i64,
    /// Reads only (GET).
    pub read_only: bool,
    /// The resources (first path segment under /api/v1/) it may reach; empty: all of its owner's.
    pub resources: Vec<String>,
}

/// The user a token acts for, with the token's limits.
#[derive(Debug, Clone)]
pub struct TokenUser {
    pub user: User,
    pub read_only: bool,
    pub resources: Vec<String>,
}

const COLUMNS: &str =
    "id, user_id, name, created_ms, last_used_ms, revoked_ms, expires_ms, read_only, resources";

fn token_from_row(r: &AnyRow) -> StoreResult<ApiToken> {
    let created_ms: i64 = r.try_get("created_ms")?;
    Ok(ApiToken {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        name: r.try_get("name")?,
        created_ms,
        last_used_ms: r.try_get("last_used_ms")?,
        revoked_ms: r.try_get("revoked_ms")?,
        expires_ms: effective_expiry(created_ms, r.try_get("expires_ms")?),
        read_only: r.try_get::<i64, _>("read_only")? != 0,
        resources: split_codes(&r.try_get::<String, _>("resources")?),
    })
}

/// A token to record: its id, checked name, limits and hash (the token itself is not kept).
pub struct NewToken<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub limits: &'a TokenLimits,
    pub token_hash: &'a str,
}

/// Records a token of `user` and its audit record (with the caller's address).
pub async fn create_token_in(
    tx: &mut Tx,
    now: i64,
    user: &User,
    token: NewToken<'_>,
    ip: Option<String>,
) -> StoreResult<()> {
    let NewToken {
        id,
        name,
        limits,
        token_hash,
    } = token;
    let mut ins = Sql::new(&format!(
        "INSERT INTO api_tokens (token_hash, {COLUMNS}) VALUES "
    ));
    ins.values(vec![
        token_hash.into(),
        id.into(),
        user.id.as_str().into(),
        name.into(),
        now.into(),
        None::<i64>.into(),
        None::<i64>.into(),
        limits.expires_ms.into(),
        i64::from(limits.read_only).into(),
        limits.resources.join(",").into(),
    ]);
    ins.execute(&mut *tx).await?;
    let after = serde_json::json!({
        "name": name, "expires_ms": limits.expires_ms,
        "read_only": limits.read_only, "resources": limits.resources,
    });
    audit::append(
        tx,
        now,
        &user.actor(ip),
        Change {
            action: "create",
            entity_type: "api_token",
            entity_id: Some(id),
            summary: yingji_core::directory::token::created_summary(name),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

pub async fn list_tokens(store: &Store, user_id: &str) -> StoreResult<Vec<ApiToken>> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE user_id = "
    ));
    q.bind(user_id).push(" ORDER BY created_ms DESC");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(token_from_row)
        .collect()
}

/// Revokes live token `id` of `user` (NotFound when it has no such live token) and writes the
/// audit record.
pub async fn revoke_token_in(
    tx: &mut Tx,
    now: i64,
    user: &User,
    id: &str,
    ip: Option<String>,
) -> StoreResult<()> {
    let mut up = Sql::new("UPDATE api_tokens SET revoked_ms = ");
    up.bind(now)
        .push_bind(" WHERE id = ", id)
        .push_bind(" AND user_id = ", &user.id)
        .push(" AND revoked_ms IS NULL");
    if up.execute(&mut *tx).await? == 0 {
        return Err(StoreError::NotFound);
    }
    audit::append(
        tx,
        now,
        &user.actor(ip),
        Change {
            action: "revoke",
            entity_type: "api_token",
            entity_id: Some(id),
            summary: yingji_core::directory::token::REVOKED_SUMMARY.into(),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// The active owner of a live token (not revoked, not expired).
pub async fn token_user(
    store: &Store,
    now: i64,
    token_hash: &str,
) -> StoreResult<Option<TokenUser>> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE revoked_ms IS NULL AND token_hash = "
    ));
    q.bind(token_hash);
    let Some(row) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    let t = token_from_row(&row)?;
    if t.expires_ms <= now {
        return Ok(None);
    }
    if t.last_used_ms.is_none_or(|l| now - l > 60_000) {
        let mut up = Sql::new("UPDATE api_tokens SET last_used_ms = ");
        up.bind(now).push_bind(" WHERE id = ", t.id.as_str());
        store.execute(up).await?;
    }
    let user = by_id(store, &t.user_id).await?;
    Ok(user.active.then_some(TokenUser {
        user,
        read_only: t.read_only,
        resources: t.resources,
    }))
}
