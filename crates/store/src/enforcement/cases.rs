//! 行政处罚案件: the case rows, their 承办人 and timeline, read in the caller's view
//! (core::enforcement::case::case_view) and written in the caller's transaction; the deadline
//! timer's effects (overdue → timeline, notices, audit).

use super::push_departments;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::escalation;
use crate::kernel::timers::{self, CaseDeadline, TimerKind};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use yingji_core::enforcement::case::{
    CaseState, CaseView, Deadline, NOT_A_CASE_READER, StepOutcome, case_view, day_end_ms,
    overdue_note,
};
use yingji_core::kernel::notify::Message;
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Investigator {
    pub user_id: String,
    pub name: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct CaseStep {
    pub step: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor_name: String,
    pub note: Option<String>,
    pub at_ms: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Case {
    pub id: String,
    pub department_id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub region_code: String,
    pub title: String,
    pub facts: Option<String>,
    pub legal_basis: Option<String>,
    pub source: String,
    pub source_id: Option<String>,
    pub state: String,
    pub reviewer_id: Option<String>,
    pub reviewer_name: Option<String>,
    pub filed_day: String,
    pub decision_due: String,
    pub extended_until: Option<String>,
    pub extension_reason: Option<String>,
    pub statement_until: Option<String>,
    pub hearing_until: Option<String>,
    /// made / waived (core::enforcement::case_windows).
    pub statement: Option<String>,
    /// requested / held.
    pub hearing: Option<String>,
    pub decided_day: Option<String>,
    pub payment_due: Option<String>,
    pub accident_grade: Option<String>,
    pub aggravated: bool,
    pub proposed_fine: Option<i64>,
    pub decided_fine: Option<i64>,
    pub fine_reason: Option<String>,
    pub criminal_transfer: bool,
    pub transfer_reason: Option<String>,
    pub paid: bool,
    pub compulsory: bool,
    pub overdue: bool,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub investigators: Vec<Investigator>,
    pub steps: Vec<CaseStep>,
}

fn from_row(r: &AnyRow) -> StoreResult<Case> {
    let b = |c: &str| -> StoreResult<bool> { Ok(r.try_get::<i64, _>(c)? != 0) };
    Ok(Case {
        id: r.try_get("id")?,
        department_id: r.try_get("department_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        region_code: r.try_get("region_code")?,
        title: r.try_get("title")?,
        facts: r.try_get("facts")?,
        legal_basis: r.try_get("legal_basis")?,
        source: r.try_get("source")?,
        source_id: r.try_get("source_id")?,
        state: r.try_get("state")?,
        reviewer_id: r.try_get("reviewer_id")?,
        reviewer_name: r.try_get("reviewer_name")?,
        filed_day: r.try_get("filed_day")?,
        decision_due: r.try_get("decision_due")?,
        extended_until: r.try_get("extended_until")?,
        extension_reason: r.try_get("extension_reason")?,
        statement_until: r.try_get("statement_until")?,
        hearing_until: r.try_get("hearing_until")?,
        statement: r.try_get("statement")?,
        hearing: r.try_get("hearing")?,
        decided_day: r.try_get("decided_day")?,
        payment_due: r.try_get("payment_due")?,
        accident_grade: r.try_get("accident_grade")?,
        aggravated: b("aggravated")?,
        proposed_fine: r.try_get("proposed_fine")?,
        decided_fine: r.try_get("decided_fine")?,
        fine_reason: r.try_get("fine_reason")?,
        criminal_transfer: b("criminal_transfer")?,
        transfer_reason: r.try_get("transfer_reason")?,
        paid: b("paid")?,
        compulsory: b("compulsory")?,
        overdue: b("overdue")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
        investigators: vec![],
        steps: vec![],
    })
}

/// Limits a query on `c` (enforcement_cases) to what the caller may see.
fn push_view(sql: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    match case_view(ctx.role) {
        CaseView::Departments => push_departments(sql, ctx, "c.department_id")?,
        CaseView::Reviewer => {
            match &ctx.scope {
                Scope::Department { department_id, .. } => {
                    sql.push_bind(" AND c.department_id = ", department_id.as_str());
                }
                _ => return Err(StoreError::Forbidden(NOT_A_CASE_READER.into())),
            }
            sql.push_bind(
                " AND (c.state = 'reviewing' OR c.reviewer_id = ",
                ctx.user_id.as_str(),
            )
            .push(")");
        }
        CaseView::Investigator => {
            push_departments(sql, ctx, "c.department_id")?;
            sql.push_bind(
                " AND c.id IN (SELECT ci.case_id FROM enforcement_case_investigators ci WHERE ci.user_id = ",
                ctx.user_id.as_str(),
            )
            .push(")");
        }
        CaseView::Enterprise => match &ctx.scope {
            Scope::Enterprise { enterprise_id } => {
                sql.push_bind(" AND c.enterprise_id = ", enterprise_id.as_str());
            }
            _ => {
                sql.push(" AND 1 = 0");
            }
        },
        CaseView::None => return Err(StoreError::Forbidden(NOT_A_CASE_READER.into())),
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub state: Option<String>,
    pub department_id: Option<String>,
}

/// The cases the caller may see, open ones by their deadline first.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    f: &CaseFilter,
    page: Page,
) -> StoreResult<(Vec<Case>, i64)> {
    let mut w = Sql::new("");
    push_view(&mut w, ctx)?;
    if let Some(s) = f.state.as_deref() {
        w.push_bind(" AND c.state = ", s);
    }
    if let Some(d) = f.department_id.as_deref() {
        w.push_bind(" AND c.department_id = ", d);
    }
    let from = " FROM enforcement_cases c WHERE 1 = 1";
    let (mut items, total) = store
        .page_of(
            &format!("SELECT COUNT(*){from}"),
            &format!("SELECT c.*{from}"),
            w,
            "c.decision_due, c.created_ms DESC, c.id",
            page,
            from_row,
        )
        .await?;
    attach_investigators(store, &mut items).await?;
    Ok((items, total))
}

/// One case the caller may see, with its 承办人 and timeline.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Case> {
    let mut q = Sql::new("SELECT c.* FROM enforcement_cases c WHERE c.id = ");
    q.bind(id);
    push_view(&mut q, ctx)?;
    let mut c = from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)?;
    attach_investigators(store, std::slice::from_mut(&mut c)).await?;
    let mut s = Sql::new(
        "SELECT step, from_state, to_state, actor_name, note, at_ms FROM enforcement_case_steps WHERE case_id = ",
    );
    s.bind(id).push(" ORDER BY at_ms, id");
    for r in store.fetch_all(s).await? {
        c.steps.push(CaseStep {
            step: r.try_get("step")?,
            from_state: r.try_get("from_state")?,
            to_state: r.try_get("to_state")?,
            actor_name: r.try_get("actor_name")?,
            note: r.try_get("note")?,
            at_ms: r.try_get("at_ms")?,
        });
    }
    Ok(c)
}

async fn attach_investigators(store: &Store, cases: &mut [Case]) -> StoreResult<()> {
    if cases.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new(
        "SELECT case_id, user_id, user_name FROM enforcement_case_investigators WHERE case_id IN ",
    );
    q.bind_list(cases.iter().map(|c| c.id.clone()));
    q.push(" ORDER BY case_id, user_name");
    let mut by: BTreeMap<String, Vec<Investigator>> = BTreeMap::new();
    for r in store.fetch_all(q).await? {
        by.entry(r.try_get("case_id")?)
            .or_default()
            .push(Investigator {
                user_id: r.try_get("user_id")?,
                name: r.try_get("user_name")?,
            });
    }
    for c in cases {
        c.investigators = by.remove(&c.id).unwrap_or_default();
    }
    Ok(())
}

/// A case to open.
pub struct NewCase<'a> {
    pub department_id: &'a str,
    pub enterprise_id: &'a str,
    pub enterprise_name: &'a str,
    pub region_code: &'a str,
    pub title: &'a str,
    pub facts: Option<&'a str>,
    pub legal_basis: Option<&'a str>,
    pub source: &'a str,
    pub source_id: Option<&'a str>,
    pub filed_day: &'a str,
    pub decision_due: &'a str,
    pub investigators: &'a [Investigator],
}

