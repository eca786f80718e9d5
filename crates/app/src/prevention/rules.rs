//! Per-district rules: saving a new version, in one transaction with its audit record.

use yingji_core::prevention::rules::DistrictRules;
use yingji_store::prevention::rules::{self, RulesVersion};
use yingji_store::{Actor, Store, StoreResult};

/// Saves a new version; the caller has checked the caller's right to do so.
pub async fn save(
    store: &Store,
    actor: &Actor,
    now_ms: i64,
    region_code: &str,
    r: &DistrictRules,
    note: Option<String>,
) -> StoreResult<RulesVersion> {
    let d = rules::district_for(store, region_code).await?;
    r.validate()?;
    let mut tx = store.begin().await?;
    let saved = rules::save_in(&mut tx, actor, now_ms, d, r, note).await?;
    tx.commit().await?;
    Ok(saved)
}
