//! 用户: creating and changing accounts and setting their passwords, each in one transaction
//! with its audit record. Passwords arrive hashed (argon2id, by the server).

use yingji_core::directory::user::{CheckedUser, PasswordSetter, USERNAME_FIXED, UserInput};
use yingji_core::kernel::role::Role;
use yingji_core::security::admins::{self, AccountState, Refusal};
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

/// 修改用户 `id` (role, scope, active; the user name stays) by an administrator of role
/// `editor` (三员分立: core decides who may change what): the account's sessions end, so a
/// narrower role or scope, or a disabled account, takes effect at once.
pub async fn update(
    store: &Store,
    now: i64,
    (editor, actor): (Role, &Actor),
    id: &str,
    input: &UserInput,
) -> StoreResult<User> {
    let before = users::by_id(store, id).await?;
    let c = users::check_user(store, input).await?;
    if c.username != before.username {
        return Err(StoreError::invalid("username", USERNAME_FIXED));
    }
    let active = input.active.unwrap_or(before.active);
    let own = actor.user_id.as_deref() == Some(id);
    let mut tx = store.begin().await?;
    let holders = users::count_active_with_role_in(&mut tx, &before.role).await?;
    let states = (state_of(&before), checked_state(&c, active));
    admins::may_update(editor, own, (&states.0, &states.1), holders).map_err(refused)?;
    users::update_in(&mut tx, now, actor, &before, &c, active).await?;
    tx.commit().await?;
    users::by_id(store, id).await
}

/// The role, scope and state of a stored account, for the 三员分立 decisions.
pub fn state_of(u: &User) -> AccountState {
    AccountState {
        role: u.role(),
        scope: [
            u.region_code.clone(),
            u.department_id.clone(),
            u.enterprise_id.clone(),
            u.insurer_id.clone(),
        ],
        active: u.active,
    }
}

fn checked_state(c: &CheckedUser, active: bool) -> AccountState {
    AccountState {
        role: c.role,
        scope: [
            c.region_code.clone(),
            c.department_id.clone(),
            c.enterprise_id.clone(),
            c.insurer_id.clone(),
        ],
        active,
    }
}

/// A core refusal as a store error: 403, or a field error naming the field.
pub fn refused(r: Refusal) -> StoreError {
    if r.forbidden {
        StoreError::Forbidden(r.message)
    } else {
        StoreError::invalid(r.field, r.message)
    }
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