/// Opens a case (立案) with its 承办人, the first timeline row and the decision timer; the
/// audit record is the caller's (`summary`).
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    c: &NewCase<'_>,
    summary: String,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO enforcement_cases (id, department_id, enterprise_id, enterprise_name, region_code, title, facts, legal_basis, source, source_id, state, filed_day, decision_due, aggravated, criminal_transfer, paid, compulsory, overdue, created_by, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        c.department_id.into(),
        c.enterprise_id.into(),
        c.enterprise_name.into(),
        c.region_code.into(),
        c.title.into(),
        c.facts.into(),
        c.legal_basis.into(),
        c.source.into(),
        c.source_id.into(),
        CaseState::Filed.as_str().into(),
        c.filed_day.into(),
        c.decision_due.into(),
        0i64.into(),
        0i64.into(),
        0i64.into(),
        0i64.into(),
        0i64.into(),
        ctx.user_id.clone().into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    for i in c.investigators {
        let mut q = Sql::new(
            "INSERT INTO enforcement_case_investigators (case_id, user_id, user_name) VALUES ",
        );
        q.values(vec![
            id.clone().into(),
            i.user_id.clone().into(),
            i.name.clone().into(),
        ]);
        q.execute(tx).await?;
    }
    let row = StepRow {
        step: "file",
        from: None,
        to: CaseState::Filed.as_str(),
        note: c.facts,
    };
    step_row_in(tx, &id, &shown(ctx), &row, now_ms).await?;
    schedule_in(tx, now_ms, &id, Deadline::Decision, c.decision_due).await?;
    let change = Change::of("enforcement.case_file", "enforcement_case", &id, summary);
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// Who a timeline row shows: the caller by their display name.
fn shown(ctx: &Ctx) -> Actor {
    Actor {
        user_id: ctx.actor.user_id.clone(),
        name: ctx.display_name.clone(),
        ip: None,
    }
}

/// A timeline row.
pub struct StepRow<'a> {
    pub step: &'a str,
    pub from: Option<&'a str>,
    pub to: &'a str,
    pub note: Option<&'a str>,
}

