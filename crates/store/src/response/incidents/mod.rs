//! 突发事件接报: intake with grading (yingji-core::incident), 续报/补报 with regrading inside the
//! window, 上报 to the levels above, closing, and the timeline every step writes to.

mod create;
pub use create::{CheckedIncident, IncidentInput, check_create, create_in};
mod reports;
pub use reports::{
    CloseInput, EscalationInput, ReportInput, ReportItems, add_report_in, close_in, escalate_in,
};
use reports::{NewReport, insert_report};
use yingji_core::response::reports::{REPORT_KINDS, next_deadline, status_label};

use crate::directory::enterprises::push_region_on;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::role::Scope;
use yingji_core::response::incident::{
    Casualties, Hop, REPORT_CHANNELS, ReportLevel, Severity, followups_per_day,
    must_report_state_council, next_followup_due_ms, pending_items, reporting_hops, subtype,
    warning_colour,
};

#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub id: String,
    pub code: String,
    pub title: String,
    pub category: String,
    pub category_label: String,
    pub subtype: String,
    pub subtype_label: String,
    pub work_safety: bool,
    pub occurred_ms: i64,
    pub received_ms: i64,
    pub unit_learned_ms: i64,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub region_code: String,
    pub location: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub casualties: Casualties,
    pub casualties_summary: String,
    /// general / larger / major / extra_major
    pub severity: String,
    pub severity_label: String,
    pub graded_by_rule: bool,
    /// 较大涉险事故.
    pub larger_risk: bool,
    pub warning_level: Option<i64>,
    pub warning_colour: Option<String>,
    pub unit_overview: Option<String>,
    pub scene: Option<String>,
    pub account: String,
    pub measures: Option<String>,
    pub other: Option<String>,
    /// The 第十二条 items still 待核实: required before the report goes up.
    pub pending_items: Vec<String>,
    /// Who reported it to the duty room, their phone and the channel (值班电话, 企业报告 …).
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub report_channel: Option<String>,
    pub report_channel_label: Option<String>,
    /// 1 (Ⅰ级) … 4 while a plan's response is on.
    pub response_level: Option<i64>,
    pub response_label: Option<String>,
    /// open / closed
    pub status: String,
    pub status_label: String,
    pub last_report_ms: i64,
    /// When the next 续报 is due (open incidents).
    pub next_followup_ms: Option<i64>,
    /// 补报 window end (第十三条).
    pub window_end_ms: i64,
    /// The earliest unmet deadline: a 上报 hop or the next 续报.
    pub next_deadline_ms: Option<i64>,
    pub next_deadline_label: Option<String>,
    /// Some deadline has passed unmet (or was met late).
    pub overdue: bool,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub closed_ms: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportRow {
    pub id: String,
    /// initial (初报) / followup (续报) / supplementary (补报)
    pub kind: String,
    pub kind_label: String,
    pub at_ms: i64,
    pub casualties: Casualties,
    pub severity_before: Option<String>,
    pub severity_after: String,
    pub within_window: bool,
    pub text: String,
    pub author: String,
    /// The report's photos and documents.
    pub attachments: Vec<crate::kernel::attachments::Attachment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    pub at_ms: i64,
    pub kind: String,
    pub text: String,
    pub actor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentDetail {
    #[serde(flatten)]
    pub incident: Incident,
    /// 上报 chain with per-hop deadlines (生产安全事故 only).
    pub hops: Vec<Hop>,
    pub must_report_state_council: bool,
    pub followups_per_day: i64,
    pub reports: Vec<ReportRow>,
    pub timeline: Vec<TimelineRow>,
}

fn label(list: &[(&str, &'static str)], code: &str) -> String {
    yingji_core::kernel::label_of(list, code)
        .unwrap_or("")
        .to_string()
}

fn casualties_of(r: &AnyRow) -> StoreResult<Casualties> {
    Ok(Casualties {
        deaths: r.try_get("deaths")?,
        missing: r.try_get("missing")?,
        serious_injuries: r.try_get("serious_injuries")?,
        minor_injuries: r.try_get("minor_injuries")?,
        trapped: r.try_get("trapped")?,
        at_risk: r.try_get("at_risk")?,
        evacuated: r.try_get("evacuated")?,
        loss_yuan: r.try_get("loss_yuan")?,
    })
}

fn severity_of(rank: i64) -> Severity {
    Severity::from_rank(rank).unwrap_or(Severity::General)
}

/// The levels above the county that have the report, from the SELECT's subqueries.
fn escalated(r: &AnyRow) -> StoreResult<Vec<(String, i64)>> {
    let mut out = Vec::new();
    for level in ReportLevel::ABOVE_COUNTY {
        if let Some(t) = r.try_get::<Option<i64>, _>(format!("{}_ms", level.as_str()).as_str())? {
            out.push((level.as_str().to_string(), t));
        }
    }
    Ok(out)
}

fn from_row(r: &AnyRow, now_ms: i64) -> StoreResult<Incident> {
    let category: String = r.try_get("category")?;
    let sub: String = r.try_get("subtype")?;
    let st = subtype(&sub);
    let severity = severity_of(r.try_get("severity")?);
    let status: String = r.try_get("status")?;
    let open = status == "open";
    let warning_level: Option<i64> = r.try_get("warning_level")?;
    let response_level: Option<i64> = r.try_get("response_level")?;
    let casualties = casualties_of(r)?;
    let work_safety = st.is_some_and(|s| s.work_safety);
    let d = deadlines_of(r, severity, open, work_safety, now_ms)?;
    let report_channel: Option<String> = r.try_get("report_channel")?;
    Ok(Incident {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        title: r.try_get("title")?,
        category_label: yingji_core::response::incident::Category::parse(&category)
            .map(|c| c.label())
            .unwrap_or("")
            .into(),
        category,
        subtype_label: st.map(|s| s.label).unwrap_or("").into(),
        subtype: sub,
        work_safety,
        occurred_ms: r.try_get("occurred_ms")?,
        received_ms: d.received_ms,
        unit_learned_ms: d.unit_learned_ms,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        region_code: r.try_get("region_code")?,
        location: r.try_get("location")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        casualties_summary: casualties.summary(),
        casualties,
        severity: severity.as_str().into(),
        severity_label: severity.label().into(),
        graded_by_rule: r.try_get::<i64, _>("graded_by_rule")? == 1,
        larger_risk: r.try_get::<i64, _>("larger_risk")? == 1,
        warning_colour: warning_level.and_then(warning_colour).map(Into::into),
        warning_level,
        unit_overview: r.try_get("unit_overview")?,
        scene: r.try_get("scene")?,
        account: r.try_get("account")?,
        measures: r.try_get("measures")?,
        other: r.try_get("other_info")?,
        pending_items: pending_of(r, work_safety)?,
        reporter_name: r.try_get("reporter_name")?,
        reporter_phone: crate::kernel::keys::open_opt(r.try_get("reporter_phone")?),
        report_channel_label: report_channel.as_deref().map(|c| label(REPORT_CHANNELS, c)),
        report_channel,
        response_label: response_level
            .map(|l| yingji_core::response::plan::response_label(l).into()),
        response_level,
        status_label: status_label(open).into(),
        status,
        last_report_ms: d.last_report_ms,
        next_followup_ms: d.next_followup_ms,
        window_end_ms: r.try_get("window_end_ms")?,
        next_deadline_ms: d.next_deadline_ms,
        next_deadline_label: d.next_deadline_label,
        overdue: d.overdue,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
        closed_ms: r.try_get("closed_ms")?,
    })
}

/// An incident's clocks as a row gives them, and the deadlines they lead to.
struct Deadlines {
    received_ms: i64,
    unit_learned_ms: i64,
    last_report_ms: i64,
    next_followup_ms: Option<i64>,
    next_deadline_ms: Option<i64>,
    next_deadline_label: Option<String>,
    overdue: bool,
}

/// The next 续报 and the earliest unmet deadline of an open incident (the 上报 hops of a
/// 生产安全事故 or the 续报), and whether one has passed.
fn deadlines_of(
    r: &AnyRow,
    severity: Severity,
    open: bool,
    work_safety: bool,
    now_ms: i64,
) -> StoreResult<Deadlines> {
    let received_ms: i64 = r.try_get("received_ms")?;
    let unit_learned_ms: i64 = r.try_get("unit_learned_ms")?;
    let last_report_ms: i64 = r.try_get("last_report_ms")?;
    let next_followup_ms = open.then(|| next_followup_due_ms(severity, last_report_ms));
    let hops = if work_safety {
        hops_for(
            severity,
            unit_learned_ms,
            received_ms,
            &escalated(r)?,
            now_ms,
        )
    } else {
        Vec::new()
    };
    let (next_deadline_ms, next_deadline_label) = if open {
        next_deadline(&hops, next_followup_ms)
    } else {
        (None, None)
    };
    let overdue = open
        && (hops.iter().any(|h| h.overdue && h.received_ms.is_none())
            || next_followup_ms.is_some_and(|d| now_ms > d));
    Ok(Deadlines {
        received_ms,
        unit_learned_ms,
        last_report_ms,
        next_followup_ms,
        next_deadline_ms,
        next_deadline_label,
        overdue,
    })
}

/// The 第十二条 items of a 生产安全事故 still 待核实.
fn pending_of(r: &AnyRow, work_safety: bool) -> StoreResult<Vec<String>> {
    let item = |column: &str| r.try_get::<Option<String>, _>(column);
    Ok(pending_items(
        work_safety,
        item("unit_overview")?.as_deref(),
        item("scene")?.as_deref(),
        item("measures")?.as_deref(),
        item("other_info")?.as_deref(),
    )
    .into_iter()
    .map(str::to_string)
    .collect())
}

fn hops_for(
    severity: Severity,
    unit_learned_ms: i64,
    county_received_ms: i64,
    escalated: &[(String, i64)],
    now_ms: i64,
) -> Vec<Hop> {
    reporting_hops(
        severity,
        unit_learned_ms,
        &|level| match level {
            ReportLevel::Unit => Some(unit_learned_ms),
            ReportLevel::County => Some(county_received_ms),
            other => escalated
                .iter()
                .find(|(l, _)| l == other.as_str())
                .map(|(_, t)| *t),
        },
        now_ms,
    )
}

const SELECT: &str = "SELECT i.*, en.name AS enterprise_name, \
    (SELECT received_ms FROM incident_escalations x WHERE x.incident_id = i.id AND x.level = 'city') AS city_ms, \
    (SELECT received_ms FROM incident_escalations x WHERE x.incident_id = i.id AND x.level = 'province') AS province_ms, \
    (SELECT received_ms FROM incident_escalations x WHERE x.incident_id = i.id AND x.level = 'national') AS national_ms \
    FROM incidents i LEFT JOIN enterprises en ON en.id = i.enterprise_id WHERE 1 = 1";

/// Incidents are everyone's business in a region: department staff see the region's incidents
/// (their departments get tasks in the response), enterprises their own.
pub(crate) fn push_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            push_region_on(sql, "i", prefix)
        }
        // 保险机构人员 see only their policyholders' 安责险 records (credit::insurance).
        Scope::Insurer { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::Enterprise { enterprise_id } => {
            sql.push_bind(" AND i.enterprise_id = ", enterprise_id);
        }
    }
}

impl Incident {
    /// "title（code）", how audit summaries name the incident.
    pub fn heading(&self) -> String {
        format!("{}（{}）", self.title, self.code)
    }
}

pub async fn get(store: &Store, scope: &Scope, id: &str, now_ms: i64) -> StoreResult<Incident> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND i.id = ", id);
    push_scope(&mut q, scope);
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    from_row(&row, now_ms)
}

