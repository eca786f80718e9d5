//! 接口令牌: issuing and revoking a user's API tokens, each in one transaction with its audit
//! record.

use yingji_core::directory::token::{TokenLimits, check_name};
use yingji_store::directory::tokens::{self, ApiToken};
use yingji_store::directory::users::User;
use yingji_store::{Store, StoreResult, new_id};

/// Issues a token to `user`; only `token_hash` is kept.
pub async fn create_token(
    store: &Store,
    now: i64,
    user: &User,
    name: &str,
    limits: &TokenLimits,
    token_hash: &str,
    ip: Option<String>,
) -> StoreResult<ApiToken> {
    let name = check_name(name)?;
    let id = new_id();
    let mut tx = store.begin().await?;
    let token = tokens::NewToken {
        id: &id,
        name: &name,
        limits,
        token_hash,
    };
    tokens::create_token_in(&mut tx, now, user, token, ip).await?;
    tx.commit().await?;
    Ok(ApiToken {
        id,
        user_id: user.id.clone(),
        name,
        created_ms: now,
        last_used_ms: None,
        revoked_ms: None,
        expires_ms: limits.expires_ms,
        read_only: limits.read_only,
        resources: limits.resources.clone(),
    })
}

/// Revokes `user`'s live token `id`.
pub async fn revoke_token(
    store: &Store,
    now: i64,
    user: &User,
    id: &str,
    ip: Option<String>,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    tokens::revoke_token_in(&mut tx, now, user, id, ip).await?;
    tx.commit().await?;
    Ok(())
}
