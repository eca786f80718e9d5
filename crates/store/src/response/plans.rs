//! 应急预案库 and plan-driven response: activating a plan's level on an incident creates that
//! level's tasks; upgrade, downgrade and stand-down are recorded on the incident's timeline.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::response::incidents::{self, Step, record};
use crate::{Page, Sql, Store, StoreError, StoreResult, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::role::Scope;
use yingji_core::prevention::hazard::label_of;
use yingji_core::response::incident::Severity;
use yingji_core::response::plan::{
    KINDS, PlanLevel, TriggerFacts, response_label, review_due, suggest_level,
};
use yingji_core::response::plans::{
    ACTIONS, Decision, TASK_STATUSES, check_decision, check_plan, check_task_update, decision_text,
    plan_summary, task_closed, task_text,
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
        review_overdue: due.is_some_and(|d| yingji_core::prevention::hazard::today(now_ms) > d),
        effective_date,
        review_cycle_months: cycle,
        subtypes: subtypes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(Into::into)
            .collect(),
        levels: serde_json::from_str(&r.try_get::<String, _>("levels")?).unwrap_or_default(),
        status: r.try_get("status")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Plans of the caller's district; everyone with a region sees them, enterprises none.
fn push_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        Scope::All => {}
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

pub async fn create(store: &Store, ctx: &Ctx, now_ms: i64, input: &PlanInput) -> StoreResult<Plan> {
    if !yingji_core::response::access::may_edit_plans(ctx.role) {
        return Err(StoreError::Forbidden(
            "只有局领导、部门人员和管理员可以编制预案".into(),
        ));
    }
    let c = check_plan(input)?;
    let district = crate::directory::regions::district_of_scope(store, &ctx.scope).await?;
    let mut dup = Sql::new("SELECT COUNT(*) FROM plans WHERE code = ");
    dup.bind(c.code.clone())
        .push_bind(" AND version = ", c.version.clone());
    if store.fetch_i64(dup).await? > 0 {
        return Err(StoreError::conflict("version", "该预案的这一版本已登记"));
    }
    let id = new_id();
    let levels = serde_json::to_string(&input.levels).unwrap_or_default();
    let mut tx = store.begin().await?;
    // A new version replaces the earlier ones in the library; they stay for the record.
    let mut old = Sql::new("UPDATE plans SET status = 'superseded'");
    old.push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE status = 'active' AND code = ", c.code.clone());
    old.execute(&mut tx).await?;
    let mut q = Sql::new(
        "INSERT INTO plans (id, code, name, kind, owner, version, effective_date, review_cycle_months, subtypes, levels, region_code, status, created_ms, updated_ms) VALUES ",
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
    ]);
    q.execute(&mut tx).await?;
    audit::append(
        &mut tx,
        now_ms,
        &ctx.actor,
        Change {
            action: "plan.create",
            entity_type: "plan",
            entity_id: Some(&id),
            summary: plan_summary(&c),
            before: None,
            after: Some(
                serde_json::json!({"code": c.code, "version": c.version, "levels": input.levels}),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    get(store, &ctx.scope, &id, now_ms).await
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

fn facts_of(i: &incidents::Incident) -> TriggerFacts {
    TriggerFacts {
        casualties: i.casualties,
        severity: Severity::parse(&i.severity).ok(),
        houses_rooms: 0,
        houses_households: 0,
    }
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
    let facts = facts_of(&i);
    let mut out: Vec<(bool, bool, Suggestion)> = plans
        .into_iter()
        .map(|p| {
            let level = suggest_level(&p.levels, &facts);
            let overall = p.kind == "overall";
            let s = Suggestion {
                plan_id: p.id,
                plan_name: p.name,
                kind_label: p.kind_label,
                suggested_level: level,
                suggested_label: level.map(|l| response_label(l).into()),
            };
            (level.is_none(), overall, s)
        })
        .collect();
    // A 专项预案 whose triggers match comes before the 总体预案: the specific plan drives the
    // response; plans whose triggers do not match come last.
    out.sort_by_key(|(unmatched, overall, _)| (*unmatched, *overall));
    Ok(out.into_iter().map(|(_, _, s)| s).collect())
}

/// 启动/升级/降级/终止. Starting or changing a level creates that level's tasks that the
/// incident does not already have (by department and task); stand-down cancels open tasks.
pub async fn decide(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    input: &ActivationInput,
) -> StoreResult<Response> {
    if !yingji_core::response::access::may_command(ctx.role) {
        return Err(StoreError::Forbidden(
            "只有值班员和局领导可以启动或调整应急响应".into(),
        ));
    }
    let incident = incidents::get(store, &ctx.scope, incident_id, now_ms).await?;
    if incident.status != "open" {
        return Err(StoreError::conflict(
            "status",
            "事件已结束，不能调整应急响应",
        ));
    }
    let plan = get(store, &ctx.scope, &input.plan_id, now_ms)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("plan_id", "预案不存在"),
            other => other,
        })?;
    let current = incident.response_level;
    let action = input.action.as_str();
    let (level, reason) = check_decision(input, &plan.levels, current)?;
    let suggested = suggest_level(&plan.levels, &facts_of(&incident));
    let activation_id = new_id();
    let mut tx = store.begin().await?;
    // The incident row is the lock: two officers deciding at once serialise on it.
    let mut u = Sql::new("UPDATE incidents SET ");
    u.push_bind("response_level = ", level)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE status = 'open' AND id = ", incident_id);
    match current {
        Some(c) => u.push_bind(" AND response_level = ", c),
        None => u.push(" AND response_level IS NULL"),
    };
    if u.execute(&mut tx).await? == 0 {
        return Err(StoreError::conflict(
            "action",
            "应急响应已被他人调整，请刷新后重试",
        ));
    }
    let mut q = Sql::new(
        "INSERT INTO incident_activations (id, incident_id, plan_id, action, level, suggested_level, reason, at_ms, author) VALUES ",
    );
    q.values(vec![
        activation_id.clone().into(),
        incident_id.into(),
        plan.id.clone().into(),
        action.into(),
        level.into(),
        suggested.into(),
        reason.clone().into(),
        now_ms.into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(&mut tx).await?;
    let mut created = 0;
    if let Some(l) = level {
        let mut have = Sql::new(
            "SELECT department, task FROM incident_tasks WHERE status <> 'cancelled' AND incident_id = ",
        );
        have.bind(incident_id);
        let existing: Vec<(String, String)> = have
            .fetch_all(&mut tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<StoreResult<_>>()?;
        let tasks = plan
            .levels
            .iter()
            .find(|x| x.level == l)
            .map(|x| x.tasks.clone())
            .unwrap_or_default();
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
                activation_id.clone().into(),
                t.department.into(),
                t.task.into(),
                (now_ms + t.deadline_minutes * 60_000).into(),
                "pending".into(),
                None::<String>.into(),
                now_ms.into(),
            ]);
            ins.execute(&mut tx).await?;
            created += 1;
        }
    } else {
        let mut c = Sql::new("UPDATE incident_tasks SET status = 'cancelled'");
        c.push_bind(", updated_ms = ", now_ms).push_bind(
            " WHERE status IN ('pending', 'in_progress') AND incident_id = ",
            incident_id,
        );
        c.execute(&mut tx).await?;
    }
    let text = decision_text(Decision {
        action,
        plan_name: &plan.name,
        level,
        created,
        suggested,
        reason: reason.as_deref(),
    });
    let step = Step {
        action: "incident.response",
        kind: "response",
        at_ms: now_ms,
        text: &text,
        before: Some(serde_json::json!({"response_level": current})),
        after: Some(
            serde_json::json!({"response_level": level, "plan_id": plan.id, "action": action}),
        ),
    };
    record(&mut tx, ctx, now_ms, incident_id, &incident.heading(), step).await?;
    tx.commit().await?;
    response(store, &ctx.scope, incident_id, now_ms).await
}

pub async fn update_task(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    task_id: &str,
    input: &TaskUpdate,
) -> StoreResult<Response> {
    if !yingji_core::response::access::may_update_tasks(ctx.role) {
        return Err(StoreError::Forbidden("您的角色不能更新处置任务".into()));
    }
    let note = check_task_update(input)?;
    let incident = incidents::get(store, &ctx.scope, incident_id, now_ms).await?;
    let mut tx = store.begin().await?;
    let mut q =
        Sql::new("SELECT department, task, status FROM incident_tasks WHERE incident_id = ");
    q.bind(incident_id).push_bind(" AND id = ", task_id);
    let row = q
        .fetch_optional(&mut tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let (department, task, status): (String, String, String) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    if !matches!(status.as_str(), "pending" | "in_progress") {
        return Err(StoreError::conflict("status", task_closed(&status)));
    }
    let mut u = Sql::new("UPDATE incident_tasks SET ");
    u.push_bind("status = ", input.status.as_str())
        .push_bind(", note = ", note.clone())
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", task_id)
        .push_bind(" AND status = ", status.as_str());
    if u.execute(&mut tx).await? == 0 {
        return Err(StoreError::conflict(
            "status",
            "任务已被他人更新，请刷新后重试",
        ));
    }
    let text = task_text(&department, &task, &input.status, note.as_deref());
    let step = Step {
        action: "incident.task",
        kind: "task",
        at_ms: now_ms,
        text: &text,
        before: Some(serde_json::json!({"task_id": task_id, "status": status})),
        after: Some(serde_json::json!({"task_id": task_id, "status": input.status})),
    };
    record(&mut tx, ctx, now_ms, incident_id, &incident.heading(), step).await?;
    tx.commit().await?;
    response(store, &ctx.scope, incident_id, now_ms).await
}
