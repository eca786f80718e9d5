//! 库存: editing a stock line's terms and its manual movements (入库, 出库, 盘点, 报损), each in one
//! transaction; opening a line is a register write (`registers::create_stock`).

use yingji_store::kernel::Ctx;
use yingji_store::resources::{self, MovementInput, StockEdit, StockLine};
use yingji_store::{Store, StoreResult};

/// 修改库存行: reserve type, minimum, expiry and supplier (the quantity moves only by the ledger).
pub async fn update_stock(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &StockEdit,
) -> StoreResult<StockLine> {
    let c = resources::check_update_stock(store, ctx, now_ms, id, input).await?;
    let mut tx = store.begin().await?;
    resources::update_stock_in(&mut tx, ctx, now_ms, &c).await?;
    tx.commit().await?;
    resources::get_stock(store, &ctx.scope, id, now_ms).await
}

/// 入库 / 出库 / 盘点 / 报损: checked against the line as read, written only if the line still
/// reads so inside the transaction.
pub async fn add_movement(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    stock_id: &str,
    input: &MovementInput,
) -> StoreResult<StockLine> {
    let c = resources::check_add_movement(store, ctx, now_ms, stock_id, input).await?;
    let mut tx = store.begin().await?;
    resources::add_movement_in(&mut tx, ctx, now_ms, &c).await?;
    tx.commit().await?;
    resources::get_stock(store, &ctx.scope, stock_id, now_ms).await
}
