//! 年度检查计划: a department's annual plans, read within the caller's departments, drafted and
//! decided in the caller's transaction.

use super::push_departments;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::enforcement::plan::{decision_summary, plan_summary};

/// One enterprise of a plan's 重点检查 list, with its name.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PlanKeyEntry {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub times: u32,
    pub reasons: Vec<String>,
}

/// One category's 双随机 line of a plan.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PlanCategoryLine {
    pub category: String,
    pub pool: i64,
    pub key: i64,
    pub candidates: i64,
    pub quota: String,
    pub draws: i64,
}

/// What a plan says, as stored in `outcome`.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PlanContent {
    pub key: Vec<PlanKeyEntry>,
    pub categories: Vec<PlanCategoryLine>,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub id: String,
    pub department_id: String,
    pub department_name: String,
    pub year: i64,
    pub title: String,
    pub status: String,
    pub quotas: String,
    pub rules_version: i64,
    pub content: PlanContent,
    pub key_count: i64,
    pub key_inspections: i64,
    pub random_inspections: i64,
    pub drafted_by_name: String,
    pub drafted_ms: i64,
    pub decided_by_name: Option<String>,
    pub decided_ms: Option<i64>,
    pub opinion: Option<String>,
}

const SELECT: &str = "SELECT p.*, d.name AS department_name FROM enforcement_plans p JOIN departments d ON d.id = p.department_id WHERE 1 = 1";

fn from_row(r: &AnyRow, with_content: bool) -> StoreResult<Plan> {
    let content = if with_content {
        serde_json::from_str(&r.try_get::<String, _>("outcome")?).unwrap_or_default()
    } else {
        PlanContent::default()
    };
    Ok(Plan {
        id: r.try_get("id")?,
        department_id: r.try_get("department_id")?,
        department_name: r.try_get("department_name")?,
        year: r.try_get("year")?,
        title: r.try_get("title")?,
        status: r.try_get("status")?,
        quotas: r.try_get("quotas")?,
        rules_version: r.try_get("rules_version")?,
        content,
        key_count: r.try_get("key_count")?,
        key_inspections: r.try_get("key_inspections")?,
        random_inspections: r.try_get("random_inspections")?,
        drafted_by_name: r.try_get("drafted_by_name")?,
        drafted_ms: r.try_get("drafted_ms")?,
        decided_by_name: r.try_get("decided_by_name")?,
        decided_ms: r.try_get("decided_ms")?,
        opinion: r.try_get("opinion")?,
    })
}

/// The plans the caller may see (without their lists), newest year first.
pub async fn list(store: &Store, ctx: &Ctx, year: Option<i64>) -> StoreResult<Vec<Plan>> {
    let mut q = Sql::new(SELECT);
    push_departments(&mut q, ctx, "p.department_id")?;
    if let Some(y) = year {
        q.push_bind(" AND p.year = ", y);
    }
    q.push(" ORDER BY p.year DESC, d.name, p.drafted_ms DESC");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| from_row(r, false))
        .collect()
}

/// One plan the caller may see, with its lists.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Plan> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND p.id = ", id);
    push_departments(&mut q, ctx, "p.department_id")?;
    from_row(
        &store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?,
        true,
    )
}

/// Whether the department has an approved plan for the year (read in the writer's transaction).
pub async fn approved_exists_in(tx: &mut Tx, department_id: &str, year: i64) -> StoreResult<bool> {
    let mut q = Sql::new("SELECT id FROM enforcement_plans WHERE status = 'approved'");
    q.push_bind(" AND department_id = ", department_id)
        .push_bind(" AND year = ", year);
    Ok(q.fetch_optional(tx).await?.is_some())
}

/// A drafted plan to record.
pub struct NewPlan<'a> {
    pub department_id: &'a str,
    pub year: i64,
    pub title: &'a str,
    pub quotas: &'a str,
    pub rules_version: i64,
    pub content: &'a PlanContent,
    pub key_inspections: u64,
    pub random_inspections: u64,
}

fn totals(c: &PlanContent) -> String {
    serde_json::to_string(c).unwrap_or_default()
}

/// Records a draft with its audit record; answers its id.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    p: &NewPlan<'_>,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO enforcement_plans (id, department_id, year, title, status, quotas, rules_version, outcome, key_count, key_inspections, random_inspections, drafted_by, drafted_by_name, drafted_ms, decided_by, decided_by_name, decided_ms, opinion, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        p.department_id.into(),
        p.year.into(),
        p.title.into(),
        "draft".into(),
        p.quotas.into(),
        p.rules_version.into(),
        totals(p.content).into(),
        (p.content.key.len() as i64).into(),
        (p.key_inspections as i64).into(),
        (p.random_inspections as i64).into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        None::<String>.into(),
        None::<String>.into(),
        None::<i64>.into(),
        None::<String>.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let summary = plan_summary(
        p.title,
        p.content.key.len(),
        p.key_inspections,
        p.random_inspections,
    );
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(serde_json::json!({
                "department_id": p.department_id, "year": p.year, "quotas": p.quotas,
                "rules_version": p.rules_version, "key_count": p.content.key.len(),
            })),
            ..Change::of("create", "enforcement_plan", &id, summary)
        },
    )
    .await?;
    Ok(id)
}

/// Approves or sends back a draft with the leader's opinion and its audit record. Only a draft is
/// decided: a plan decided meanwhile by someone else is refused.
pub async fn decide_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    plan: &Plan,
    approve: bool,
    opinion: Option<&str>,
) -> StoreResult<bool> {
    let mut q = Sql::new("UPDATE enforcement_plans SET status = ");
    q.bind(if approve { "approved" } else { "rejected" })
        .push_bind(", decided_by = ", ctx.user_id.as_str())
        .push_bind(", decided_by_name = ", ctx.display_name.as_str())
        .push_bind(", decided_ms = ", now_ms)
        .push_bind(", opinion = ", opinion.map(str::to_string))
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", plan.id.as_str())
        .push(" AND status = 'draft'");
    if q.execute(tx).await? == 0 {
        return Ok(false);
    }
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            before: Some(serde_json::json!({ "status": plan.status })),
            after: Some(serde_json::json!({
                "status": if approve { "approved" } else { "rejected" }, "opinion": opinion,
            })),
            ..Change::of(
                if approve { "approve" } else { "reject" },
                "enforcement_plan",
                &plan.id,
                decision_summary(&plan.title, approve),
            )
        },
    )
    .await?;
    Ok(true)
}
