//! Publishing a 重大安全风险 on the public page, and taking it off.

use super::{department_of, require_manager};
use yingji_core::credit::disclosure::{RiskInput, check_risk};
use yingji_store::credit::disclosure::{self as risks, Risk};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreResult};

pub async fn publish(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &RiskInput,
) -> StoreResult<Risk> {
    require_manager(ctx)?;
    let checked = check_risk(input)?;
    let department = department_of(store, ctx, input.department_id.as_deref()).await?;
    let mut tx = store.begin().await?;
    let id = risks::create_in(&mut tx, ctx, now_ms, &department.id, &checked).await?;
    tx.commit().await?;
    risks::get(store, ctx, &id).await
}

pub async fn withdraw(store: &Store, ctx: &Ctx, now_ms: i64, id: &str) -> StoreResult<Risk> {
    let risk = risks::get(store, ctx, id).await?;
    let mut tx = store.begin().await?;
    risks::withdraw_in(&mut tx, ctx, now_ms, &risk).await?;
    tx.commit().await?;
    risks::get(store, ctx, id).await
}
