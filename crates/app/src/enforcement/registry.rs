//! The 执法事项目录 and the 执法检查人员名录库 (with 回避).

use super::{named, require_manager};
use yingji_core::enforcement::registry::{
    InspectorInput, ItemInput, check_conflict_reason, check_inspector, check_item,
};
use yingji_core::enforcement::{NOT_AN_INSPECTOR_OF, may_enter_pool, pool_role_codes};
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::wording::{DEPARTMENT_OUTSIDE_SCOPE, ENTERPRISE_OUTSIDE_SCOPE};
use yingji_store::directory::{departments, enterprises, users};
use yingji_store::enforcement::inspectors::{self, Inspector};
use yingji_store::enforcement::items::{self, Item};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

/// The department a caller acts for: a department's own (naming another is refused), else the
/// one named, which must be visible to the caller.
pub(super) async fn department_of(
    store: &Store,
    ctx: &Ctx,
    named_id: Option<&str>,
) -> StoreResult<departments::Department> {
    let named_id = named_id.map(str::trim).filter(|d| !d.is_empty());
    let id = match (&ctx.scope, named_id) {
        (Scope::Department { department_id, .. }, Some(n)) if n != department_id => {
            return Err(StoreError::invalid(
                "department_id",
                DEPARTMENT_OUTSIDE_SCOPE,
            ));
        }
        (Scope::Department { department_id, .. }, _) => department_id.clone(),
        (_, Some(n)) => n.to_string(),
        (_, None) => return Err(StoreError::invalid("department_id", "请选择部门")),
    };
    departments::get(store, &ctx.scope, &id)
        .await
        .map_err(named("department_id", DEPARTMENT_OUTSIDE_SCOPE))
}

/// Adds an item to a department's 执法事项目录.
pub async fn create_item(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    department_id: Option<&str>,
    input: &ItemInput,
) -> StoreResult<Item> {
    require_manager(ctx)?;
    let department = department_of(store, ctx, department_id).await?;
    let checked = check_item(input, |c| department.categories.iter().any(|d| d == c))?;
    let mut tx = store.begin().await?;
    let id = items::create_in(&mut tx, ctx, now_ms, &department.id, &checked).await?;
    tx.commit().await?;
    items::get(store, ctx, &id).await
}

/// Enters an inspector or a department's staff member in their department's pool with their
/// 执法证 (again: renews the 执法证).
pub async fn register_inspector(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &InspectorInput,
) -> StoreResult<Inspector> {
    require_manager(ctx)?;
    let checked = check_inspector(input)?;
    let user = users::by_id(store, &checked.user_id)
        .await
        .map_err(named("user_id", NOT_AN_INSPECTOR_OF))?;
    let Some(dept) = user
        .department_id
        .as_deref()
        .filter(|_| may_enter_pool(user.role()))
    else {
        return Err(StoreError::invalid("user_id", NOT_AN_INSPECTOR_OF));
    };
    let department = department_of(store, ctx, Some(dept))
        .await
        .map_err(|_| StoreError::invalid("user_id", NOT_AN_INSPECTOR_OF))?;
    let mut tx = store.begin().await?;
    inspectors::upsert_in(
        &mut tx,
        ctx,
        now_ms,
        &department.id,
        &user.display_name,
        &checked,
    )
    .await?;
    tx.commit().await?;
    inspectors::get(store, ctx, &checked.user_id).await
}

/// The people a manager may enter in their departments' pools (执法人员 and department staff),
/// with whether each is in it already.
pub async fn people(store: &Store, ctx: &Ctx) -> StoreResult<Vec<inspectors::PoolPerson>> {
    require_manager(ctx)?;
    inspectors::people(store, ctx, &pool_role_codes()).await
}

/// Records that an inspector must not inspect an enterprise (回避).
pub async fn add_conflict(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    user_id: &str,
    enterprise_id: &str,
    reason: &str,
) -> StoreResult<Inspector> {
    require_manager(ctx)?;
    let reason = check_conflict_reason(reason)?;
    let inspector = inspectors::get(store, ctx, user_id).await?;
    let enterprise = enterprises::get(store, &ctx.scope, enterprise_id)
        .await
        .map_err(named("enterprise_id", ENTERPRISE_OUTSIDE_SCOPE))?;
    let mut tx = store.begin().await?;
    inspectors::add_conflict_in(
        &mut tx,
        ctx,
        now_ms,
        (&inspector.user_id, &inspector.user_name),
        (&enterprise.id, &enterprise.name),
        &reason,
    )
    .await?;
    tx.commit().await?;
    inspectors::get(store, ctx, user_id).await
}
