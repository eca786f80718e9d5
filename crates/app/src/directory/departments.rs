//! 部门: registering and changing departments, each in one transaction.

use yingji_core::directory::department::check_department;
use yingji_core::kernel::role::Scope;
use yingji_store::directory::departments::{self, Department, DepartmentInput};
use yingji_store::{Actor, Store, StoreResult, new_id};

/// 新增部门.
pub async fn create(
    store: &Store,
    now: i64,
    actor: &Actor,
    input: &DepartmentInput,
) -> StoreResult<Department> {
    let c = check_department(input)?;
    let id = new_id();
    let mut tx = store.begin().await?;
    departments::create_in(&mut tx, now, actor, &id, &c).await?;
    tx.commit().await?;
    departments::get(store, &Scope::All, &id).await
}

/// 修改部门 `id`.
pub async fn update(
    store: &Store,
    now: i64,
    actor: &Actor,
    id: &str,
    input: &DepartmentInput,
) -> StoreResult<Department> {
    let before = departments::get(store, &Scope::All, id).await?;
    let c = check_department(input)?;
    let mut tx = store.begin().await?;
    departments::update_in(&mut tx, now, actor, &before, &c).await?;
    tx.commit().await?;
    departments::get(store, &Scope::All, id).await
}