async fn step_row_in(
    tx: &mut Tx,
    case_id: &str,
    actor: &Actor,
    s: &StepRow<'_>,
    now_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO enforcement_case_steps (id, case_id, step, from_state, to_state, actor_id, actor_name, note, at_ms) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        case_id.into(),
        s.step.into(),
        s.from.into(),
        s.to.into(),
        actor.user_id.clone().into(),
        actor.name.clone().into(),
        s.note.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

async fn schedule_in(
    tx: &mut Tx,
    now_ms: i64,
    case_id: &str,
    d: Deadline,
    due: &str,
) -> StoreResult<()> {
    let day: jiff::civil::Date = due
        .parse()
        .map_err(|_| StoreError::invalid("due", format!("日期“{due}”无效")))?;
    let kind = TimerKind::CaseDeadline(CaseDeadline {
        deadline: d.as_str().into(),
        due: due.into(),
    });
    timers::schedule(tx, now_ms, &kind, case_id, day_end_ms(day)).await?;
    Ok(())
}

/// Applies a checked step: the case's columns, the timeline row, the next deadline's timer and
/// the audit record.
pub async fn step_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    case: &Case,
    row: &StepRow<'_>,
    out: &StepOutcome,
    summary: String,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE enforcement_cases SET updated_ms = ");
    u.bind(now_ms);
    u.push_bind(", state = ", row.to);
    let day = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string());
    let texts: [(&str, Option<String>); 12] = [
        ("statement", out.statement.clone()),
        ("hearing", out.hearing.clone()),
        ("accident_grade", out.accident_grade.clone()),
        ("fine_reason", out.fine_reason.clone()),
        ("statement_until", day(out.statement_until)),
        ("hearing_until", day(out.hearing_until)),
        ("decided_day", day(out.decided_day)),
        ("payment_due", day(out.payment_due)),
        ("extended_until", day(out.extended_until)),
        ("extension_reason", out.extension_reason.clone()),
        ("transfer_reason", out.transfer_reason.clone()),
        ("reviewer_id", out.set_reviewer.then(|| ctx.user_id.clone())),
    ];
    for (col, v) in texts {
        if let Some(v) = v {
            u.push_bind(&format!(", {col} = "), v);
        }
    }
    if out.set_reviewer {
        u.push_bind(", reviewer_name = ", ctx.display_name.as_str());
    }
    let nums: [(&str, Option<i64>); 6] = [
        ("proposed_fine", out.proposed_fine),
        ("decided_fine", out.decided_fine),
        ("aggravated", out.aggravated.map(i64::from)),
        ("paid", out.paid.map(i64::from)),
        ("compulsory", out.compulsory.map(i64::from)),
        ("criminal_transfer", out.transfer_reason.as_ref().map(|_| 1)),
    ];
    for (col, v) in nums {
        if let Some(v) = v {
            u.push_bind(&format!(", {col} = "), v);
        }
    }
    if out.extended_until.is_some() || out.to.is_some_and(|s| !s.before_decision()) {
        // A new deadline (or the decision made) clears the decision's overdue mark.
        u.push(", overdue = 0");
    }
    u.push_bind(" WHERE id = ", case.id.as_str());
    u.execute(tx).await?;
    step_row_in(tx, &case.id, &shown(ctx), row, now_ms).await?;
    if let Some((d, due)) = out.deadline {
        schedule_in(tx, now_ms, &case.id, d, &due.to_string()).await?;
    }
    let change = Change::of(
        "enforcement.case_step",
        "enforcement_case",
        &case.id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// Who the deadline timer acts as.
pub const DEADLINE_ACTOR: &str = "办案期限定时器";

/// A case's deadline ran out (in the scheduler's transaction, which has claimed the timer):
/// nothing when the case is gone, past the step, or the deadline has moved.
pub async fn fire_deadline(
    tx: &mut Tx,
    case_id: &str,
    p: &CaseDeadline,
    now_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "SELECT title, state, department_id, decision_due, extended_until, payment_due, paid, overdue FROM enforcement_cases WHERE id = ",
    );
    q.bind(case_id);
    let Some(r) = q.fetch_optional(tx).await? else {
        return Ok(());
    };
    let state = CaseState::parse(&r.try_get::<String, _>("state")?).unwrap_or(CaseState::Closed);
    let extended: Option<String> = r.try_get("extended_until")?;
    let decision_due: String = r.try_get("decision_due")?;
    let payment_due: Option<String> = r.try_get("payment_due")?;
    let Some(kind) = Deadline::parse(&p.deadline) else {
        return Ok(());
    };
    let current = match kind {
        Deadline::Decision => state.before_decision() && extended.unwrap_or(decision_due) == p.due,
        Deadline::Payment => {
            state == CaseState::Decided
                && payment_due.as_deref() == Some(p.due.as_str())
                && r.try_get::<i64, _>("paid")? == 0
        }
    };
    if !current || r.try_get::<i64, _>("overdue")? != 0 {
        return Ok(());
    }
    let title: String = r.try_get("title")?;
    let department: String = r.try_get("department_id")?;
    let due: jiff::civil::Date = p.due.parse().unwrap_or_default();
    let note = overdue_note(kind, due);
    let mut u = Sql::new("UPDATE enforcement_cases SET overdue = 1, updated_ms = ");
    u.bind(now_ms).push_bind(" WHERE id = ", case_id);
    u.execute(tx).await?;
    let system = Actor::system(DEADLINE_ACTOR);
    let row = StepRow {
        step: "overdue",
        from: Some(state.as_str()),
        to: state.as_str(),
        note: Some(&note),
    };
    step_row_in(tx, case_id, &system, &row, now_ms).await?;
    let users = audience(tx, case_id, &department).await?;
    let message = Message {
        event: "enforcement.case_overdue".into(),
        title: format!("案件逾期：{title}"),
        body: format!("案件“{title}”{note}，请尽快办理。"),
        link: format!("/enforcement/cases?case={case_id}"),
        subject_id: case_id.to_string(),
    };
    escalation::step(tx, now_ms, escalation::Escalation::in_app(message, users)).await?;
    let summary = format!("案件“{title}”{note}");
    let change = Change::of(
        "enforcement.case_overdue",
        "enforcement_case",
        case_id,
        summary,
    );
    audit::append(tx, now_ms, &system, change).await?;
    Ok(())
}

/// The case's 承办人 and its department's staff (部门人员).
async fn audience(tx: &mut Tx, case_id: &str, department: &str) -> StoreResult<Vec<String>> {
    let mut q = Sql::new("SELECT user_id FROM enforcement_case_investigators WHERE case_id = ");
    q.bind(case_id);
    q.push_bind(
        " UNION SELECT id FROM users WHERE active = 1 AND role = 'department_staff' AND department_id = ",
        department,
    );
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<String, _>(0)?))
        .collect()
}

/// Active users of a department among `ids`: (id, name, stored role); the app decides who may
/// be a 承办人.
pub async fn department_members(
    store: &Store,
    department_id: &str,
    ids: &[String],
) -> StoreResult<Vec<(String, String, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q =
        Sql::new("SELECT id, display_name, role FROM users WHERE active = 1 AND department_id = ");
    q.bind(department_id).push(" AND id IN ");
    q.bind_list(ids.iter().cloned());
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("display_name")?,
                r.try_get("role")?,
            ))
        })
        .collect()
}
