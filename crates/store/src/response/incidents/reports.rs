//! Reports after the first (续报, 核报), escalations and closing.

use super::{
    IncidentDetail, REPORT_KINDS, Step, casualties_of, detail, get, label, push_scope, record,
    severity_of,
};
use crate::kernel::Ctx;
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_core::kernel::validation::Errors;
use yingji_core::response::incident::{Casualties, Severity, regrade};
use yingji_core::response::reports::{
    EscalationFacts, GradeNote, already_escalated, check_escalation, check_report, close_note,
    close_text, escalation_text, heading, report_summary,
};

pub use yingji_core::response::reports::{CloseInput, EscalationInput, ReportInput, ReportItems};

#[allow(clippy::too_many_arguments)]
pub(super) async fn insert_report(
    tx: &mut Tx,
    incident_id: &str,
    kind: &str,
    at_ms: i64,
    c: &Casualties,
    before: Option<Severity>,
    after: Severity,
    within_window: bool,
    text: &str,
    author: &str,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO incident_reports (id, incident_id, kind, at_ms, casualties, severity_before, severity_after, within_window, text, author) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        incident_id.into(),
        kind.into(),
        at_ms.into(),
        serde_json::to_string(c).unwrap_or_default().into(),
        before.map(Severity::rank).into(),
        after.rank().into(),
        i64::from(within_window).into(),
        text.into(),
        author.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

/// 续报 or 补报. Inside the 补报 window a change of counts regrades a 生产安全事故 (R05, R07);
/// after it the report is kept and the grade stays (R06).
pub async fn add_report(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &ReportInput,
) -> StoreResult<IncidentDetail> {
    if !yingji_core::response::access::may_record_incidents(ctx.role) {
        return Err(StoreError::Forbidden("您的角色不能报送事件信息".into()));
    }
    let mut errs = Errors::default();
    let kind = input.kind.as_str();
    let (text, items) = check_report(&mut errs, input);
    let mut tx = store.begin().await?;
    let mut q = Sql::new("SELECT * FROM incidents i WHERE i.id = ");
    q.bind(id);
    push_scope(&mut q, &ctx.scope);
    let row = q
        .fetch_optional(&mut tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let status: String = row.try_get("status")?;
    if status != "open" {
        return Err(StoreError::conflict("status", "事件已结束，不能再续报"));
    }
    let (Some(text), true) = (text, errs.is_empty()) else {
        return Err(errs.into_invalid().into());
    };
    let before = severity_of(row.try_get("severity")?);
    let graded_by_rule = row.try_get::<i64, _>("graded_by_rule")? == 1;
    let window_end: i64 = row.try_get("window_end_ms")?;
    let old = casualties_of(&row)?;
    let c = input.casualties;
    let r = if graded_by_rule {
        regrade(before, &c, now_ms, window_end)
    } else {
        yingji_core::response::incident::Regrade {
            within_window: now_ms < window_end,
            severity: before,
            changed: false,
        }
    };
    let judged = row.try_get::<i64, _>("larger_risk_judged")? == 1;
    let larger_risk = graded_by_rule && c.is_larger_risk(judged);
    let mut u = Sql::new("UPDATE incidents SET ");
    u.push_bind("deaths = ", c.deaths)
        .push_bind(", missing = ", c.missing)
        .push_bind(", serious_injuries = ", c.serious_injuries)
        .push_bind(", minor_injuries = ", c.minor_injuries)
        .push_bind(", trapped = ", c.trapped)
        .push_bind(", at_risk = ", c.at_risk)
        .push_bind(", evacuated = ", c.evacuated)
        .push_bind(", loss_yuan = ", c.loss_yuan)
        .push_bind(", severity = ", r.severity.rank())
        .push_bind(", larger_risk = ", i64::from(larger_risk))
        .push_bind(", last_report_ms = ", now_ms)
        .push_bind(", updated_ms = ", now_ms);
    for (column, value, _) in &items {
        u.push_bind(&format!(", {column} = "), value.clone());
    }
    u.push_bind(" WHERE id = ", id);
    u.execute(&mut tx).await?;
    let kind_label = label(REPORT_KINDS, kind);
    insert_report(
        &mut tx,
        id,
        kind,
        now_ms,
        &c,
        Some(before),
        r.severity,
        r.within_window,
        &text,
        &ctx.display_name,
    )
    .await?;
    let grade = GradeNote {
        before,
        after: r.severity,
        changed: r.changed,
        kept_after_window: graded_by_rule && !r.within_window && c.grade() != before,
    };
    let summary = report_summary(&kind_label, &c.summary(), &text, &items, grade);
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
            serde_json::json!({"casualties": c, "severity": r.severity.as_str(), "kind": kind}),
        ),
    };
    record(&mut tx, ctx, now_ms, id, &heading, step).await?;
    tx.commit().await?;
    detail(store, &ctx.scope, id, now_ms).await
}

