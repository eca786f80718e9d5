//! Reports after the first (续报, 补报), escalations (上报) and closing, each written inside the
//! caller's transaction.

use super::{Incident, REPORT_KINDS, Step, casualties_of, label, push_scope, record, severity_of};
use crate::kernel::{Ctx, attachments};
use crate::{Sql, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::response::incident::{Casualties, Severity};
use yingji_core::response::reports::{
    ALREADY_CLOSED, CheckedEscalation, CheckedReport, CurrentGrade, REPORT_AFTER_CLOSE,
    ReportGrade, already_escalated, escalation_text, heading, report_grade, report_summary,
};

pub use yingji_core::response::reports::{CloseInput, EscalationInput, ReportInput, ReportItems};

/// One report on an incident (初报, 续报, 补报) as its row records it.
pub(super) struct NewReport<'a> {
    pub incident_id: &'a str,
    /// initial / followup / supplementary
    pub kind: &'a str,
    pub at_ms: i64,
    pub casualties: &'a Casualties,
    pub before: Option<Severity>,
    pub after: Severity,
    pub within_window: bool,
    pub text: &'a str,
    pub author: &'a str,
    /// Photos of the report, already linked to the incident.
    pub attachments: &'a [String],
}

pub(super) async fn insert_report(tx: &mut Tx, r: &NewReport<'_>) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO incident_reports (id, incident_id, kind, at_ms, casualties, severity_before, severity_after, within_window, text, author, attachments) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        r.incident_id.into(),
        r.kind.into(),
        r.at_ms.into(),
        serde_json::to_string(r.casualties)
            .unwrap_or_default()
            .into(),
        r.before.map(Severity::rank).into(),
        r.after.rank().into(),
        i64::from(r.within_window).into(),
        r.text.into(),
        r.author.into(),
        yingji_core::directory::enterprise::join_codes(r.attachments).into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

/// 续报 or 补报 of an open incident the caller sees, inside the caller's transaction: the
/// incident as it reads there is regraded inside the 补报 window (R05, R07) or keeps its grade
/// after it (R06); the counts and the verified items are written, the report row and the
/// timeline step added.
pub async fn add_report_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    r: &CheckedReport,
) -> StoreResult<()> {
    let row = open_row_in(tx, ctx, id).await?;
    let before = severity_of(row.try_get("severity")?);
    let current = CurrentGrade {
        severity: before,
        graded_by_rule: row.try_get::<i64, _>("graded_by_rule")? == 1,
        larger_risk_judged: row.try_get::<i64, _>("larger_risk_judged")? == 1,
        window_end_ms: row.try_get("window_end_ms")?,
    };
    let old = casualties_of(&row)?;
    let c = r.casualties;
    let g = report_grade(current, &c, now_ms);
    update_counts(tx, now_ms, id, r, &g).await?;
    let by = Some(ctx.user_id.as_str());
    attachments::link(tx, &r.attachments, "incident", id, by, "attachments").await?;
    let kind = r.kind.as_str();
    let report = NewReport {
        incident_id: id,
        kind,
        at_ms: now_ms,
        casualties: &c,
        before: Some(before),
        after: g.severity,
        within_window: g.within_window,
        text: &r.text,
        author: &ctx.display_name,
        attachments: &r.attachments,
    };
    insert_report(tx, &report).await?;
    let kind_label = label(REPORT_KINDS, kind);
    let summary = report_summary(&kind_label, &c.summary(), &r.text, &r.items, g.note);
    let heading = heading(
        &row.try_get::<String, _>("title")?,
        &row.try_get::<String, _>("code")?,
    );
    let step = Step {
        action: "incident.report",
        kind,
        at_ms: now_ms,
        text: &summary,
        before: Some(serde_json::json!({"casualties": old, "severity": before.as_str()})),
        after: Some(
            serde_json::json!({"casualties": c, "severity": g.severity.as_str(), "kind": kind}),
        ),
    };
    record(tx, ctx, now_ms, id, &heading, step).await
}

