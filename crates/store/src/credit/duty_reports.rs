//! 履职报告: the reports (one per enterprise and period; a returned one resubmitted in place),
//! their review, and the district's sweep timer that records and escalates the missing ones.
//! Written in the caller's transaction (the scheduler's for the sweep).

use crate::credit::supervisors::{self, ids};
use crate::directory::enterprises::{push_categories_on, push_scope};
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::escalation::{self, Escalation};
use crate::kernel::is_unique_violation;
use crate::kernel::timers::{self, DutyReportSweep, TimerCode, TimerKind};
use crate::kernel::todo::{TodoItem, TodoList};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::commitments::CommitmentConfig;
use yingji_core::credit::duty_reports::{self as rules, CheckedReport, Period};
use yingji_core::directory::enterprise::split_codes;
use yingji_core::kernel::notify::Message;
use yingji_core::kernel::role::Scope;

/// Who the sweep acts as.
pub const SWEEP_ACTOR: &str = "履职报告定时器";
/// The attachments' owner type.
pub const OWNER_TYPE: &str = "credit_duty_report";

#[derive(Debug, Clone, Serialize)]
pub struct DutyReport {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub period: String,
    pub due_day: String,
    pub status: String,
    pub text: String,
    pub submitted_ms: i64,
    pub late: bool,
    pub submitted_by_name: String,
    pub reviewed_ms: Option<i64>,
    pub reviewed_by_name: Option<String>,
    pub return_reason: Option<String>,
}

const COLUMNS: &str = "r.id, r.enterprise_id, e.name AS enterprise_name, r.period, r.due_day, r.status, r.text, r.submitted_ms, r.late, r.submitted_by_name, r.reviewed_ms, r.reviewed_by_name, r.return_reason";
const FROM: &str = " FROM credit_duty_reports r JOIN enterprises e ON e.id = r.enterprise_id";

fn row(r: &AnyRow) -> StoreResult<DutyReport> {
    Ok(DutyReport {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        period: r.try_get("period")?,
        due_day: r.try_get("due_day")?,
        status: r.try_get("status")?,
        text: r.try_get("text")?,
        submitted_ms: r.try_get("submitted_ms")?,
        late: r.try_get::<i64, _>("late")? != 0,
        submitted_by_name: r.try_get("submitted_by_name")?,
        reviewed_ms: r.try_get("reviewed_ms")?,
        reviewed_by_name: r.try_get("reviewed_by_name")?,
        return_reason: r.try_get("return_reason")?,
    })
}

/// The enterprise's report of a period, if any (no scope: the enterprise was checked).
pub async fn find(
    store: &Store,
    enterprise_id: &str,
    period: &str,
) -> StoreResult<Option<DutyReport>> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE r.enterprise_id = "));
    q.bind(enterprise_id).push_bind(" AND r.period = ", period);
    store.fetch_optional(q).await?.as_ref().map(row).transpose()
}

fn duplicate(period: &str) -> StoreError {
    StoreError::conflict("period", rules::already_submitted(period))
}

/// Records a report (a second for the period is 409 on `period`) with its audit record.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    enterprise: (&str, &str),
    c: &CheckedReport,
    due_day: &str,
    late: bool,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO credit_duty_reports (id, enterprise_id, period, due_day, status, text, submitted_ms, late, submitted_by, submitted_by_name) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        enterprise.0.into(),
        c.period.label.clone().into(),
        due_day.into(),
        "submitted".into(),
        c.text.clone().into(),
        now_ms.into(),
        i64::from(late).into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(tx).await.map_err(|e| match e {
        StoreError::Db(ref d) if is_unique_violation(d) => duplicate(&c.period.label),
        e => e,
    })?;
    audit_submit(tx, ctx, now_ms, &id, enterprise.1, &c.period.label).await?;
    Ok(id)
}

