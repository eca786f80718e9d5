//! 用户: creating and changing accounts and setting their passwords, each in one transaction
//! with its audit record. Passwords arrive hashed (argon2id, by the server).

use yingji_core::directory::user::{PasswordSetter, USERNAME_FIXED, UserInput};
use yingji_store::directory::users::{self, NewPassword, User};
use yingji_store::{Actor, Store, StoreError, StoreResult, new_id};

/// 新增用户 with the password hash `password_hash`; `must_change` makes them change it at
/// their first login.
pub async fn create(
    store: &Store,
    now: i64,
    actor: &Actor,
    input: &UserInput,
    password_hash: &str,
    must_change: bool,
) -> StoreResult<User> {
    let c = users::check_user(store, input).await?;
    let id = new_id();
    let active = input.active.unwrap_or(true);
    let password = NewPassword {
        hash: password_hash,
        must_change,
    };
    let mut tx = store.begin().await?;
    users::create_in(&mut tx, now, actor, &id, &c, active, password).await?;
    tx.commit().await?;
    users::by_id(store, &id).await
}

/// 修改用户 `id` (role, scope, active; the user name stays): the account's sessions end, so a
/// narrower role or scope, or a disabled account, takes effect at once.
pub async fn update(
    store: &Store,
    now: i64,
    actor: &Actor,
    id: &str,
    input: &UserInput,
) -> StoreResult<User> {
    let before = users::by_id(store, id).await?;
    let c = users::check_user(store, input).await?;
    if c.username != before.username {
        return Err(StoreError::invalid("username", USERNAME_FIXED));
    }
    let active = input.active.unwrap_or(before.active);
    let mut tx = store.begin().await?;
    users::update_in(&mut tx, now, actor, &before, &c, active).await?;
    tx.commit().await?;
    users::by_id(store, id).await
}

/// 修改密码 or 重置密码 of `user` (by `setter`): every session of the account ends and its API
/// tokens are revoked; a password someone else set must be changed at the next login.
pub async fn set_password(
    store: &Store,
    now: i64,
    actor: &Actor,
    user: &User,
    password_hash: &str,
    setter: PasswordSetter,
) -> StoreResult<()> {
    let password = NewPassword {
        hash: password_hash,
        must_change: setter.must_change(),
    };
    let summary = setter.summary(&user.username);
    let mut tx = store.begin().await?;
    users::set_password_in(&mut tx, now, actor, &user.id, password, summary).await?;
    tx.commit().await?;
    Ok(())
}
