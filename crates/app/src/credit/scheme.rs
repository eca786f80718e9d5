//! 信用评价方案: saving a district's new version, in one transaction with its audit record.

use yingji_core::credit::scheme::CreditScheme;
use yingji_store::credit::scheme::{self, SchemeVersion};
use yingji_store::kernel::Ctx;
use yingji_store::prevention::rules;
use yingji_store::{Store, StoreError, StoreResult};

/// Only the administrator and the bureau's leaders change a district's scheme.
pub const NOT_A_SCHEME_EDITOR: &str = "仅系统管理员或局领导可修改本辖区信用评价方案";

/// Saves a new version of the district's scheme (validated: nothing is stored when it fails).
pub async fn save(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    region_code: &str,
    s: &CreditScheme,
    note: Option<String>,
) -> StoreResult<SchemeVersion> {
    if !yingji_core::prevention::access::may_change_rules(ctx.role)
        || !ctx.scope.covers_region(region_code)
    {
        return Err(StoreError::Forbidden(NOT_A_SCHEME_EDITOR.into()));
    }
    let d = rules::district_for(store, region_code).await?;
    s.validate()?;
    let mut tx = store.begin().await?;
    let saved = scheme::save_in(&mut tx, &ctx.actor, now_ms, d, s, note).await?;
    tx.commit().await?;
    // Every rating follows the new version at once (the history says why).
    super::rating::recompute_all(store, &ctx.actor, now_ms).await?;
    Ok(saved)
}