pub async fn detail(
    store: &Store,
    scope: &Scope,
    id: &str,
    now_ms: i64,
) -> StoreResult<IncidentDetail> {
    let incident = get(store, scope, id, now_ms).await?;
    let severity = Severity::parse(&incident.severity).unwrap_or(Severity::General);
    let mut q =
        Sql::new("SELECT level, received_ms FROM incident_escalations WHERE incident_id = ");
    q.bind(id);
    let esc: Vec<(String, i64)> = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<StoreResult<_>>()?;
    let hops = if incident.work_safety {
        hops_for(
            severity,
            incident.unit_learned_ms,
            incident.received_ms,
            &esc,
            now_ms,
        )
    } else {
        Vec::new()
    };
    let mut q = Sql::new("SELECT * FROM incident_reports WHERE incident_id = ");
    q.bind(id).push(" ORDER BY at_ms, id");
    let files = crate::kernel::attachments::list_for(store, id).await?;
    let reports = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            let before: Option<i64> = r.try_get("severity_before")?;
            Ok(ReportRow {
                id: r.try_get("id")?,
                kind_label: label(REPORT_KINDS, &kind),
                kind,
                at_ms: r.try_get("at_ms")?,
                casualties: serde_json::from_str(&r.try_get::<String, _>("casualties")?)
                    .unwrap_or_default(),
                severity_before: before.map(|b| severity_of(b).label().into()),
                severity_after: severity_of(r.try_get("severity_after")?).label().into(),
                within_window: r.try_get::<i64, _>("within_window")? == 1,
                text: r.try_get("text")?,
                author: r.try_get("author")?,
                attachments: yingji_core::directory::enterprise::split_codes(
                    &r.try_get::<String, _>("attachments")?,
                )
                .iter()
                .filter_map(|a| files.iter().find(|f| &f.id == a).cloned())
                .collect(),
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok(IncidentDetail {
        must_report_state_council: incident.work_safety && must_report_state_council(severity),
        followups_per_day: followups_per_day(severity),
        timeline: timeline(store, id).await?,
        hops,
        reports,
        incident,
    })
}

pub async fn timeline(store: &Store, id: &str) -> StoreResult<Vec<TimelineRow>> {
    let mut q =
        Sql::new("SELECT at_ms, kind, text, actor FROM incident_timeline WHERE incident_id = ");
    q.bind(id).push(" ORDER BY at_ms, id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(TimelineRow {
                at_ms: r.try_get(0)?,
                kind: r.try_get(1)?,
                text: r.try_get(2)?,
                actor: r.try_get(3)?,
            })
        })
        .collect()
}

