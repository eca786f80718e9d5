//! Authoring warnings: create a draft, and the steps 提交审核 / 审核发布 (another person) / 退回 /
//! 解除, each in one transaction; a published or cancelling step renders its CAP message here.

use super::cap::message_in;
use yingji_core::kernel::validation::optional_text;
use yingji_core::warning::authoring as words;
use yingji_core::warning::{self as rules, Step};
use yingji_store::kernel::Ctx;
use yingji_store::warning::publish::{self, StepInput, WarningInput};
use yingji_store::warning::{self, Warning};
use yingji_store::{Store, Tx};
use yingji_store::{StoreError, StoreResult, new_id};

/// 起草预警: a draft of the caller's district.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &WarningInput,
) -> StoreResult<Warning> {
    let draft = publish::draft(store, ctx, now_ms, input).await?;
    let id = new_id();
    let mut tx = store.begin().await?;
    publish::create_in(&mut tx, ctx, now_ms, &id, input, &draft).await?;
    tx.commit().await?;
    warning::get(store, &ctx.scope, &id, now_ms).await
}

/// 提交审核 / 审核发布 (another person) / 退回 / 解除.
pub async fn act(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &StepInput,
) -> StoreResult<Warning> {
    let step = Step::parse(&input.action).map_err(|m| StoreError::invalid("action", m))?;
    let allowed = match step {
        Step::Submit => yingji_core::warning::access::may_author_warnings(ctx.role),
        _ => yingji_core::warning::access::may_approve_warnings(ctx.role),
    };
    if !allowed {
        return Err(StoreError::Forbidden(words::may_not_step(step)));
    }
    let note = optional_text("说明", input.note.as_deref().unwrap_or(""), 500)
        .map_err(|m| StoreError::invalid("note", m))?;
    let w = warning::get(store, &ctx.scope, id, now_ms).await?;
    let by_author = publish::author_of(store, id).await?.as_deref() == Some(ctx.user_id.as_str());
    let next =
        rules::next(&w.status, step, by_author).map_err(|m| StoreError::conflict("action", m))?;
    let mut tx = store.begin().await?;
    match step {
        Step::Approve => approve_in(&mut tx, store, ctx, now_ms, &w).await?,
        Step::Cancel => {
            // 解除 is a CAP Cancel message of its own, referencing the warning.
            let (identifier, xml) = message_in(&mut tx, &w, now_ms, Some(&w), "Cancel").await?;
            publish::cancel_in(&mut tx, ctx, now_ms, &w, identifier, xml, note).await?;
        }
        Step::Submit | Step::Reject => publish::step_in(&mut tx, now_ms, &w, next, note).await?,
    }
    publish::log_step_in(
        &mut tx,
        &ctx.actor,
        now_ms,
        id,
        &input.action,
        step,
        &w.headline,
    )
    .await?;
    tx.commit().await?;
    warning::get(store, &ctx.scope, id, now_ms).await
}

async fn approve_in(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    w: &Warning,
) -> StoreResult<()> {
    if w.expires_ms <= now_ms {
        return Err(StoreError::conflict(
            "expires_at",
            "预警已过失效时间，请修改后重新提交",
        ));
    }
    let previous = match &w.supersedes {
        Some(p) => Some(warning::get(store, &ctx.scope, p, now_ms).await?),
        None => None,
    };
    let (identifier, xml) = message_in(tx, w, now_ms, previous.as_ref(), &w.msg_type).await?;
    let previous_id = previous.as_ref().map(|p| p.id.as_str());
    publish::approve_in(tx, ctx, now_ms, &w.id, identifier, xml, previous_id).await
}
