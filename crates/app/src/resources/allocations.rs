//! 调拨单: requesting an allocation and each step on it (审批, 驳回, 出库, 签收, 撤销), each in one
//! transaction with its record on the audit log and, when the order serves an incident, on the
//! incident's timeline.

use yingji_store::kernel::Ctx;
use yingji_store::resources::allocations::{self, Order, OrderActionInput, OrderInput};
use yingji_store::{Store, StoreResult};

/// 申请调拨: checked against the warehouses, the incident and the stock as read, then numbered.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &OrderInput,
) -> StoreResult<Order> {
    let c = allocations::check_create(store, ctx, now_ms, input).await?;
    let mut tx = store.begin().await?;
    let id = allocations::create_in(&mut tx, ctx, now_ms, &c).await?;
    tx.commit().await?;
    allocations::get(store, &ctx.scope, &id).await
}

/// 审批 / 驳回 / 出库 / 签收 / 撤销, with per-line quantities for partial fulfilment.
pub async fn act(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &OrderActionInput,
) -> StoreResult<Order> {
    let c = allocations::check_act(store, ctx, now_ms, id, input).await?;
    let mut tx = store.begin().await?;
    allocations::act_in(&mut tx, ctx, now_ms, &c).await?;
    tx.commit().await?;
    allocations::get(store, &ctx.scope, id).await
}
