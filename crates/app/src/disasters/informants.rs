//! 灾害信息员: registered for a village/community inside the caller's area; edited (with the
//! grid-worker account of the same street that reports from the phone) and retired with a
//! reason.

use yingji_core::disasters::informants::{
    InformantInput, check_account, check_informant, check_retire_reason,
};
use yingji_core::disasters::processes::{NOT_A_MANAGER, may_manage};
use yingji_store::disasters::informants::{self, Informant};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult, directory};

/// The village/community of the caller's area an informant serves: its code.
async fn community(store: &Store, ctx: &Ctx, code: &str) -> StoreResult<String> {
    let region = directory::regions::get(store, &ctx.scope, code)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid(
                "region_code",
                format!("村（社区）“{code}”不存在或不在您的管辖范围内"),
            ),
            e => e,
        })?;
    if region.level != "community" {
        return Err(StoreError::invalid(
            "region_code",
            format!(
                "“{}”不是村（社区），灾害信息员按村（社区）登记",
                region.name
            ),
        ));
    }
    Ok(region.code)
}

async fn one(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Informant> {
    informants::list(store, ctx, None)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or(StoreError::NotFound)
}

pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &InformantInput,
) -> StoreResult<Informant> {
    if !may_manage(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    let checked = check_informant(input)?;
    community(store, ctx, &checked.region_code).await?;
    let mut tx = store.begin().await?;
    let id = informants::create_in(&mut tx, ctx, now_ms, &checked).await?;
    tx.commit().await?;
    one(store, ctx, &id).await
}

/// Edits an informant of the caller's area; `user_id` links the grid-worker account (of the
/// same street) that reports, or unlinks it.
pub async fn update(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &InformantInput,
    user_id: Option<&str>,
) -> StoreResult<Informant> {
    if !may_manage(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    one(store, ctx, id).await?;
    let checked = check_informant(input)?;
    community(store, ctx, &checked.region_code).await?;
    let user_id = user_id.map(str::trim).filter(|u| !u.is_empty());
    if let Some(u) = user_id {
        let Some((role, region)) = informants::account(store, u).await? else {
            return Err(StoreError::invalid(
                "user_id",
                format!("账号“{u}”不存在或已停用"),
            ));
        };
        check_account(&role, region.as_deref(), &checked.region_code)
            .map_err(|m| StoreError::invalid("user_id", m))?;
    }
    let mut tx = store.begin().await?;
    informants::update_in(&mut tx, ctx, now_ms, id, &checked, user_id).await?;
    tx.commit().await?;
    one(store, ctx, id).await
}

/// Retires an informant of the caller's area with the reason.
pub async fn retire(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    reason: &str,
) -> StoreResult<Informant> {
    if !may_manage(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    let i = one(store, ctx, id).await?;
    let reason = check_retire_reason(reason)?;
    let mut tx = store.begin().await?;
    informants::retire_in(&mut tx, ctx, now_ms, id, &i.input.name, &reason).await?;
    tx.commit().await?;
    one(store, ctx, id).await
}
