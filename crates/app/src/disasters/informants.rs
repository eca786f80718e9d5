//! 灾害信息员: registered for a village/community inside the caller's area.

use yingji_core::disasters::informants::{InformantInput, check_informant};
use yingji_core::disasters::processes::{NOT_A_MANAGER, may_manage};
use yingji_store::disasters::informants::{self, Informant};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult, directory};

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
    let region = directory::regions::get(store, &ctx.scope, &checked.region_code)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid(
                "region_code",
                format!(
                    "村（社区）“{}”不存在或不在您的管辖范围内",
                    checked.region_code
                ),
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
    let mut tx = store.begin().await?;
    let id = informants::create_in(&mut tx, ctx, now_ms, &checked).await?;
    tx.commit().await?;
    informants::list(store, ctx, Some(&region.code))
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or(StoreError::NotFound)
}
