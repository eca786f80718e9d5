//! 承灾体 and 叫应工单: registering and changing protected objects, and answering work orders,
//! each in one transaction.

use yingji_store::kernel::Ctx;
use yingji_store::warning::targeting::{
    self, ObjectInput, OrderAnswer, ProtectedObject, WorkOrder,
};
use yingji_store::{Store, StoreResult};

/// 登记承灾体.
pub async fn create_object(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &ObjectInput,
) -> StoreResult<ProtectedObject> {
    let mut tx = store.begin().await?;
    let id = targeting::save_object(&mut tx, store, ctx, now_ms, None, input).await?;
    tx.commit().await?;
    targeting::get_object(store, ctx, &id).await
}

/// 修改承灾体 `id`.
pub async fn update_object(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &ObjectInput,
) -> StoreResult<ProtectedObject> {
    let mut tx = store.begin().await?;
    targeting::save_object(&mut tx, store, ctx, now_ms, Some(id), input).await?;
    tx.commit().await?;
    targeting::get_object(store, ctx, id).await
}

/// 叫应 (acknowledge) and 反馈 (report back): by the object's responsible person, or by staff
/// of its area answering for them.
pub async fn answer(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &OrderAnswer,
) -> StoreResult<WorkOrder> {
    let order = targeting::get_order(store, ctx, id, now_ms).await?;
    targeting::may_answer(ctx, &order)?;
    let answer = yingji_core::warning::target::check_answer(input)?;
    let mut tx = store.begin().await?;
    let photos = &input.attachments;
    targeting::answer_in(&mut tx, store, ctx, now_ms, &order, &answer, photos).await?;
    tx.commit().await?;
    targeting::get_order(store, ctx, id, now_ms).await
}
