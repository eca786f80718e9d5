//! 严重失信主体名单: the listing cases (one row per subject sharing `case_id` and its steps), read
//! within the caller's scope, written in the caller's transaction with the timeline and the
//! audit record; the automatic removal at the end of the period (a durable timer); the public
//! list.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::timers::{self, ListingExpiry, TimerKind};
use crate::kernel::todo::{TodoItem, TodoList};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::listing_criteria::Subject;
use yingji_core::credit::listings::{NOT_A_READER, Status, expiry_summary, may_read};
use yingji_core::kernel::role::Scope;
use yingji_core::prevention::hazard::start_of_day_ms;

/// One subject of a case.
#[derive(Debug, Clone)]
pub struct SubjectRow {
    pub id: String,
    pub subject: Subject,
}

/// A listing case with its subjects.
#[derive(Debug, Clone, Default)]
pub struct Case {
    pub case_id: String,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub department_id: String,
    pub department_name: String,
    pub department_region: String,
    pub criterion: String,
    pub basis: String,
    pub record_id: Option<String>,
    pub status: String,
    pub proposed_day: String,
    pub notice_number: Option<String>,
    pub notice_day: Option<String>,
    pub statement_until: Option<String>,
    pub statement: Option<String>,
    pub decision_number: Option<String>,
    pub decided_day: Option<String>,
    pub decision_reason: Option<String>,
    pub listed_day: Option<String>,
    pub expires_day: Option<String>,
    pub early_removal_eligible_day: Option<String>,
    pub published_day: Option<String>,
    pub repair_reason: Option<String>,
    pub repair_requested_day: Option<String>,
    pub repair_decision: Option<String>,
    pub removed_day: Option<String>,
    pub removal_kind: Option<String>,
    pub restored_day: Option<String>,
    pub restore_reason: Option<String>,
    pub updated_ms: i64,
    pub subjects: Vec<SubjectRow>,
}

/// The text columns of a case, in the order [`Case`] reads them.
const TEXTS: [&str; 21] = [
    "notice_number",
    "notice_day",
    "statement_until",
    "statement",
    "decision_number",
    "decided_day",
    "decision_reason",
    "listed_day",
    "expires_day",
    "early_removal_eligible_day",
    "published_day",
    "repair_reason",
    "repair_requested_day",
    "repair_decision",
    "removed_day",
    "removal_kind",
    "restored_day",
    "restore_reason",
    "record_id",
    "enterprise_id",
    "subject_code",
];

const SELECT: &str = "SELECT l.*, e.name AS enterprise_name, d.name AS department_name, d.region_code AS department_region FROM credit_listings l JOIN departments d ON d.id = l.department_id LEFT JOIN enterprises e ON e.id = l.enterprise_id WHERE 1 = 1";

fn opt(r: &AnyRow, c: &str) -> StoreResult<Option<String>> {
    Ok(r.try_get(c)?)
}

// Long because: one assignment per column.
fn case_of(r: &AnyRow) -> StoreResult<Case> {
    let t: Vec<Option<String>> = TEXTS
        .iter()
        .map(|c| opt(r, c))
        .collect::<StoreResult<_>>()?;
    let t = |i: usize| t[i].clone();
    Ok(Case {
        case_id: r.try_get("case_id")?,
        enterprise_id: t(19),
        enterprise_name: r.try_get("enterprise_name")?,
        department_id: r.try_get("department_id")?,
        department_name: r.try_get("department_name")?,
        department_region: r.try_get("department_region")?,
        criterion: r.try_get("criterion")?,
        basis: r.try_get("basis")?,
        record_id: t(18),
        status: r.try_get("status")?,
        proposed_day: r.try_get("proposed_day")?,
        notice_number: t(0),
        notice_day: t(1),
        statement_until: t(2),
        statement: t(3),
        decision_number: t(4),
        decided_day: t(5),
        decision_reason: t(6),
        listed_day: t(7),
        expires_day: t(8),
        early_removal_eligible_day: t(9),
        published_day: t(10),
        repair_reason: t(11),
        repair_requested_day: t(12),
        repair_decision: t(13),
        removed_day: t(14),
        removal_kind: t(15),
        restored_day: t(16),
        restore_reason: t(17),
        updated_ms: r.try_get("updated_ms")?,
        subjects: Vec::new(),
    })
}

