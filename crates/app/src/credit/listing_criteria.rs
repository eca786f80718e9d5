//! The qualifying records a department enters (瞒报/谎报, 无证经营, 拒不执行, 评价机构虚假报告 …)
//! and what the platform detects from an enterprise's accidents.

use super::{department_of, require_manager};
use yingji_core::credit::listing_criteria::{
    Finding, RecordInput, check_record, default_subjects, detect,
};
use yingji_core::kernel::clock::today;
use yingji_store::credit::listing_criteria::{self as records, NewRecord, Record};
use yingji_store::directory::enterprises;
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreResult};

/// Enters a qualifying record for the caller's department.
pub async fn enter(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &RecordInput,
) -> StoreResult<Record> {
    require_manager(ctx)?;
    let checked = check_record(input, today(now_ms))?;
    let department = department_of(store, ctx, input.department_id.as_deref()).await?;
    let enterprise_id = input
        .enterprise_id
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    let enterprise = match enterprise_id {
        Some(id) => Some(enterprises::get_referenced(store, &ctx.scope, id).await?),
        None => None,
    };
    let subjects = match (&enterprise, checked.subjects.is_empty()) {
        (Some(e), true) => default_subjects(
            checked.criterion,
            &e.name,
            &e.uscc,
            e.principal_name.as_deref(),
            None,
        ),
        _ => checked.subjects.clone(),
    };
    let who = subjects.first().map(|s| s.name.clone()).unwrap_or_default();
    let new = NewRecord {
        department_id: &department.id,
        enterprise_id: enterprise.as_ref().map(|e| e.id.as_str()),
        criterion: checked.criterion.as_str(),
        occurred_day: &checked.occurred_day.to_string(),
        description: &checked.description,
        subjects: &subjects,
        summary: format!(
            "{who}：{}（{}）",
            checked.criterion.label(),
            checked.occurred_day
        ),
    };
    let mut tx = store.begin().await?;
    let id = records::create_in(&mut tx, ctx, now_ms, &new).await?;
    tx.commit().await?;
    records::get(store, ctx, &id).await
}

/// What the platform detects from the enterprise's accidents (visible to the caller).
pub async fn detected(store: &Store, ctx: &Ctx, enterprise_id: &str) -> StoreResult<Vec<Finding>> {
    require_manager(ctx)?;
    let e = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    Ok(detect(&records::accidents(store, &e.id).await?))
}
