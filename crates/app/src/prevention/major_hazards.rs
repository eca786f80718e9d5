//! 重大危险源: registering a unit, identified and graded by GB 18218-2018, in one transaction
//! with its audit record.

use yingji_core::kernel::role::{Role, Scope};
use yingji_core::prevention::access::may_register_major_hazards;
use yingji_core::prevention::major_hazard_register::MAJOR_HAZARD_DENIED;
use yingji_store::prevention::major_hazards::{self, MajorHazard, MajorHazardInput};
use yingji_store::{Actor, Store, StoreError, StoreResult};

/// 登记重大危险源单元: S, R and the level are computed from the chemicals and the population.
pub async fn create(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    input: &MajorHazardInput,
) -> StoreResult<MajorHazard> {
    if !may_register_major_hazards(role) {
        return Err(StoreError::Forbidden(MAJOR_HAZARD_DENIED.into()));
    }
    let c = major_hazards::check(store, scope, input).await?;
    let mut tx = store.begin().await?;
    let id = major_hazards::create_in(&mut tx, actor, now_ms, input, &c).await?;
    tx.commit().await?;
    major_hazards::get(store, scope, &id).await
}
