//! 应急预案库 and plan-driven response: activating a plan's level on an incident creates that
//! level's tasks; upgrade, downgrade and stand-down are recorded on the incident's timeline.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::response::incidents::{self, Step, record};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::disasters::reports_rules;
use yingji_core::kernel::label_of;
use yingji_core::kernel::role::Scope;
use yingji_core::response::incident::Severity;
use yingji_core::response::plan::{
    KINDS, PlanLevel, TriggerFacts, response_label, review_due, suggest_level,
};
use yingji_core::response::plans::{
    ACTIONS, CheckedPlan, CheckedTaskUpdate, DECIDED_MEANWHILE, Decision, TASK_STATUSES,
    TASK_UPDATED_MEANWHILE, VERSION_REGISTERED, decision_text, plan_summary, task_closed,
    task_text,
};

pub use yingji_core::response::plans::{ActivationInput, PlanInput, TaskUpdate};

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub owner: String,
    pub version: String,
    pub effective_date: String,
    pub review_cycle_months: i64,
    /// 下次评估修订日期.
    pub review_due: Option<String>,
    /// 修订逾期.
    pub review_overdue: bool,
    pub subtypes: Vec<String>,
    pub levels: Vec<PlanLevel>,
    pub status: String,
    /// 备案企业 of an enterprise's plan.
    pub enterprise_id: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

fn from_row(r: &AnyRow, now_ms: i64) -> StoreResult<Plan> {
    let kind: String = r.try_get("kind")?;
    let effective_date: String = r.try_get("effective_date")?;
    let cycle: i64 = r.try_get("review_cycle_months")?;
    let due = effective_date
        .parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| review_due(d, cycle));
    let subtypes: String = r.try_get("subtypes")?;
    Ok(Plan {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind_label: label_of(KINDS, &kind).unwrap_or("").into(),
        kind,
        owner: r.try_get("owner")?,
        version: r.try_get("version")?,
        review_due: due.map(|d| d.to_string()),
        review_overdue: due.is_some_and(|d| yingji_core::kernel::clock::today(now_ms) > d),
        effective_date,
        review_cycle_months: cycle,
        subtypes: subtypes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(Into::into)
            .collect(),
        levels: serde_json::from_str(&r.try_get::<String, _>("levels")?).unwrap_or_default(),
        status: r.try_get("status")?,
        enterprise_id: r.try_get("enterprise_id")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Plans of the caller's district; everyone with a region sees them, enterprises none.
fn push_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        Scope::All => {}
        // 保险机构人员 see only their policyholders' 安责险 records (credit::insurance).
        Scope::Insurer { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::Enterprise { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            let district = prefix.get(..6).unwrap_or(prefix);
            sql.push_bind(" AND p.region_code = ", district.to_string());
        }
    }
}

pub async fn get(store: &Store, scope: &Scope, id: &str, now_ms: i64) -> StoreResult<Plan> {
    let mut q = Sql::new("SELECT p.* FROM plans p WHERE 1 = 1");
    q.push_bind(" AND p.id = ", id);
    push_scope(&mut q, scope);
    from_row(
        &store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?,
        now_ms,
    )
}

#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    pub kind: Option<String>,
    /// Plans that apply to this incident subtype (or to all).
    pub subtype: Option<String>,
    pub review_overdue: Option<bool>,
    pub q: Option<String>,
}

pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &PlanFilter,
    page: Page,
    now_ms: i64,
) -> StoreResult<(Vec<Plan>, i64)> {
    let mut w = Sql::new(" AND p.status = 'active'");
    push_scope(&mut w, scope);
    if let Some(k) = &f.kind {
        w.push_bind(" AND p.kind = ", k.as_str());
    }
    if let Some(s) = &f.subtype {
        w.push_bind(
            " AND (p.subtypes = '' OR p.subtypes LIKE ",
            format!("%,{s},%"),
        )
        .push(")");
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        w.push_bind(" AND p.name LIKE ", crate::db::like_contains(q.trim()))
            .push(" ESCAPE '\\'");
    }
    let (mut items, mut total) = store
        .page_of(
            "SELECT COUNT(*) FROM plans p WHERE 1 = 1",
            "SELECT p.* FROM plans p WHERE 1 = 1",
            w,
            "p.kind, p.code",
            page,
            |r| from_row(r, now_ms),
        )
        .await?;
    // Review dates are derived; plans number in the hundreds, so this filter runs on the page.
    if let Some(want) = f.review_overdue {
        items.retain(|p| p.review_overdue == want);
        total = items.len() as i64;
    }
    Ok((items, total))
}

