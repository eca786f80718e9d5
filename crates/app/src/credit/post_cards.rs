//! 两单两卡: an enterprise user keeps its enterprise's posts; departments read them.

use yingji_core::credit::post_cards::{self as rules, PostInput};
use yingji_store::credit::post_cards::{self as rows, Post};
use yingji_store::directory::enterprises;
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

fn require_writer(ctx: &Ctx) -> StoreResult<()> {
    if rules::may_write(ctx.role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(rules::NOT_A_WRITER.into()))
    }
}

/// A new post of the caller's enterprise (administrators name one).
pub async fn create(store: &Store, ctx: &Ctx, now_ms: i64, input: &PostInput) -> StoreResult<Post> {
    require_writer(ctx)?;
    let named = ctx
        .scope
        .owning_enterprise(input.enterprise_id.as_deref())
        .map_err(|m| StoreError::invalid("enterprise_id", m))?;
    let checked = rules::check(input)?;
    let Some(enterprise_id) = named else {
        return Err(StoreError::invalid(
            "enterprise_id",
            rules::ENTERPRISE_REQUIRED,
        ));
    };
    let e = enterprises::get_referenced(store, &ctx.scope, &enterprise_id).await?;
    let mut tx = store.begin().await?;
    let id = rows::create_in(&mut tx, ctx, now_ms, (&e.id, &e.name), &checked).await?;
    tx.commit().await?;
    rows::get(store, &ctx.scope, &id).await
}

/// Replaces a post (404 outside the caller's scope; departments may not write).
pub async fn update(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &PostInput,
) -> StoreResult<Post> {
    require_writer(ctx)?;
    let post = rows::get(store, &ctx.scope, id).await?;
    let checked = rules::check(input)?;
    let mut tx = store.begin().await?;
    rows::update_in(&mut tx, ctx, now_ms, &post, &checked).await?;
    tx.commit().await?;
    rows::get(store, &ctx.scope, id).await
}

pub async fn delete(store: &Store, ctx: &Ctx, now_ms: i64, id: &str) -> StoreResult<()> {
    require_writer(ctx)?;
    let post = rows::get(store, &ctx.scope, id).await?;
    let mut tx = store.begin().await?;
    rows::delete_in(&mut tx, ctx, now_ms, &post).await?;
    tx.commit().await?;
    Ok(())
}