/// The incident's row as the transaction reads it: one the caller sees, still open.
async fn open_row_in(tx: &mut Tx, ctx: &Ctx, id: &str) -> StoreResult<AnyRow> {
    let mut q = Sql::new("SELECT * FROM incidents i WHERE i.id = ");
    q.bind(id);
    push_scope(&mut q, &ctx.scope);
    let row = q.fetch_optional(tx).await?.ok_or(StoreError::NotFound)?;
    if row.try_get::<String, _>("status")? != "open" {
        return Err(StoreError::conflict("status", REPORT_AFTER_CLOSE));
    }
    Ok(row)
}

/// The counts as now known, the grade they leave and the 第十二条 items verified.
async fn update_counts(
    tx: &mut Tx,
    now_ms: i64,
    id: &str,
    r: &CheckedReport,
    g: &ReportGrade,
) -> StoreResult<()> {
    let c = &r.casualties;
    let mut u = Sql::new("UPDATE incidents SET ");
    u.push_bind("deaths = ", c.deaths)
        .push_bind(", missing = ", c.missing)
        .push_bind(", serious_injuries = ", c.serious_injuries)
        .push_bind(", minor_injuries = ", c.minor_injuries)
        .push_bind(", trapped = ", c.trapped)
        .push_bind(", at_risk = ", c.at_risk)
        .push_bind(", evacuated = ", c.evacuated)
        .push_bind(", loss_yuan = ", c.loss_yuan)
        .push_bind(", severity = ", g.severity.rank())
        .push_bind(", larger_risk = ", i64::from(g.larger_risk))
        .push_bind(", last_report_ms = ", now_ms)
        .push_bind(", updated_ms = ", now_ms);
    for (column, value, _) in &r.items {
        u.push_bind(&format!(", {column} = "), value.clone());
    }
    u.push_bind(" WHERE id = ", id);
    u.execute(tx).await?;
    Ok(())
}

/// 上报: records, inside the caller's transaction, that a level above the county has the
/// report of `incident` (each level once), with its timeline step.
pub async fn escalate_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    incident: &Incident,
    checked: &CheckedEscalation,
) -> StoreResult<()> {
    let (level, at, note) = checked;
    let id = incident.id.as_str();
    let mut dup = Sql::new("SELECT COUNT(*) FROM incident_escalations WHERE incident_id = ");
    dup.bind(id).push_bind(" AND level = ", level.as_str());
    if dup.fetch_one(tx).await?.try_get::<i64, _>(0)? > 0 {
        return Err(StoreError::conflict("level", already_escalated(*level)));
    }
    let mut q = Sql::new(
        "INSERT INTO incident_escalations (incident_id, level, received_ms, note, author) VALUES ",
    );
    q.values(vec![
        id.into(),
        level.as_str().into(),
        (*at).into(),
        note.clone().into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(tx).await?;
    let text = escalation_text(*level, note.as_deref());
    let step = Step {
        action: "incident.escalate",
        kind: "escalation",
        at_ms: *at,
        text: &text,
        before: None,
        after: Some(serde_json::json!({"level": level.as_str(), "received_ms": at})),
    };
    record(tx, ctx, now_ms, id, &incident.heading(), step).await
}

/// 应急处置结束, inside the caller's transaction: the open incident is closed (its response
/// level cleared) with the timeline step `text`; open tasks stay on record.
pub async fn close_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    incident: &Incident,
    text: &str,
) -> StoreResult<()> {
    let id = incident.id.as_str();
    let mut u = Sql::new("UPDATE incidents SET status = 'closed', response_level = NULL");
    u.push_bind(", closed_ms = ", now_ms)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE status = 'open' AND id = ", id);
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict("status", ALREADY_CLOSED));
    }
    let step = Step {
        action: "incident.close",
        kind: "close",
        at_ms: now_ms,
        text,
        before: Some(serde_json::json!({"status": "open"})),
        after: Some(serde_json::json!({"status": "closed"})),
    };
    record(tx, ctx, now_ms, id, &incident.heading(), step).await
}
