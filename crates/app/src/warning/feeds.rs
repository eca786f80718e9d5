//! 预警订阅源: registering and changing the feeds yingji-jobs polls.

use yingji_core::kernel::role::{Role, Scope};
use yingji_core::warning::access::may_manage_feeds;
use yingji_core::warning::feed::{ONLY_MANAGERS, check_feed};
use yingji_store::warning::feeds::{self, Feed, FeedInput};
use yingji_store::{Actor, Store, StoreError, StoreResult, new_id};

fn may_manage(role: Role) -> StoreResult<()> {
    if may_manage_feeds(role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(ONLY_MANAGERS.into()))
    }
}

/// 登记订阅源 for `district`, polled from now on.
pub async fn create(
    store: &Store,
    actor: &Actor,
    role: Role,
    district: &str,
    now_ms: i64,
    input: &FeedInput,
) -> StoreResult<Feed> {
    may_manage(role)?;
    let c = check_feed(input)?;
    let id = new_id();
    let mut tx = store.begin().await?;
    feeds::create_in(&mut tx, actor, district, now_ms, &id, &c, input.active).await?;
    tx.commit().await?;
    feeds::get(store, &Scope::All, &id).await
}

/// 修改订阅源 (one the caller sees); it is polled at once.
pub async fn update(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    id: &str,
    input: &FeedInput,
) -> StoreResult<Feed> {
    may_manage(role)?;
    feeds::get(store, scope, id).await?;
    let c = check_feed(input)?;
    let mut tx = store.begin().await?;
    feeds::update_in(&mut tx, actor, now_ms, id, &c, input.active).await?;
    tx.commit().await?;
    feeds::get(store, scope, id).await
}
