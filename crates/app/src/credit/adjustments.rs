//! A department's adjustment of an enterprise's rating, with its written reason (audited, shown in
//! the history), recomputed in the same transaction.

use super::rating::recompute_in;
use yingji_core::credit::rating::{NOT_AN_ADJUSTER, Rating, check_adjustment, may_adjust};
use yingji_core::kernel::clock::today;
use yingji_store::credit::adjustments::{self, NewAdjustment};
use yingji_store::directory::enterprises;
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

/// Adjusts the rating of an enterprise the caller supervises by `points`.
pub async fn adjust(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    enterprise_id: &str,
    points: i32,
    reason: &str,
) -> StoreResult<Rating> {
    if !may_adjust(ctx.role) {
        return Err(StoreError::Forbidden(NOT_AN_ADJUSTER.into()));
    }
    let e = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    check_adjustment(points, reason)?;
    let day = today(now_ms).to_string();
    let mut tx = store.begin().await?;
    let new = NewAdjustment {
        enterprise_id: &e.id,
        day: &day,
        points,
        reason: reason.trim(),
        objection_id: None,
    };
    let id = adjustments::create_in(&mut tx, ctx, now_ms, &new).await?;
    let rating = recompute_in(&mut tx, &ctx.actor, now_ms, &e.id, Some(&id)).await?;
    tx.commit().await?;
    Ok(rating)
}
