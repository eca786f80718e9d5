//! 承灾体 and 叫应工单: registering and changing protected objects, and answering work orders,
//! each in one transaction.

use yingji_core::kernel::idempotency::{HEADER, KEY_REUSED};
use yingji_store::kernel::Ctx;
use yingji_store::kernel::idempotency::{self, Key};
use yingji_store::warning::targeting::{
    self, ObjectInput, OrderAnswer, ProtectedObject, WorkOrder,
};
use yingji_store::{Store, StoreError, StoreResult};

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

/// The kind of submission a work-order answer's idempotency key is recorded for.
pub const ANSWER_KIND: &str = "work_order_answer";

/// 叫应 (acknowledge) and 反馈 (report back): by the object's responsible person, or by staff
/// of its area answering for them. An answer sent again with the same idempotency `key`
/// answers the order as it is, without applying it twice.
pub async fn answer(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &OrderAnswer,
    key: Option<&str>,
) -> StoreResult<WorkOrder> {
    let key = key.map(|key| Key {
        user_id: &ctx.user_id,
        key,
        kind: ANSWER_KIND,
    });
    if let Some(first) = idempotency::replayed(store, key).await? {
        if first != id {
            return Err(StoreError::conflict(HEADER, KEY_REUSED));
        }
        return targeting::get_order(store, ctx, id, now_ms).await;
    }
    let order = targeting::get_order(store, ctx, id, now_ms).await?;
    // 防汛与地灾: a duty person the order went to answers it as its own.
    if !yingji_store::disasters::flood_orders::is_order_person(store, id, &ctx.user_id).await? {
        targeting::may_answer(ctx, &order)?;
    }
    let answer = yingji_core::warning::target::check_answer(input)?;
    let mut tx = store.begin().await?;
    let photos = &input.attachments;
    targeting::answer_in(&mut tx, store, ctx, now_ms, &order, &answer, photos).await?;
    idempotency::record_in(&mut tx, key, id, now_ms).await?;
    tx.commit().await?;
    targeting::get_order(store, ctx, id, now_ms).await
}