/// One step of an incident: its timeline row (at `at_ms`) and its audit record.
pub(crate) struct Step<'a> {
    pub action: &'static str,
    pub kind: &'a str,
    pub at_ms: i64,
    pub text: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Writes a step to the timeline and the audit log in the caller's transaction; `heading` names
/// the incident in the audit summary ("title（code）").
pub(crate) async fn record(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    heading: &str,
    step: Step<'_>,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO incident_timeline (id, incident_id, at_ms, kind, text, actor) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        incident_id.into(),
        step.at_ms.into(),
        step.kind.into(),
        step.text.into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(tx).await?;
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            action: step.action,
            entity_type: "incident",
            entity_id: Some(incident_id),
            summary: format!("{heading}{}", step.text),
            before: step.before,
            after: step.after,
        },
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct IncidentFilter {
    /// open / closed
    pub status: Option<String>,
    pub category: Option<String>,
    pub severity: Option<Severity>,
    pub region: Option<String>,
    /// YYYY-MM of occurrence.
    pub month: Option<String>,
    /// Received by this bureau in [from, to) (epoch ms).
    pub received_between: Option<(i64, i64)>,
    pub q: Option<String>,
}

/// Newest first within the caller's scope.
pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &IncidentFilter,
    page: Page,
    now_ms: i64,
) -> StoreResult<(Vec<Incident>, i64)> {
    let mut w = Sql::new("");
    push_scope(&mut w, scope);
    if let Some(s) = &f.status {
        w.push_bind(" AND i.status = ", s.as_str());
    }
    if let Some(c) = &f.category {
        w.push_bind(" AND i.category = ", c.as_str());
    }
    if let Some(s) = f.severity {
        w.push_bind(" AND i.severity = ", s.rank());
    }
    if let Some(r) = &f.region {
        push_region_on(&mut w, "i", r);
    }
    if let Some(m) = &f.month {
        w.push_bind(" AND i.occurred_month = ", m.as_str());
    }
    if let Some((from, to)) = f.received_between {
        w.push_bind(" AND i.received_ms >= ", from)
            .push_bind(" AND i.received_ms < ", to);
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let like = crate::db::like_contains(q.trim());
        w.push_bind(" AND (i.code = ", q.trim())
            .push_bind(" OR i.title LIKE ", like)
            .push(" ESCAPE '\\')");
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM incidents i WHERE 1 = 1",
            SELECT,
            w,
            "i.occurred_ms DESC, i.id DESC",
            page,
            |r| from_row(r, now_ms),
        )
        .await
}