fn subject_of(r: &AnyRow) -> StoreResult<SubjectRow> {
    Ok(SubjectRow {
        id: r.try_get("id")?,
        subject: Subject {
            kind: r.try_get("subject_kind")?,
            name: r.try_get("subject_name")?,
            code: r.try_get("subject_code")?,
            role: r.try_get("subject_role")?,
        },
    })
}

/// Rows grouped into cases, in the rows' order.
fn group(rows: &[AnyRow]) -> StoreResult<Vec<Case>> {
    let mut out: Vec<Case> = Vec::new();
    for r in rows {
        let case_id: String = r.try_get("case_id")?;
        let s = subject_of(r)?;
        match out.iter_mut().find(|c| c.case_id == case_id) {
            Some(c) => c.subjects.push(s),
            None => {
                let mut c = case_of(r)?;
                c.subjects.push(s);
                out.push(c);
            }
        }
    }
    Ok(out)
}

/// Limits to a scope: a department its own, a region's leaders the departments serving their
/// region, an enterprise its own, the administrators all.
pub fn push_department_scope(sql: &mut Sql, scope: &Scope, dept_col: &str, ent_col: &str) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } => {
            sql.push(&format!(
                " AND {dept_col} IN (SELECT d2.id FROM departments d2 WHERE d2.region_code LIKE "
            ))
            .bind(format!("{prefix}%"))
            .push_bind(" OR ", prefix.as_str())
            .push(" LIKE d2.region_code || '%')");
        }
        Scope::Department { department_id, .. } => {
            sql.push_bind(&format!(" AND {dept_col} = "), department_id);
        }
        Scope::Enterprise { enterprise_id } => {
            sql.push_bind(&format!(" AND {ent_col} = "), enterprise_id);
        }
        // 保险机构人员 read the public list only (routes::credit::disclosure).
        Scope::Insurer { .. } => {
            sql.push(" AND 1 = 0");
        }
    }
}

fn push_scope(sql: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    if !may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_READER.into()));
    }
    push_department_scope(sql, &ctx.scope, "l.department_id", "l.enterprise_id");
    Ok(())
}

/// The cases the caller may see, newest first; `status` filters.
pub async fn list(store: &Store, ctx: &Ctx, status: Option<&str>) -> StoreResult<Vec<Case>> {
    let mut q = Sql::new(SELECT);
    push_scope(&mut q, ctx)?;
    if let Some(s) = status {
        q.push_bind(" AND l.status = ", s);
    }
    q.push(" ORDER BY l.created_ms DESC, l.case_id, l.subject_kind DESC, l.id");
    group(&store.fetch_all(q).await?)
}

pub async fn get(store: &Store, ctx: &Ctx, case_id: &str) -> StoreResult<Case> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND l.case_id = ", case_id);
    push_scope(&mut q, ctx)?;
    q.push(" ORDER BY l.subject_kind DESC, l.id");
    group(&store.fetch_all(q).await?)?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// Whether a case on the same basis is open or on the list (a second proposal is refused).
pub async fn open_on_basis(
    store: &Store,
    enterprise_id: Option<&str>,
    criterion: &str,
    basis: &str,
) -> StoreResult<bool> {
    let mut q = Sql::new(
        "SELECT id FROM credit_listings WHERE status NOT IN ('not_listed', 'removed') AND criterion = ",
    );
    q.bind(criterion).push_bind(" AND basis = ", basis);
    match enterprise_id {
        Some(e) => q.push_bind(" AND enterprise_id = ", e),
        None => q.push(" AND enterprise_id IS NULL"),
    };
    Ok(store.fetch_optional(q).await?.is_some())
}

/// A proposal to record.
pub struct NewCase<'a> {
    pub enterprise_id: Option<&'a str>,
    pub department_id: &'a str,
    pub criterion: &'a str,
    pub basis: &'a str,
    pub record_id: Option<&'a str>,
    pub proposed_day: &'a str,
    pub subjects: &'a [Subject],
    pub summary: String,
}

