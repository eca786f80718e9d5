//! Reports after the first (续报, 核报), escalations and closing.

use super::{
    IncidentDetail, REPORT_KINDS, Step, casualties_of, detail, get, instant, label, push_scope,
    record, severity_of,
};
use crate::kernel::Ctx;
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_core::kernel::validation::{Errors, optional_text, required_text};
use yingji_core::response::incident::{Casualties, ReportLevel, Severity, regrade};

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

#[derive(Debug, Clone)]
pub struct ReportInput {
    /// followup (续报) / supplementary (补报: the counts changed)
    pub kind: String,
    /// The counts as now known (all of them).
    pub casualties: Casualties,
    pub text: String,
    /// Items of 第十二条 now verified (待核实 ones filled, others corrected); empty ones stay.
    pub items: Option<ReportItems>,
}

/// The 第十二条 items a 续报 may complete.
#[derive(Debug, Clone, Default)]
pub struct ReportItems {
    pub unit_overview: String,
    pub scene: String,
    pub measures: String,
    pub other: String,
}

/// The 第十二条 items a 续报 fills: (column, text, Chinese name) for each non-empty one.
pub(super) fn checked_items(
    errs: &mut Errors,
    items: Option<&ReportItems>,
) -> Vec<(&'static str, String, &'static str)> {
    let Some(i) = items else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (field, column, label_, value, max) in [
        (
            "items.unit_overview",
            "unit_overview",
            "事故发生单位概况",
            &i.unit_overview,
            1000,
        ),
        ("items.scene", "scene", "事故现场情况", &i.scene, 2000),
        (
            "items.measures",
            "measures",
            "已经采取的措施",
            &i.measures,
            2000,
        ),
        (
            "items.other",
            "other_info",
            "其他应当报告的情况",
            &i.other,
            2000,
        ),
    ] {
        if let Some(Some(v)) = errs.check(field, optional_text(label_, value, max)) {
            out.push((column, v, label_));
        }
    }
    out
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
    if !matches!(kind, "followup" | "supplementary") {
        errs.add("kind", "报告类型应为 续报 或 补报");
    }
    input.casualties.check(&mut errs);
    let text = errs.check("text", required_text("报告内容", &input.text, 4000));
    let items = checked_items(&mut errs, input.items.as_ref());
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
    let mut summary = format!("{kind_label}：{}。{}", c.summary(), text);
    if !items.is_empty() {
        let names: Vec<&str> = items.iter().map(|(_, _, l)| *l).collect();
        summary.push_str(&format!("（核实补充：{}）", names.join("、")));
    }
    if r.changed {
        summary.push_str(&format!(
            "（补报期内伤亡变化，等级由{}调整为{}）",
            before.label(),
            r.severity.label()
        ));
    } else if graded_by_rule && !r.within_window && c.grade() != before {
        summary.push_str(&format!("（已过补报期，等级保持{}）", before.label()));
    }
    let heading = format!(
        "{}（{}）",
        row.try_get::<String, _>("title")?,
        row.try_get::<String, _>("code")?
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

#[derive(Debug, Clone)]
pub struct EscalationInput {
    /// city / province / national
    pub level: String,
    /// When that level had the report; defaults to now.
    pub received_at: Option<String>,
    pub note: Option<String>,
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
    let mut errs = Errors::default();
    let level = errs.check("level", ReportLevel::parse(&input.level));
    let at = match input
        .received_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(raw) => instant(&mut errs, "received_at", "上报时间", raw),
        None => Some(now_ms),
    };
    let note = errs
        .check(
            "note",
            optional_text("备注", input.note.as_deref().unwrap_or(""), 500),
        )
        .flatten();
    let incident = get(store, &ctx.scope, id, now_ms).await?;
    // 第十二条: the report goes up only with every item, not 待核实.
    if !incident.pending_items.is_empty() {
        errs.add(
            "level",
            format!(
                "上报前须核实补全：{}（可在续报中补充）",
                incident.pending_items.join("、")
            ),
        );
    }
    if let Some(at) = at {
        if at < incident.received_ms {
            errs.add("received_at", "上报时间不能早于本级接报时间");
        }
        if at > now_ms + 5 * 60_000 {
            errs.add("received_at", "上报时间不能晚于当前时间");
        }
    }
    let (Some(level), Some(at), true) = (level, at, errs.is_empty()) else {
        return Err(errs.into_invalid().into());
    };
    let mut tx = store.begin().await?;
    let mut dup = Sql::new("SELECT COUNT(*) FROM incident_escalations WHERE incident_id = ");
    dup.bind(id).push_bind(" AND level = ", level.as_str());
    if dup.fetch_one(&mut tx).await?.try_get::<i64, _>(0)? > 0 {
        return Err(StoreError::conflict(
            "level",
            format!("已登记报送{}", level.label()),
        ));
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
    let text = format!(
        "已报送{}{}",
        level.label(),
        note.map(|n| format!("：{n}")).unwrap_or_default()
    );
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

#[derive(Debug, Clone)]
pub struct CloseInput {
    pub note: String,
    /// Why the incident closes with 上报 hops still unreported (required then; audited).
    pub unreported_reason: Option<String>,
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
    let note =
        required_text("结束说明", &input.note, 2000).map_err(|m| StoreError::invalid("note", m))?;
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
    let reason = optional_text(
        "未上报原因",
        input.unreported_reason.as_deref().unwrap_or(""),
        500,
    )
    .map_err(|m| StoreError::invalid("unreported_reason", m))?;
    let text = match (&unreported[..], reason) {
        ([], _) => format!("应急处置结束：{note}"),
        (hops, None) => {
            return Err(StoreError::invalid(
                "unreported_reason",
                format!("尚未报送{}，请说明未上报的原因后再结束", hops.join("、")),
            ));
        }
        (hops, Some(r)) => format!(
            "应急处置结束：{note}（未报送{}，原因：{r}）",
            hops.join("、")
        ),
    };
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
