//! 登录失败 and 解锁: counting a failed login of a (name, address) pair, and an administrator
//! clearing an account's counts, each in one transaction with its audit record.

use yingji_core::directory::login::LockPolicy;
use yingji_store::directory::{logins, users};
use yingji_store::{Actor, Store, StoreResult};

/// Counts a failed login of `username` from `client` (`user_id` when the name exists); the
/// lock's end when this failure locks the pair under `policy`.
pub async fn record_failure(
    store: &Store,
    now: i64,
    username: &str,
    client: &str,
    user_id: Option<&str>,
    policy: LockPolicy,
) -> StoreResult<Option<i64>> {
    let mut tx = store.begin().await?;
    let until = logins::record_failure_in(&mut tx, now, username, client, user_id, policy).await?;
    tx.commit().await?;
    Ok(until)
}

/// 解除登录锁定 of account `user_id`: every address's count is cleared.
pub async fn unlock(store: &Store, now: i64, actor: &Actor, user_id: &str) -> StoreResult<()> {
    let user = users::by_id(store, user_id).await?;
    let mut tx = store.begin().await?;
    logins::unlock_in(&mut tx, now, actor, &user).await?;
    tx.commit().await?;
    Ok(())
}
