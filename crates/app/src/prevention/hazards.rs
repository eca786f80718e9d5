//! 隐患排查治理: reporting a hazard (staff and the public form) and the closed loop's steps, each
//! in one transaction.

use yingji_core::prevention::hazard::Action;
use yingji_store::kernel::Ctx;
use yingji_store::prevention::hazards::{
    self, HazardDetail, HazardInput, PublicReportInput, TransitionInput,
};
use yingji_store::{Store, StoreResult};

/// Reports a hazard (企业自查 / 执法检查 / 网格巡查); grades it at once when a deadline is given.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &HazardInput,
) -> StoreResult<HazardDetail> {
    let mut tx = store.begin().await?;
    let id = hazards::create_in(&mut tx, store, ctx, now_ms, input).await?;
    tx.commit().await?;
    hazards::detail(store, ctx, &id).await
}

/// The public form: no login, no scope; returns (hazard code, tracking code).
pub async fn create_public(
    store: &Store,
    now_ms: i64,
    ip: Option<String>,
    input: &PublicReportInput,
) -> StoreResult<(String, String)> {
    let report = hazards::check_public(store, input).await?;
    let mut tx = store.begin().await?;
    let receipt = hazards::create_public_in(&mut tx, now_ms, ip, input, report).await?;
    tx.commit().await?;
    Ok(receipt)
}

/// Applies one step of the loop for the caller: checked first, then applied to the hazard as it
/// reads inside the transaction.
pub async fn transition(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    action: Action,
    t: &TransitionInput,
) -> StoreResult<HazardDetail> {
    let checked = hazards::check_transition(store, ctx, now_ms, id, action, t).await?;
    let mut tx = store.begin().await?;
    hazards::transition_in(&mut tx, ctx, now_ms, id, action, t, checked).await?;
    tx.commit().await?;
    hazards::detail(store, ctx, id).await
}
