//! 网格事件: closing the loop. The unit reports 处置 (and may answer the reporter at once) and
//! 反馈; the duty room records the 回访: satisfied closes, unsatisfied reopens once to the same
//! unit with fresh deadlines, a second unsatisfied answer closes.

use super::events::{as_unit, config_of};
use yingji_core::grid::events::{
    self as rules, NOT_A_DISPATCHER, check_text, deadlines, may_dispatch,
};
use yingji_store::grid::events::{self as reads, EventDetail, GridEvent};
use yingji_store::grid::events_close::{self as writes, Handling};
use yingji_store::kernel::Ctx;
use yingji_store::{Actor, Store, StoreError, StoreResult};

/// 处置完成 by the unit, with the result and photos; with an answer, the reporter is answered too.
pub async fn handle(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    (result, answer, photos): (&str, Option<&str>, &[String]),
) -> StoreResult<EventDetail> {
    let e = as_unit(store, ctx, id).await?;
    let result = check_text("result", "处置结果", result, 2000)?;
    let answer = answer
        .filter(|a| !a.trim().is_empty())
        .map(|a| check_text("answer", "答复内容", a, 1000))
        .transpose()?;
    let config = config_of(store, &e.district_code).await?;
    let unit = e.unit_name.clone().unwrap_or_default();
    let h = Handling {
        result: &result,
        answer: answer.as_deref(),
        photos,
        summary: rules::handled_summary(&e.title, &unit, answer.is_some()),
        hazard_id: None,
    };
    let mut tx = store.begin().await?;
    // 大联动: not while a cooperating unit's part is still open.
    super::joint::ensure_parts_done_in(&mut tx, &e.id).await?;
    writes::handle_in(&mut tx, &ctx.actor, now_ms, &e, h, &config).await?;
    if let Some(a) = answer.as_deref() {
        let back = (Some(result.as_str()), a);
        super::hotline::answer_back_in(&mut tx, &ctx.actor, now_ms, &e, back).await?;
    }
    tx.commit().await?;
    reads::detail(store, ctx, id).await
}

/// 反馈 by the unit: the answer to the reporter.
pub async fn answer(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    text: &str,
) -> StoreResult<EventDetail> {
    let e = as_unit(store, ctx, id).await?;
    let text = check_text("answer", "答复内容", text, 1000)?;
    let unit = e.unit_name.clone().unwrap_or_default();
    let mut tx = store.begin().await?;
    writes::answer_in(
        &mut tx,
        &ctx.actor,
        now_ms,
        id,
        &text,
        rules::answered_summary(&e.title, &unit),
    )
    .await?;
    let back = (e.result.as_deref(), text.as_str());
    super::hotline::answer_back_in(&mut tx, &ctx.actor, now_ms, &e, back).await?;
    tx.commit().await?;
    reads::detail(store, ctx, id).await
}

/// Records a 回访 on an answered event as `actor` (the duty room, or the reporter on the
/// public tracking page): satisfied or none closes; unsatisfied reopens once.
pub async fn visit_as(
    store: &Store,
    actor: &Actor,
    now_ms: i64,
    e: &GridEvent,
    satisfied: Option<bool>,
    note: Option<&str>,
) -> StoreResult<()> {
    let note = note
        .filter(|n| !n.trim().is_empty())
        .map(|n| check_text("note", "回访意见", n, 500))
        .transpose()?;
    let config = config_of(store, &e.district_code).await?;
    let mut tx = store.begin().await?;
    if satisfied == Some(false) && !e.reopened {
        let cat = config.category(&e.category).ok_or_else(|| {
            StoreError::invalid("category", format!("事件分类“{}”已不在目录中", e.category))
        })?;
        let d = deadlines(cat, now_ms);
        let why = note.as_deref().unwrap_or("不满意");
        let summary = rules::visited_summary(&e.title, satisfied, false);
        writes::reopen_in(&mut tx, actor, now_ms, e, (d, why, summary), &config).await?;
    } else {
        let summary = rules::visited_summary(&e.title, satisfied, e.reopened);
        writes::close_in(
            &mut tx,
            actor,
            now_ms,
            &e.id,
            (satisfied, note.as_deref(), summary),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// 回访 by the duty room.
pub async fn visit(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    satisfied: Option<bool>,
    note: Option<&str>,
) -> StoreResult<EventDetail> {
    if !may_dispatch(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_DISPATCHER.into()));
    }
    let e = reads::get(store, ctx, id).await?;
    visit_as(store, &ctx.actor, now_ms, &e, satisfied, note).await?;
    reads::detail(store, ctx, id).await
}
