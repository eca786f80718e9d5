//! 行政区划: adding, renaming and deleting regions, each in one transaction.

use yingji_core::directory::region;
use yingji_core::kernel::role::Scope;
use yingji_store::directory::regions::{self, Region, RegionInput, RegionUpdate};
use yingji_store::{Actor, Store, StoreResult};

/// 新增区划.
pub async fn create(
    store: &Store,
    now: i64,
    actor: &Actor,
    input: &RegionInput,
) -> StoreResult<Region> {
    let c = regions::check_region(input)?;
    let mut tx = store.begin().await?;
    regions::create_in(&mut tx, now, actor, input, &c).await?;
    tx.commit().await?;
    regions::get(store, &Scope::All, c.code()).await
}

/// 修改区划 `code`: its name and, when given, its boundary.
pub async fn update(
    store: &Store,
    now: i64,
    actor: &Actor,
    code: &str,
    input: &RegionUpdate,
) -> StoreResult<Region> {
    let before = regions::get(store, &Scope::All, code).await?;
    let name = region::check_name(&input.name)?;
    let mut tx = store.begin().await?;
    regions::update_in(&mut tx, now, actor, &before, &name, input).await?;
    tx.commit().await?;
    regions::get(store, &Scope::All, code).await
}

/// 删除区划 `code`: one that holds nothing.
pub async fn delete(store: &Store, now: i64, actor: &Actor, code: &str) -> StoreResult<()> {
    let before = regions::get(store, &Scope::All, code).await?;
    regions::may_delete(&before)?;
    let mut tx = store.begin().await?;
    regions::delete_in(&mut tx, now, actor, &before).await?;
    tx.commit().await?;
    Ok(())
}
