//! 信用异议: the enterprise objects to its rating; the department answers. An upheld objection
//! adjusts the rating by the answer's points, in the same transaction.

use super::rating::recompute_in;
use yingji_core::credit::rating::{
    NOT_AN_ADJUSTER, NOT_AN_OBJECTOR, OBJECTION_ANSWERED, check_answer, check_objection, may_adjust,
};
use yingji_core::kernel::clock::today;
use yingji_core::kernel::role::Role;
use yingji_store::credit::adjustments::{self, NewAdjustment};
use yingji_store::credit::objections::{self, ObjectionRow};
use yingji_store::directory::enterprises;
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

/// An enterprise user objects to its own enterprise's rating.
pub async fn object(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    enterprise_id: &str,
    text: &str,
) -> StoreResult<ObjectionRow> {
    if ctx.role != Role::EnterpriseUser {
        return Err(StoreError::Forbidden(NOT_AN_OBJECTOR.into()));
    }
    let e = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    check_objection(text)?;
    let mut tx = store.begin().await?;
    let id = objections::create_in(&mut tx, ctx, now_ms, &e.id, text.trim()).await?;
    tx.commit().await?;
    objections::get(store, &id).await
}

/// The department's answer: upheld (the rating adjusted by `points`) or rejected with reasons.
pub async fn answer(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    objection_id: &str,
    upheld: bool,
    text: &str,
    points: Option<i32>,
) -> StoreResult<ObjectionRow> {
    if !may_adjust(ctx.role) {
        return Err(StoreError::Forbidden(NOT_AN_ADJUSTER.into()));
    }
    let o = objections::get(store, objection_id).await?;
    let e = enterprises::get(store, &ctx.scope, &o.enterprise_id).await?;
    check_answer(upheld, text, points)?;
    let day = today(now_ms).to_string();
    let reason = format!("异议成立：{}", text.trim());
    let mut tx = store.begin().await?;
    if !objections::answer_in(&mut tx, ctx, now_ms, &o, upheld, text.trim(), points).await? {
        return Err(StoreError::conflict("status", OBJECTION_ANSWERED));
    }
    if let (true, Some(p)) = (upheld, points) {
        let new = NewAdjustment {
            enterprise_id: &e.id,
            day: &day,
            points: p,
            reason: &reason,
            objection_id: Some(&o.id),
        };
        let id = adjustments::create_in(&mut tx, ctx, now_ms, &new).await?;
        recompute_in(&mut tx, &ctx.actor, now_ms, &e.id, Some(&id)).await?;
    }
    tx.commit().await?;
    objections::get(store, objection_id).await
}