async fn audit_submit(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    enterprise: &str,
    period: &str,
) -> StoreResult<()> {
    let change = Change::of(
        "credit.duty_report_submit",
        "credit_duty_report",
        id,
        rules::submitted_summary(enterprise, period),
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// Resubmits a returned report in place (409 on `period` unless it is still returned).
pub async fn resubmit_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    report: &DutyReport,
    c: &CheckedReport,
    late: bool,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE credit_duty_reports SET status = 'submitted', text = ");
    q.bind(c.text.clone())
        .push_bind(", submitted_ms = ", now_ms)
        .push_bind(", late = ", i64::from(late))
        .push_bind(", submitted_by = ", ctx.user_id.clone())
        .push_bind(", submitted_by_name = ", ctx.display_name.clone())
        .push(", reviewed_ms = NULL, reviewed_by_name = NULL, return_reason = NULL")
        .push_bind(" WHERE id = ", report.id.as_str())
        .push(" AND status = 'returned'");
    if q.execute(tx).await? != 1 {
        return Err(duplicate(&report.period));
    }
    audit_submit(
        tx,
        ctx,
        now_ms,
        &report.id,
        &report.enterprise_name,
        &report.period,
    )
    .await
}

/// Accepts (`reason` None) or returns a submitted report (409 on `decision` once reviewed).
pub async fn review_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    report: &DutyReport,
    reason: Option<&str>,
) -> StoreResult<()> {
    let status = if reason.is_some() {
        "returned"
    } else {
        "accepted"
    };
    let mut q = Sql::new("UPDATE credit_duty_reports SET status = ");
    q.bind(status)
        .push_bind(", reviewed_ms = ", now_ms)
        .push_bind(", reviewed_by_name = ", ctx.display_name.clone())
        .push_bind(", return_reason = ", reason.map(str::to_string))
        .push_bind(" WHERE id = ", report.id.as_str())
        .push(" AND status = 'submitted'");
    if q.execute(tx).await? != 1 {
        return Err(StoreError::conflict("decision", rules::ALREADY_REVIEWED));
    }
    let change = Change::of(
        "credit.duty_report_review",
        "credit_duty_report",
        &report.id,
        rules::reviewed_summary(&report.enterprise_name, &report.period, reason),
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<DutyReport> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE r.id = "));
    q.bind(id);
    push_scope(&mut q, scope);
    row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// Filters of the list.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub enterprise_id: Option<&'a str>,
    pub period: Option<&'a str>,
    pub status: Option<&'a str>,
}

/// Reports the caller may see, newest first.
pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &Filter<'_>,
    page: Page,
) -> StoreResult<(Vec<DutyReport>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    if let Some(e) = f.enterprise_id {
        w.push_bind(" AND r.enterprise_id = ", e);
    }
    if let Some(p) = f.period {
        w.push_bind(" AND r.period = ", p);
    }
    if let Some(s) = f.status {
        w.push_bind(" AND r.status = ", s);
    }
    store
        .page_of(
            &format!("SELECT COUNT(*){FROM}"),
            &format!("SELECT {COLUMNS}{FROM}"),
            w,
            "r.submitted_ms DESC, r.id",
            page,
            row,
        )
        .await
}

/// 履职报告待审核: the submitted reports in the scope, newest first (the first `limit`).
pub async fn to_review(store: &Store, scope: &Scope, limit: i64) -> StoreResult<TodoList> {
    let f = Filter {
        enterprise_id: None,
        period: None,
        status: Some("submitted"),
    };
    let (rows, total) = list(store, scope, &f, Page::new(Some(1), Some(limit))).await?;
    let items = rows
        .into_iter()
        .map(|r| TodoItem {
            title: rules::todo_title(&r.period),
            place: Some(r.enterprise_name),
            status_label: rules::status_label(&r.status).into(),
            at_ms: Some(r.submitted_ms),
            due_ms: None,
            due_date: None,
            overdue: false,
            link: format!(
                "/credit/duty-reports?status=submitted&enterprise_id={}",
                r.enterprise_id
            ),
            code: None,
            id: r.id,
        })
        .collect();
    Ok(TodoList { items, total })
}

/// The enterprise's returned reports, newest first (at most `limit`).
pub async fn returned(
    store: &Store,
    enterprise_id: &str,
    limit: i64,
) -> StoreResult<Vec<DutyReport>> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS}{FROM} WHERE r.status = 'returned'"
    ));
    q.push_bind(" AND r.enterprise_id = ", enterprise_id)
        .push(" ORDER BY r.period DESC, r.id")
        .push_bind(" LIMIT ", limit);
    store.fetch_all(q).await?.iter().map(row).collect()
}

/// An enterprise flagged for a missing report.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub period: String,
    pub flagged_ms: i64,
    pub escalated_ms: Option<i64>,
}