pub async fn propose_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    c: &NewCase<'_>,
) -> StoreResult<String> {
    let case_id = new_id();
    for s in c.subjects {
        let mut q = Sql::new(
            "INSERT INTO credit_listings (id, case_id, enterprise_id, subject_kind, subject_name, subject_code, subject_role, department_id, criterion, basis, record_id, status, proposed_day, created_ms, updated_ms) VALUES ",
        );
        q.values(vec![
            new_id().into(),
            case_id.clone().into(),
            c.enterprise_id.into(),
            s.kind.clone().into(),
            s.name.clone().into(),
            s.code.clone().into(),
            s.role.clone().into(),
            c.department_id.into(),
            c.criterion.into(),
            c.basis.into(),
            c.record_id.into(),
            Status::Proposed.as_str().into(),
            c.proposed_day.into(),
            now_ms.into(),
            now_ms.into(),
        ]);
        q.execute(tx).await?;
    }
    step_row_in(
        tx,
        &case_id,
        "propose",
        Status::Proposed.as_str(),
        &c.summary,
        &ctx.display_name,
        now_ms,
    )
    .await?;
    let change = Change {
        after: Some(serde_json::json!({
            "department_id": c.department_id, "enterprise_id": c.enterprise_id,
            "criterion": c.criterion, "basis": c.basis, "subjects": c.subjects,
        })),
        ..Change::of(
            "credit.propose_listing",
            "credit_listing",
            &case_id,
            c.summary.clone(),
        )
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(case_id)
}

async fn step_row_in(
    tx: &mut Tx,
    case_id: &str,
    step: &str,
    status: &str,
    note: &str,
    actor: &str,
    now_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO credit_listing_steps (id, case_id, step, status, note, actor_name, created_ms) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        case_id.into(),
        step.into(),
        status.into(),
        note.into(),
        actor.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

/// One timeline row.
#[derive(Debug, Clone)]
pub struct StepRow {
    pub step: String,
    pub status: String,
    pub note: String,
    pub actor_name: String,
    pub created_ms: i64,
}

pub async fn timeline(store: &Store, case_id: &str) -> StoreResult<Vec<StepRow>> {
    let mut q = Sql::new(
        "SELECT step, status, note, actor_name, created_ms FROM credit_listing_steps WHERE case_id = ",
    );
    q.bind(case_id).push(" ORDER BY created_ms, id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(StepRow {
                step: r.try_get("step")?,
                status: r.try_get("status")?,
                note: r.try_get("note")?,
                actor_name: r.try_get("actor_name")?,
                created_ms: r.try_get("created_ms")?,
            })
        })
        .collect()
}

/// A checked step to apply: the status it leads to and the columns it sets (None clears).
pub struct Update<'a> {
    pub step: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub columns: Vec<(&'static str, Option<String>)>,
    pub summary: String,
    /// Schedule the automatic removal on this day (a listing, a restoration).
    pub expiry: Option<jiff::civil::Date>,
}

/// Applies a step to every subject of the case, only if the case is still in `from` (a step
/// taken meanwhile by someone else is refused); with its timeline row and audit record.
pub async fn step_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    case_id: &str,
    u: &Update<'_>,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE credit_listings SET updated_ms = ");
    q.bind(now_ms).push_bind(", status = ", u.to);
    for (c, v) in &u.columns {
        q.push_bind(&format!(", {c} = "), v.clone());
    }
    q.push_bind(" WHERE case_id = ", case_id)
        .push_bind(" AND status = ", u.from);
    if q.execute(tx).await? == 0 {
        return Err(StoreError::Conflict {
            field: "step".into(),
            message: "名单状态已被他人更新，请刷新后重试".into(),
        });
    }
    step_row_in(
        tx,
        case_id,
        u.step,
        u.to,
        &u.summary,
        &ctx.display_name,
        now_ms,
    )
    .await?;
    if let Some(day) = u.expiry {
        timers::cancel(tx, case_id, timers::TimerCode::ListingExpiry).await?;
        let kind = TimerKind::ListingExpiry(ListingExpiry {
            expires_day: day.to_string(),
        });
        timers::schedule(tx, now_ms, &kind, case_id, start_of_day_ms(day)).await?;
    }
    if u.to == Status::Removed.as_str() {
        timers::cancel(tx, case_id, timers::TimerCode::ListingExpiry).await?;
    }
    let action = format!("credit.listing_{}", u.step);
    let change = Change {
        before: Some(serde_json::json!({"status": u.from})),
        after: Some(serde_json::json!({"status": u.to, "columns": u.columns})),
        ..Change::of(&action, "credit_listing", case_id, u.summary.clone())
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// The management period ended (in the scheduler's transaction, which has claimed the timer):
/// the case is removed with its timeline row and audit record; nothing when it is no longer on
/// the list or its end has moved.
pub async fn fire_expiry(
    tx: &mut Tx,
    case_id: &str,
    p: &ListingExpiry,
    now_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "SELECT status, expires_day, subject_name, subject_kind FROM credit_listings WHERE case_id = ",
    );
    q.bind(case_id).push(" ORDER BY subject_kind DESC");
    let rows = q.fetch_all(tx).await?;
    let Some(r) = rows.first() else { return Ok(()) };
    let status = Status::parse(&r.try_get::<String, _>("status")?);
    let expires: Option<String> = r.try_get("expires_day")?;
    if !status.is_some_and(Status::on_list) || expires.as_deref() != Some(p.expires_day.as_str()) {
        return Ok(());
    }
    let name: String = r.try_get("subject_name")?;
    let day: jiff::civil::Date = p.expires_day.parse().unwrap_or_default();
    let summary = expiry_summary(&name, day);
    let mut u = Sql::new(
        "UPDATE credit_listings SET status = 'removed', removal_kind = 'expired', removed_day = ",
    );
    u.bind(p.expires_day.clone())
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE case_id = ", case_id);
    u.execute(tx).await?;
    let system = Actor::system("名单管理期限");
    step_row_in(
        tx,
        case_id,
        "expire",
        Status::Removed.as_str(),
        &summary,
        "系统",
        now_ms,
    )
    .await?;
    let change = Change::of("credit.listing_expire", "credit_listing", case_id, summary);
    audit::append(tx, now_ms, &system, change).await?;
    Ok(())
}