/// Records that a level above the county has the report (上报).
pub async fn escalate(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &EscalationInput,
) -> StoreResult<IncidentDetail> {
    if !yingji_core::response::access::may_command(ctx.role) {
        return Err(StoreError::Forbidden(
            "只有值班员和局领导可以登记上报".into(),
        ));
    }
    let incident = get(store, &ctx.scope, id, now_ms).await?;
    let facts = EscalationFacts {
        received_ms: incident.received_ms,
        pending_items: &incident.pending_items,
    };
    let (level, at, note) = check_escalation(input, facts, now_ms)?;
    let mut tx = store.begin().await?;
    let mut dup = Sql::new("SELECT COUNT(*) FROM incident_escalations WHERE incident_id = ");
    dup.bind(id).push_bind(" AND level = ", level.as_str());
    if dup.fetch_one(&mut tx).await?.try_get::<i64, _>(0)? > 0 {
        return Err(StoreError::conflict("level", already_escalated(level)));
    }
    let mut q = Sql::new(
        "INSERT INTO incident_escalations (incident_id, level, received_ms, note, author) VALUES ",
    );
    q.values(vec![
        id.into(),
        level.as_str().into(),
        at.into(),
        note.clone().into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(&mut tx).await?;
    let text = escalation_text(level, note.as_deref());
    let step = Step {
        action: "incident.escalate",
        kind: "escalation",
        at_ms: at,
        text: &text,
        before: None,
        after: Some(serde_json::json!({"level": level.as_str(), "received_ms": at})),
    };
    record(&mut tx, ctx, now_ms, id, &incident.heading(), step).await?;
    tx.commit().await?;
    detail(store, &ctx.scope, id, now_ms).await
}

/// 应急处置结束: the incident leaves the dashboard's countdowns; open tasks stay on record.
pub async fn close(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &CloseInput,
) -> StoreResult<IncidentDetail> {
    if !yingji_core::response::access::may_command(ctx.role) {
        return Err(StoreError::Forbidden(
            "只有值班员和局领导可以结束事件".into(),
        ));
    }
    let note = close_note(input)?;
    let before = detail(store, &ctx.scope, id, now_ms).await?;
    let incident = before.incident;
    // The bureau's own chain (not the unit's direct report to the province) must be reported,
    // or the reason why not is written down.
    let unreported: Vec<&str> = before
        .hops
        .iter()
        .filter(|h| !h.direct && h.received_ms.is_none())
        .map(|h| h.to_label)
        .collect();
    let text = close_text(input, &note, &unreported)?;
    let mut tx = store.begin().await?;
    let mut u = Sql::new("UPDATE incidents SET status = 'closed', response_level = NULL");
    u.push_bind(", closed_ms = ", now_ms)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE status = 'open' AND id = ", id);
    if u.execute(&mut tx).await? == 0 {
        return Err(StoreError::conflict("status", "事件已结束"));
    }
    let step = Step {
        action: "incident.close",
        kind: "close",
        at_ms: now_ms,
        text: &text,
        before: Some(serde_json::json!({"status": "open"})),
        after: Some(serde_json::json!({"status": "closed"})),
    };
    record(&mut tx, ctx, now_ms, id, &incident.heading(), step).await?;
    tx.commit().await?;
    detail(store, &ctx.scope, id, now_ms).await
}