/// The misses (still without a report) the caller may see, newest first (`f.status` unused).
pub async fn misses(
    store: &Store,
    scope: &Scope,
    f: &Filter<'_>,
    page: Page,
) -> StoreResult<(Vec<Miss>, i64)> {
    let mut w = Sql::new(
        " WHERE NOT EXISTS (SELECT 1 FROM credit_duty_reports r WHERE r.enterprise_id = m.enterprise_id AND r.period = m.period AND r.status <> 'returned')",
    );
    push_scope(&mut w, scope);
    if let Some(p) = f.period {
        w.push_bind(" AND m.period = ", p);
    }
    if let Some(e) = f.enterprise_id {
        w.push_bind(" AND m.enterprise_id = ", e);
    }
    let from = " FROM credit_duty_report_misses m JOIN enterprises e ON e.id = m.enterprise_id";
    store
        .page_of(
            &format!("SELECT COUNT(*){from}"),
            &format!("SELECT m.enterprise_id, e.name AS enterprise_name, m.period, m.flagged_ms, m.escalated_ms{from}"),
            w,
            "m.flagged_ms DESC, e.name, m.enterprise_id",
            page,
            |r| {
                Ok(Miss {
                    enterprise_id: r.try_get("enterprise_id")?,
                    enterprise_name: r.try_get("enterprise_name")?,
                    period: r.try_get("period")?,
                    flagged_ms: r.try_get("flagged_ms")?,
                    escalated_ms: r.try_get("escalated_ms")?,
                })
            },
        )
        .await
}

/// Schedules the district's next sweep (step 1 of the next period due) unless one is pending.
pub async fn ensure_sweep(
    tx: &mut Tx,
    now_ms: i64,
    district: &str,
    config: &CommitmentConfig,
) -> StoreResult<()> {
    let mut q = Sql::new("SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND subject_id = ");
    q.bind(district)
        .push_bind(" AND kind = ", TimerCode::DutyReportSweep.as_str());
    let pending: i64 = q.fetch_one(tx).await?.try_get(0)?;
    if pending > 0 {
        return Ok(());
    }
    let p = rules::next_swept(config, now_ms);
    schedule(
        tx,
        now_ms,
        district,
        &p.label,
        1,
        rules::flag_ms(config, &p),
    )
    .await
}

async fn schedule(
    tx: &mut Tx,
    now_ms: i64,
    district: &str,
    period: &str,
    step: i64,
    due_ms: i64,
) -> StoreResult<()> {
    let kind = TimerKind::DutyReportSweep(DutyReportSweep {
        period: period.to_string(),
        step,
    });
    timers::schedule(tx, now_ms, &kind, district, due_ms).await?;
    Ok(())
}

/// A sweep step (in the scheduler's transaction, which has claimed the timer).
pub async fn fire_sweep(
    tx: &mut Tx,
    district: &str,
    p: &DutyReportSweep,
    now_ms: i64,
) -> StoreResult<()> {
    let config = crate::prevention::rules::current_tx(tx, district)
        .await?
        .rules
        .credit_commitments;
    // A period of another kind (the district changed quarter ↔ year since): nothing to sweep.
    let Ok(period) = rules::parse_period(&config, &p.period) else {
        let next = rules::next_swept(&config, now_ms);
        return schedule(
            tx,
            now_ms,
            district,
            &next.label,
            1,
            rules::flag_ms(&config, &next),
        )
        .await;
    };
    if p.step == 1 {
        flag_missing(tx, district, &period, &config, now_ms).await
    } else {
        escalate_missing(tx, district, &period, now_ms).await
    }
}

/// `NOT EXISTS` a report of the period counting as submitted (a returned one does not).
fn push_no_report(q: &mut Sql, enterprise_col: &str, period: &str) {
    q.push(&format!(" AND NOT EXISTS (SELECT 1 FROM credit_duty_reports r WHERE r.enterprise_id = {enterprise_col} AND r.status <> 'returned' AND r.period = "));
    q.bind(period.to_string()).push(")");
}

/// Missing enterprises of a period in a district: (id, name, categories).
async fn missing_of(
    tx: &mut Tx,
    district: &str,
    period: &str,
    only_new_ms: Option<i64>,
) -> StoreResult<Vec<(String, String, Vec<String>)>> {
    let mut q = Sql::new(
        "SELECT e.id, e.name, e.categories FROM credit_duty_report_misses m JOIN enterprises e ON e.id = m.enterprise_id WHERE m.period = ",
    );
    q.bind(period.to_string())
        .push_bind(" AND e.district_code = ", district);
    push_no_report(&mut q, "m.enterprise_id", period);
    match only_new_ms {
        Some(ms) => q.push_bind(" AND m.flagged_ms = ", ms),
        None => q.push(" AND m.escalated_ms IS NULL"),
    };
    q.push(" ORDER BY e.name, e.id");
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("name")?,
                split_codes(&r.try_get::<String, _>("categories")?),
            ))
        })
        .collect()
}

fn message(district: &str, period: &str, title: String, body: String) -> Message {
    Message {
        event: "credit.duty_report_missed".into(),
        title,
        body,
        link: format!("/credit/duty-reports?period={period}"),
        subject_id: district.to_string(),
    }
}

