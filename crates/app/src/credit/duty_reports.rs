//! 履职报告: an enterprise user submits its enterprise's report of a period (a returned one again);
//! the supervising department's staff accept or return it. Submitting keeps the district's sweep
//! timer scheduled.

use crate::credit::commitments::config_of;
use yingji_core::credit::duty_reports::{self as rules, DutyReportInput, DutyReviewInput};
use yingji_core::kernel::clock::today;
use yingji_store::credit::duty_reports::{self as rows, DutyReport, OWNER_TYPE};
use yingji_store::directory::enterprises;
use yingji_store::kernel::Ctx;
use yingji_store::kernel::attachments;
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
