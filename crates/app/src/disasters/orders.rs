//! 断、禁、停、撤、疏 orders: issuing one and recording it carried out, each in one transaction.

use yingji_core::disasters::orders::{
    DisasterOrderCarryOut, DisasterOrderInput, check_carry_out, check_order,
};
use yingji_store::disasters::evacuation::check_link;
use yingji_store::disasters::orders::{self, DisasterOrder, NewOrder};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreResult};

/// 下达断禁停撤疏指令.
pub async fn issue(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &DisasterOrderInput,
) -> StoreResult<DisasterOrder> {
    let scope_text = check_order(input)?;
    orders::check_refs(store, ctx, &input.region_code, &input.object_ids).await?;
    check_link(store, "warnings", "warning_id", input.warning_id.as_deref()).await?;
    check_link(
        store,
        "incidents",
        "incident_id",
        input.incident_id.as_deref(),
    )
    .await?;
    let new = NewOrder {
        kind: &input.kind,
        scope_text: &scope_text,
        region_code: &input.region_code,
        object_ids: &input.object_ids,
        warning_id: input.warning_id.as_deref(),
        incident_id: input.incident_id.as_deref(),
    };
    let mut tx = store.begin().await?;
    let id = orders::issue_in(&mut tx, ctx, now_ms, &new).await?;
    tx.commit().await?;
    orders::get(store, ctx, &id).await
}

/// 执行完毕: who carried order `id` out, now.
pub async fn carry_out(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &DisasterOrderCarryOut,
) -> StoreResult<DisasterOrder> {
    let (by, note) = check_carry_out(input)?;
    let order = orders::get(store, ctx, id).await?;
    let mut tx = store.begin().await?;
    orders::carry_out_in(&mut tx, ctx, now_ms, &order, &by, note.as_deref()).await?;
    tx.commit().await?;
    orders::get(store, ctx, id).await
}
