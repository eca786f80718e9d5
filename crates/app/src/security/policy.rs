//! 修改密码与会话策略: a checked new version of the district's policy, audited.

use yingji_core::kernel::role::Role;
use yingji_core::security::policy::{self as rules, Policy};
use yingji_store::security::policies;
use yingji_store::{Actor, Store, StoreError, StoreResult};

/// Saves `policy` as the next version; answers the version.
pub async fn change(store: &Store, now: i64, actor: &Actor, policy: &Policy) -> StoreResult<i64> {
    rules::check(policy, |r| Role::parse(r).is_ok())
        .map_err(|(field, m)| StoreError::invalid(field, m))?;
    let mut tx = store.begin().await?;
    let version = policies::save_in(&mut tx, now, actor, policy).await?;
    tx.commit().await?;
    Ok(version)
}