/// Step 1: the misses in one set-based insert (scales to a district's 100,000 enterprises), then
/// the supervising departments' staff and the enterprises told, step 2 and the next period's
/// step 1 scheduled.
async fn flag_missing(
    tx: &mut Tx,
    district: &str,
    p: &Period,
    config: &CommitmentConfig,
    now_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO credit_duty_report_misses (enterprise_id, period, flagged_ms) SELECT e.id, ",
    );
    q.bind(p.label.clone()).push(", ").bind(now_ms);
    q.push_bind(" FROM enterprises e WHERE e.district_code = ", district);
    q.push(" AND e.status = 'operating' AND ");
    push_categories_on(&mut q, "e", &config.categories);
    push_no_report(&mut q, "e.id", &p.label);
    q.push(" AND NOT EXISTS (SELECT 1 FROM credit_duty_report_misses x WHERE x.enterprise_id = e.id AND x.period = ");
    q.bind(p.label.clone()).push(")");
    q.execute(tx).await?;
    let missing = missing_of(tx, district, &p.label, Some(now_ms)).await?;
    if !missing.is_empty() {
        notify_flagged(tx, district, p, config, now_ms, &missing).await?;
    }
    schedule(
        tx,
        now_ms,
        district,
        &p.label,
        2,
        rules::escalate_ms(config, p),
    )
    .await?;
    let next = rules::next(config, p);
    schedule(
        tx,
        now_ms,
        district,
        &next.label,
        1,
        rules::flag_ms(config, &next),
    )
    .await
}

async fn notify_flagged(
    tx: &mut Tx,
    district: &str,
    p: &Period,
    config: &CommitmentConfig,
    now_ms: i64,
    missing: &[(String, String, Vec<String>)],
) -> StoreResult<()> {
    let due = rules::due_day(config, p);
    // Each supervising department: its staff, one notice naming its enterprises.
    for (users, names) in supervisors::staff_and_names_in(tx, district, missing).await? {
        let title = rules::missed_title(&p.label, names.len());
        let m = message(district, &p.label, title, rules::missed_body(&names, due));
        escalation::step(tx, now_ms, Escalation::in_app(m, users)).await?;
    }
    // The enterprises' own users.
    let mut u = Sql::new(
        "SELECT u.id FROM users u JOIN credit_duty_report_misses m ON m.enterprise_id = u.enterprise_id WHERE u.active = 1 AND m.period = ",
    );
    u.bind(p.label.clone())
        .push_bind(" AND m.flagged_ms = ", now_ms);
    let users = ids(tx, u).await?;
    let title = format!("{} 履职报告未提交", p.label);
    let mut m = message(district, &p.label, title, rules::missed_own(&p.label, due));
    m.link = "/credit/duty-reports".into();
    escalation::step(tx, now_ms, Escalation::in_app(m, users)).await?;
    let change = Change::of(
        "credit.duty_report_missed",
        "credit_duty_report",
        district,
        rules::missed_summary(&p.label, missing.len()),
    );
    audit::append(tx, now_ms, &Actor::system(SWEEP_ACTOR), change).await?;
    Ok(())
}

/// Step 2: those still missing are escalated to the district's 局领导 (commanders) and marked.
async fn escalate_missing(tx: &mut Tx, district: &str, p: &Period, now_ms: i64) -> StoreResult<()> {
    let missing = missing_of(tx, district, &p.label, None).await?;
    if missing.is_empty() {
        return Ok(());
    }
    let mut u = Sql::new("UPDATE credit_duty_report_misses SET escalated_ms = ");
    u.bind(now_ms)
        .push_bind(" WHERE period = ", p.label.clone());
    u.push(" AND escalated_ms IS NULL AND enterprise_id IN (SELECT id FROM enterprises WHERE district_code = ");
    u.bind(district).push(")");
    push_no_report(&mut u, "credit_duty_report_misses.enterprise_id", &p.label);
    u.execute(tx).await?;
    let mut q = Sql::new(
        "SELECT id FROM users WHERE active = 1 AND role = 'commander' AND region_code LIKE ",
    );
    q.bind(format!("{district}%"));
    let users = ids(tx, q).await?;
    let names: Vec<String> = missing.iter().map(|m| m.1.clone()).collect();
    let title = rules::escalated_title(&p.label, names.len());
    let m = message(
        district,
        &p.label,
        title,
        rules::escalated_body(&names, &p.label),
    );
    escalation::step(tx, now_ms, Escalation::in_app(m, users)).await?;
    let change = Change::of(
        "credit.duty_report_escalated",
        "credit_duty_report",
        district,
        rules::escalated_summary(&p.label, missing.len()),
    );
    audit::append(tx, now_ms, &Actor::system(SWEEP_ACTOR), change).await?;
    Ok(())
}
