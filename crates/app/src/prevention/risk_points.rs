//! 风险点: registering, rewriting and retiring a point of the risk register, each in one
//! transaction with its audit record.

use yingji_core::kernel::role::{Role, Scope};
use yingji_core::prevention::access::may_write_risk_points;
use yingji_core::prevention::risk_point::{
    RISK_POINT_CREATE_DENIED, RISK_POINT_DELETE_DENIED, RISK_POINT_UPDATE_DENIED,
};
use yingji_store::prevention::risk_points::{self, RiskPoint, RiskPointInput};
use yingji_store::{Actor, Store, StoreError, StoreResult};

/// 登记风险点: the level is computed from the method's inputs under the district's rules.
pub async fn create(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    input: &RiskPointInput,
) -> StoreResult<RiskPoint> {
    if !may_write_risk_points(role) {
        return Err(StoreError::Forbidden(RISK_POINT_CREATE_DENIED.into()));
    }
    let c = risk_points::check(store, scope, role, input).await?;
    let mut tx = store.begin().await?;
    let id = risk_points::create_in(&mut tx, actor, now_ms, input, &c).await?;
    tx.commit().await?;
    risk_points::get(store, scope, &id).await
}

/// 修改风险点: the point keeps its owner.
pub async fn update(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    id: &str,
    input: &RiskPointInput,
) -> StoreResult<RiskPoint> {
    if !may_write_risk_points(role) {
        return Err(StoreError::Forbidden(RISK_POINT_UPDATE_DENIED.into()));
    }
    let before = risk_points::get(store, scope, id).await?;
    let input = risk_points::carried_over(&before, input);
    let c = risk_points::check(store, scope, role, &input).await?;
    let mut tx = store.begin().await?;
    risk_points::update_in(&mut tx, actor, now_ms, &before, &input, &c).await?;
    tx.commit().await?;
    risk_points::get(store, scope, id).await
}

/// Retires a point (kept for history; hazards may cite it).
pub async fn archive(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    id: &str,
) -> StoreResult<()> {
    if !may_write_risk_points(role) {
        return Err(StoreError::Forbidden(RISK_POINT_DELETE_DENIED.into()));
    }
    let before = risk_points::get(store, scope, id).await?;
    let mut tx = store.begin().await?;
    risk_points::archive_in(&mut tx, actor, now_ms, &before).await?;
    tx.commit().await?;
    Ok(())
}
