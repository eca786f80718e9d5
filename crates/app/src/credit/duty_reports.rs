//! 履职报告: an enterprise user submits its enterprise's report of a period (a returned one again);
//! the supervising department's staff accept or return it. Submitting keeps the district's sweep
//! timer scheduled.

use crate::credit::commitments::config_of;
use yingji_core::credit::duty_reports::{self as rules, DutyReportInput, DutyReviewInput};
use yingji_core::kernel::clock::today;
use yingji_core::kernel::role::Scope;
use yingji_core::workbench::TODO_LIMIT;
use yingji_store::credit::duty_reports::{self as rows, DutyReport, OWNER_TYPE};
use yingji_store::directory::enterprises;
use yingji_store::kernel::Ctx;
use yingji_store::kernel::attachments;
use yingji_store::kernel::todo::{TodoItem, TodoList};
use yingji_store::{Store, StoreError, StoreResult};

/// Records a report of a period (or resubmits a returned one). Only enterprise users (their own
/// enterprise) and administrators; a second of the period is 409 on `period`; bad input 400 and
/// nothing stored.
pub async fn submit(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &DutyReportInput,
) -> StoreResult<DutyReport> {
    if !rules::may_submit(ctx.role) {
        return Err(StoreError::Forbidden(rules::NOT_A_SUBMITTER.into()));
    }
    let named = ctx
        .scope
        .owning_enterprise(input.enterprise_id.as_deref())
        .map_err(|m| StoreError::invalid("enterprise_id", m))?;
    let Some(enterprise_id) = named else {
        return Err(StoreError::invalid(
            "enterprise_id",
            rules::ENTERPRISE_REQUIRED,
        ));
    };
    let e = enterprises::get_referenced(store, &ctx.scope, &enterprise_id).await?;
    let district = e.grid_code.get(..6).unwrap_or(&e.grid_code).to_string();
    let config = config_of(store, &district).await?;
    let checked = rules::check(&config, input, today(now_ms))?;
    if !config.requires(&e.categories) {
        return Err(StoreError::invalid("enterprise_id", rules::NOT_REQUIRED));
    }
    let due = rules::due_day(&config, &checked.period);
    let late = now_ms >= yingji_core::prevention::hazard::overdue_from_ms(due);
    let existing = rows::find(store, &e.id, &checked.period.label).await?;
    let mut tx = store.begin().await?;
    let id = match existing {
        Some(r) if r.status == "returned" => {
            rows::resubmit_in(&mut tx, ctx, now_ms, &r, &checked, late).await?;
            r.id
        }
        Some(r) => {
            return Err(StoreError::conflict(
                "period",
                rules::already_submitted(&r.period),
            ));
        }
        None => {
            let ent = (e.id.as_str(), e.name.as_str());
            let due = due.to_string();
            rows::create_in(&mut tx, ctx, now_ms, ent, &checked, &due, late).await?
        }
    };
    let by = Some(ctx.user_id.as_str());
    attachments::link(
        &mut tx,
        &checked.attachment_ids,
        OWNER_TYPE,
        &id,
        by,
        "attachment_ids",
    )
    .await?;
    rows::ensure_sweep(&mut tx, now_ms, &district, &config).await?;
    tx.commit().await?;
    rows::get(store, &ctx.scope, &id).await
}

/// Accepts or returns (with a reason) a submitted report the caller supervises.
pub async fn review(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &DutyReviewInput,
) -> StoreResult<DutyReport> {
    if !rules::may_review(ctx.role) {
        return Err(StoreError::Forbidden(rules::NOT_A_REVIEWER.into()));
    }
    let report = rows::get(store, &ctx.scope, id).await?;
    let reason = rules::check_review(input)?;
    let mut tx = store.begin().await?;
    rows::review_in(&mut tx, ctx, now_ms, &report, reason.as_deref()).await?;
    tx.commit().await?;
    rows::get(store, &ctx.scope, id).await
}

/// The caller's 履职报告 待办: for a department (`review`), the submitted reports it supervises;
/// for an enterprise user, the report of the period just ended while it is missing, and the
/// returned ones to submit again.
pub async fn todo(store: &Store, ctx: &Ctx, now_ms: i64, review: bool) -> StoreResult<TodoList> {
    if review {
        return rows::to_review(store, &ctx.scope, TODO_LIMIT).await;
    }
    let Scope::Enterprise { enterprise_id } = &ctx.scope else {
        return Ok(TodoList::default());
    };
    let e = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    let district = e.grid_code.get(..6).unwrap_or(&e.grid_code).to_string();
    let config = config_of(store, &district).await?;
    if !config.requires(&e.categories) {
        return Ok(TodoList::default());
    }
    let period = rules::previous(&config, &rules::period_of(&config, today(now_ms)));
    let mut items = Vec::new();
    if rows::find(store, &e.id, &period.label).await?.is_none() {
        let flag = rules::flag_ms(&config, &period);
        items.push(TodoItem {
            id: period.label.clone(),
            code: None,
            title: rules::todo_title(&period.label),
            place: Some(e.name.clone()),
            status_label: rules::todo_status(false, now_ms >= flag).into(),
            at_ms: None,
            due_ms: None,
            due_date: Some(rules::due_day(&config, &period).to_string()),
            overdue: now_ms >= flag,
            link: "/credit/duty-reports".into(),
        });
    }
    for r in rows::returned(store, &e.id, TODO_LIMIT).await? {
        items.push(TodoItem {
            title: rules::todo_title(&r.period),
            place: r.return_reason.clone(),
            status_label: rules::todo_status(true, false).into(),
            at_ms: r.reviewed_ms,
            due_ms: None,
            due_date: Some(r.due_day.clone()),
            overdue: false,
            link: "/credit/duty-reports".into(),
            code: None,
            id: r.id,
        });
    }
    let total = items.len() as i64;
    Ok(TodoList { items, total })
}