/// 登记预案 inside the caller's transaction: a checked plan of the district `district`; a new
/// version of a code supersedes the earlier ones (they stay for the record), a version already
/// registered is refused. Returns its id.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    district: &str,
    input: &PlanInput,
    c: &CheckedPlan,
) -> StoreResult<String> {
    let mut dup = Sql::new("SELECT COUNT(*) FROM plans WHERE code = ");
    dup.bind(c.code.clone())
        .push_bind(" AND version = ", c.version.clone());
    if dup.fetch_one(tx).await?.try_get::<i64, _>(0)? > 0 {
        return Err(StoreError::conflict("version", VERSION_REGISTERED));
    }
    let id = new_id();
    let levels = serde_json::to_string(&input.levels).unwrap_or_default();
    let mut old = Sql::new("UPDATE plans SET status = 'superseded'");
    old.push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE status = 'active' AND code = ", c.code.clone());
    old.execute(tx).await?;
    let mut q = Sql::new(
        "INSERT INTO plans (id, code, name, kind, owner, version, effective_date, review_cycle_months, subtypes, levels, region_code, status, created_ms, updated_ms, enterprise_id) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        c.code.clone().into(),
        c.name.clone().into(),
        input.kind.clone().into(),
        c.owner.clone().into(),
        c.version.clone().into(),
        c.effective_date.clone().into(),
        input.review_cycle_months.into(),
        c.subtypes.clone().into(),
        levels.into(),
        district.into(),
        "active".into(),
        now_ms.into(),
        now_ms.into(),
        input.enterprise_id.clone().into(),
    ]);
    q.execute(tx).await?;
    let change = Change {
        action: "plan.create",
        entity_type: "plan",
        entity_id: Some(&id),
        summary: plan_summary(c),
        before: None,
        after: Some(
            serde_json::json!({"code": c.code, "version": c.version, "levels": input.levels, "enterprise_id": input.enterprise_id}),
        ),
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize)]
pub struct Activation {
    pub id: String,
    pub plan_id: String,
    pub plan_name: String,
    /// activate / upgrade / downgrade / stand_down
    pub action: String,
    pub action_label: String,
    pub level: Option<i64>,
    pub level_label: Option<String>,
    pub suggested_level: Option<i64>,
    pub reason: Option<String>,
    pub at_ms: i64,
    pub author: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentTask {
    pub id: String,
    pub department: String,
    pub task: String,
    pub due_ms: i64,
    /// pending / in_progress / done / cancelled
    pub status: String,
    pub status_label: String,
    pub overdue: bool,
    pub note: Option<String>,
    pub updated_ms: i64,
}

/// The plan response on an incident: every decision and the task board.
#[derive(Debug, Clone, Serialize)]
pub struct Response {
    pub activations: Vec<Activation>,
    pub tasks: Vec<IncidentTask>,
}

pub async fn response(
    store: &Store,
    scope: &Scope,
    incident_id: &str,
    now_ms: i64,
) -> StoreResult<Response> {
    incidents::get(store, scope, incident_id, now_ms).await?;
    let mut q = Sql::new(
        "SELECT a.*, p.name AS plan_name FROM incident_activations a JOIN plans p ON p.id = a.plan_id WHERE a.incident_id = ",
    );
    q.bind(incident_id).push(" ORDER BY a.at_ms, a.id");
    let activations = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let action: String = r.try_get("action")?;
            let level: Option<i64> = r.try_get("level")?;
            Ok(Activation {
                id: r.try_get("id")?,
                plan_id: r.try_get("plan_id")?,
                plan_name: r.try_get("plan_name")?,
                action_label: label_of(ACTIONS, &action).unwrap_or("").into(),
                action,
                level_label: level.map(|l| response_label(l).into()),
                level,
                suggested_level: r.try_get("suggested_level")?,
                reason: r.try_get("reason")?,
                at_ms: r.try_get("at_ms")?,
                author: r.try_get("author")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    let mut q = Sql::new("SELECT * FROM incident_tasks WHERE incident_id = ");
    q.bind(incident_id).push(" ORDER BY due_ms, department, id");
    let tasks = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            let due_ms: i64 = r.try_get("due_ms")?;
            Ok(IncidentTask {
                id: r.try_get("id")?,
                department: r.try_get("department")?,
                task: r.try_get("task")?,
                due_ms,
                overdue: matches!(status.as_str(), "pending" | "in_progress") && now_ms > due_ms,
                status_label: label_of(TASK_STATUSES, &status).unwrap_or("").into(),
                status,
                note: r.try_get("note")?,
                updated_ms: r.try_get("updated_ms")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok(Response { activations, tasks })
}

/// The level each applicable plan suggests for an incident's current facts.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub plan_id: String,
    pub plan_name: String,
    pub kind_label: String,
    pub suggested_level: Option<i64>,
    pub suggested_label: Option<String>,
}

/// An incident's facts; for an incident linked to a 灾害过程, each figure is the larger of the
/// incident's and the process's latest district totals (houses come only from the reports).
fn facts_of(
    i: &incidents::Incident,
    disaster: Option<&sqlx::any::AnyRow>,
) -> StoreResult<TriggerFacts> {
    let own = TriggerFacts {
        casualties: i.casualties,
        severity: Severity::parse(&i.severity).ok(),
        houses_rooms: 0,
        houses_households: 0,
    };
    Ok(match disaster {
        Some(r) => {
            let totals = crate::disasters::reports::totals_of_row(r)?;
            reports_rules::merge_facts(own, &reports_rules::trigger_facts(&totals))
        }
        None => own,
    })
}

pub async fn suggestions(
    store: &Store,
    scope: &Scope,
    incident_id: &str,
    now_ms: i64,
) -> StoreResult<Vec<Suggestion>> {
    let i = incidents::get(store, scope, incident_id, now_ms).await?;
    let f = PlanFilter {
        subtype: Some(i.subtype.clone()),
        ..Default::default()
    };
    let (plans, _) = list(store, scope, &f, Page::new(Some(1), Some(200)), now_ms).await?;
    let linked = store
        .fetch_optional(crate::disasters::reports::linked_totals_sql(&i.id))
        .await?;
    let facts = facts_of(&i, linked.as_ref())?;
    // An enterprise's filed plan applies to incidents at that enterprise only.
    let mut out: Vec<(bool, bool, bool, Suggestion)> = plans
        .into_iter()
        .filter(|p| p.enterprise_id.is_none() || p.enterprise_id == i.enterprise_id)
        .map(|p| {
            let level = suggest_level(&p.levels, &facts);
            let overall = p.kind == "overall";
            let filed = p.enterprise_id.is_some();
            let s = Suggestion {
                plan_id: p.id,
                plan_name: p.name,
                kind_label: p.kind_label,
                suggested_level: level,
                suggested_label: level.map(|l| response_label(l).into()),
            };
            (level.is_none(), overall, filed, s)
        })
        .collect();
    // A 专项预案 whose triggers match comes before the 总体预案: the specific plan drives the
    // response; the enterprise's own filed plans after the government's; plans whose triggers
    // do not match come last.
    out.sort_by_key(|(unmatched, overall, filed, _)| (*unmatched, *filed, *overall));
    Ok(out.into_iter().map(|(_, _, _, s)| s).collect())
}

/// A response decision (启动/升级/降级/终止) checked against the incident and the plan.
pub struct ResponseDecision<'a> {
    /// The incident as read before the transaction (its level is compared and set).
    pub incident: &'a incidents::Incident,
    pub plan: &'a Plan,
    /// activate / upgrade / downgrade / stand_down
    pub action: &'a str,
    /// The level it leads to; None for a stand-down.
    pub level: Option<i64>,
    pub reason: Option<String>,
}

/// 启动/升级/降级/终止 inside the caller's transaction. The incident row is the lock: the level
/// moves by compare-and-set from the level the decision was checked against, so two officers
/// deciding at once cannot both succeed. Starting or changing a level creates that level's
/// tasks the incident does not already have (by department and task); stand-down cancels open
/// tasks. The decision is on the timeline.
pub async fn decide_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    d: &ResponseDecision<'_>,
) -> StoreResult<()> {
    let incident_id = d.incident.id.as_str();
    let current = d.incident.response_level;
    let linked = crate::disasters::reports::linked_totals_sql(&d.incident.id)
        .fetch_optional(tx)
        .await?;
    let suggested = suggest_level(&d.plan.levels, &facts_of(d.incident, linked.as_ref())?);
    set_level_in(tx, now_ms, incident_id, current, d.level).await?;
    let activation_id = new_id();
    let mut q = Sql::new(
        "INSERT INTO incident_activations (id, incident_id, plan_id, action, level, suggested_level, reason, at_ms, author) VALUES ",
    );
    q.values(vec![
        activation_id.clone().into(),
        incident_id.into(),
        d.plan.id.clone().into(),
        d.action.into(),
        d.level.into(),
        suggested.into(),
        d.reason.clone().into(),
        now_ms.into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(tx).await?;
    let created = match d.level {
        Some(l) => create_tasks_in(tx, now_ms, incident_id, &activation_id, d.plan, l).await?,
        None => {
            cancel_tasks_in(tx, now_ms, incident_id).await?;
            0
        }
    };
    let text = decision_text(Decision {
        action: d.action,
        plan_name: &d.plan.name,
        level: d.level,
        created,
        suggested,
        reason: d.reason.as_deref(),
    });
    let step = Step {
        action: "incident.response",
        kind: "response",
        at_ms: now_ms,
        text: &text,
        before: Some(serde_json::json!({"response_level": current})),
        after: Some(
            serde_json::json!({"response_level": d.level, "plan_id": d.plan.id, "action": d.action}),
        ),
    };
    record(tx, ctx, now_ms, incident_id, &d.incident.heading(), step).await
}

/// Moves an open incident's response level from `current` to `level`, or refuses when another
/// decision (or the close) came first.
async fn set_level_in(
    tx: &mut Tx,
    now_ms: i64,
    incident_id: &str,
    current: Option<i64>,
    level: Option<i64>,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE incidents SET ");
    u.push_bind("response_level = ", level)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE status = 'open' AND id = ", incident_id);
    match current {
        Some(c) => u.push_bind(" AND response_level = ", c),
        None => u.push(" AND response_level IS NULL"),
    };
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict("action", DECIDED_MEANWHILE));
    }
    Ok(())
}

/// The tasks of the plan's level `level` that the incident does not have yet (by department
/// and task, cancelled ones aside), due their minutes from now; returns how many.
async fn create_tasks_in(
    tx: &mut Tx,
    now_ms: i64,
    incident_id: &str,
    activation_id: &str,
    plan: &Plan,
    level: i64,
) -> StoreResult<usize> {
    let mut have = Sql::new(
        "SELECT department, task FROM incident_tasks WHERE status <> 'cancelled' AND incident_id = ",
    );
    have.bind(incident_id);
    let existing: Vec<(String, String)> = have
        .fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<StoreResult<_>>()?;
    let tasks = plan
        .levels
        .iter()
        .find(|x| x.level == level)
        .map(|x| x.tasks.clone())
        .unwrap_or_default();
    let mut created = 0;
    for t in tasks {
        if existing
            .iter()
            .any(|(d, x)| *d == t.department && *x == t.task)
        {
            continue;
        }
        let mut ins = Sql::new(
            "INSERT INTO incident_tasks (id, incident_id, activation_id, department, task, due_ms, status, note, updated_ms) VALUES ",
        );
        ins.values(vec![
            new_id().into(),
            incident_id.into(),
            activation_id.into(),
            t.department.into(),
            t.task.into(),
            (now_ms + t.deadline_minutes * 60_000).into(),
            "pending".into(),
            None::<String>.into(),
            now_ms.into(),
        ]);
        ins.execute(tx).await?;
        created += 1;
    }
    Ok(created)
}

/// Stand-down: the open tasks are cancelled.
async fn cancel_tasks_in(tx: &mut Tx, now_ms: i64, incident_id: &str) -> StoreResult<()> {
    let mut c = Sql::new("UPDATE incident_tasks SET status = 'cancelled'");
    c.push_bind(", updated_ms = ", now_ms).push_bind(
        " WHERE status IN ('pending', 'in_progress') AND incident_id = ",
        incident_id,
    );
    c.execute(tx).await?;
    Ok(())
}

/// A task's progress (处理中 / 已完成) inside the caller's transaction: the task of `incident`
/// must still be open and move by compare-and-set from the status read; the change is on the
/// timeline.
pub async fn update_task_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    incident: &incidents::Incident,
    task_id: &str,
    update: &CheckedTaskUpdate,
) -> StoreResult<()> {
    let mut q =
        Sql::new("SELECT department, task, status FROM incident_tasks WHERE incident_id = ");
    q.bind(incident.id.as_str())
        .push_bind(" AND id = ", task_id);
    let row = q.fetch_optional(tx).await?.ok_or(StoreError::NotFound)?;
    let (department, task, status): (String, String, String) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    if !matches!(status.as_str(), "pending" | "in_progress") {
        return Err(StoreError::conflict("status", task_closed(&status)));
    }
    let mut u = Sql::new("UPDATE incident_tasks SET ");
    u.push_bind("status = ", update.status.as_str())
        .push_bind(", note = ", update.note.clone())
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", task_id)
        .push_bind(" AND status = ", status.as_str());
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict("status", TASK_UPDATED_MEANWHILE));
    }
    let text = task_text(&department, &task, &update.status, update.note.as_deref());
    let step = Step {
        action: "incident.task",
        kind: "task",
        at_ms: now_ms,
        text: &text,
        before: Some(serde_json::json!({"task_id": task_id, "status": status})),
        after: Some(serde_json::json!({"task_id": task_id, "status": update.status})),
    };
    record(tx, ctx, now_ms, &incident.id, &incident.heading(), step).await
}
