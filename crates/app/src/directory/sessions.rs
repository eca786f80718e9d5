//! 登录 and 退出登录: opening and ending a browser session, each in one transaction with its
//! audit record.

use yingji_store::directory::logins;
use yingji_store::directory::sessions::{self, NewSession};
use yingji_store::directory::users::User;
use yingji_store::{Store, StoreResult};

/// 登录: `user` signed in from `client` (their address, or "-"). The failed logins of the
/// (name, address) pair are cleared and the session recorded.
pub async fn open(
    store: &Store,
    now: i64,
    user: &User,
    client: &str,
    session: &NewSession,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    logins::clear_pair_in(&mut tx, &user.username, client).await?;
    sessions::create_in(&mut tx, now, user, session).await?;
    tx.commit().await?;
    Ok(())
}

/// 退出登录: ends `user`'s session `token_hash`.
pub async fn close(
    store: &Store,
    now: i64,
    token_hash: &str,
    user: &User,
    ip: Option<String>,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    sessions::delete_in(&mut tx, now, token_hash, user, ip).await?;
    tx.commit().await?;
    Ok(())
}