/// The published subjects within their management period on `today` (the public page).
pub async fn public(store: &Store, today: &str) -> StoreResult<Vec<Case>> {
    let mut q = Sql::new(SELECT);
    q.push(" AND l.status IN ('listed', 'repair_requested') AND l.published_day IS NOT NULL");
    q.push_bind(" AND l.listed_day <= ", today.to_string())
        .push_bind(" AND l.expires_day > ", today.to_string());
    q.push(" ORDER BY l.listed_day DESC, l.case_id, l.subject_kind DESC, l.id");
    group(&store.fetch_all(q).await?)
}

/// A department's listings on its 工作台 (one entry per case): `decide_listings` (proposed or
/// noticed), `listing_statements_ending` (noticed, no statement, the window ending by `until`),
/// `decide_listing_repairs` (repair requested); soonest first.
pub async fn todo(
    store: &Store,
    ctx: &Ctx,
    kind: &str,
    until: &str,
    limit: i64,
) -> StoreResult<TodoList> {
    const FROM: &str = " FROM credit_listings l WHERE l.id = (SELECT MIN(l2.id) FROM credit_listings l2 WHERE l2.case_id = l.case_id)";
    let mut w = Sql::new("");
    push_scope(&mut w, ctx)?;
    match kind {
        "decide_listings" => w.push(" AND l.status IN ('proposed', 'noticed')"),
        "listing_statements_ending" => w
            .push(" AND l.status = 'noticed' AND l.statement IS NULL")
            .push_bind(" AND l.statement_until <= ", until.to_string()),
        _ => w.push(" AND l.status = 'repair_requested'"),
    };
    let item = |r: &AnyRow| -> StoreResult<TodoItem> {
        let case_id: String = r.try_get("case_id")?;
        let status: String = r.try_get("status")?;
        let due: Option<String> = r.try_get("statement_until")?;
        Ok(TodoItem {
            link: format!("/credit/listings?listing={case_id}"),
            id: case_id,
            code: r.try_get("notice_number")?,
            title: r.try_get("subject_name")?,
            place: Some(r.try_get("basis")?),
            status_label: Status::parse(&status)
                .map(Status::label)
                .unwrap_or("")
                .into(),
            at_ms: Some(r.try_get("updated_ms")?),
            due_ms: None,
            overdue: false,
            due_date: due.filter(|_| status == "noticed"),
        })
    };
    let (items, total) = store
        .page_of(
            &format!("SELECT COUNT(*){FROM}"),
            &format!("SELECT l.case_id, l.status, l.statement_until, l.notice_number, l.subject_name, l.basis, l.updated_ms{FROM}"),
            w,
            "COALESCE(l.statement_until, l.proposed_day), l.case_id",
            Page::new(Some(1), Some(limit)),
            item,
        )
        .await?;
    Ok(TodoList { items, total })
}
