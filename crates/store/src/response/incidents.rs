//! 突发事件接报: intake with grading (yingji-core::incident), 续报/补报 with regrading inside the
//! window, 上报 to the levels above, closing, and the timeline every step writes to.

use crate::directory::enterprises::push_region_on;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::prevention::risk_points::region_columns;
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::clock::parse_instant;
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::kernel::validation::{Errors, optional_text, required_text};
use yingji_core::response::incident::{
    Casualties, Hop, IntakeFacts, REPORT_CHANNELS, ReportLevel, ReportTexts, Severity,
    check_intake, check_reporter, followups_per_day, must_report_state_council,
    next_followup_due_ms, pending_items, regrade, reporting_hops, subtype, warning_colour,
};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentInput {
    pub title: String,
    /// natural / accident / public_health / social_security
    pub category: String,
    /// See GET /api/v1/incidents/meta.
    pub subtype: String,
    /// RFC 3339 (to the minute): 发生时间.
    pub occurred_at: String,
    /// 本级接报时间; defaults to now.
    #[serde(default)]
    pub received_at: Option<String>,
    /// 单位负责人接到报告的时间 (第九条); defaults to the occurrence.
    #[serde(default)]
    pub unit_learned_at: Option<String>,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    /// Street, community or grid of an incident without an enterprise.
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub casualties: Casualties,
    #[serde(flatten)]
    pub texts: ReportTexts,
    /// A preceding warning's level 1 (红) – 4 (蓝).
    #[serde(default)]
    pub warning_level: Option<i64>,
    /// The officer's grade for incidents 493号令 does not grade (一般/较大/重大/特别重大).
    #[serde(default)]
    pub assessed_severity: Option<String>,
    /// 较大涉险 by judgement (严重污染, 危及重要场所 …) besides the counts.
    #[serde(default)]
    pub larger_risk_judged: bool,
    /// 报告人 and their phone, and how it reached the duty room (see meta: report_channels).
    #[serde(default)]
    pub reporter_name: Option<String>,
    #[serde(default)]
    pub reporter_phone: Option<String>,
    #[serde(default)]
    pub report_channel: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimelineRow {
    pub at_ms: i64,
    pub kind: String,
    pub text: String,
    pub actor: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

const REPORT_KINDS: &[(&str, &str)] = &[
    ("initial", "初报"),
    ("followup", "续报"),
    ("supplementary", "补报"),
];

fn label(list: &[(&str, &'static str)], code: &str) -> String {
    yingji_core::prevention::hazard::label_of(list, code)
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
    let escalated = &escalated(r)?;
    let category: String = r.try_get("category")?;
    let sub: String = r.try_get("subtype")?;
    let st = subtype(&sub);
    let severity = severity_of(r.try_get("severity")?);
    let status: String = r.try_get("status")?;
    let open = status == "open";
    let warning_level: Option<i64> = r.try_get("warning_level")?;
    let response_level: Option<i64> = r.try_get("response_level")?;
    let last_report_ms: i64 = r.try_get("last_report_ms")?;
    let received_ms: i64 = r.try_get("received_ms")?;
    let unit_learned_ms: i64 = r.try_get("unit_learned_ms")?;
    let casualties = casualties_of(r)?;
    let work_safety = st.is_some_and(|s| s.work_safety);
    let next_followup_ms = open.then(|| next_followup_due_ms(severity, last_report_ms));
    let hops = if work_safety {
        hops_for(severity, unit_learned_ms, received_ms, escalated, now_ms)
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
        received_ms,
        unit_learned_ms,
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
        pending_items: pending_items(
            work_safety,
            r.try_get::<Option<String>, _>("unit_overview")?.as_deref(),
            r.try_get::<Option<String>, _>("scene")?.as_deref(),
            r.try_get::<Option<String>, _>("measures")?.as_deref(),
            r.try_get::<Option<String>, _>("other_info")?.as_deref(),
        )
        .into_iter()
        .map(str::to_string)
        .collect(),
        reporter_name: r.try_get("reporter_name")?,
        reporter_phone: r.try_get("reporter_phone")?,
        report_channel_label: r
            .try_get::<Option<String>, _>("report_channel")?
            .map(|c| label(REPORT_CHANNELS, &c)),
        report_channel: r.try_get("report_channel")?,
        response_label: response_level
            .map(|l| yingji_core::response::plan::response_label(l).into()),
        response_level,
        status_label: if open { "处置中" } else { "已结束" }.into(),
        status,
        last_report_ms,
        next_followup_ms,
        window_end_ms: r.try_get("window_end_ms")?,
        next_deadline_ms,
        next_deadline_label,
        overdue,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
        closed_ms: r.try_get("closed_ms")?,
    })
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

/// The earliest deadline still to be met: an unmet hop whose sender has the report, or the 续报.
fn next_deadline(hops: &[Hop], followup: Option<i64>) -> (Option<i64>, Option<String>) {
    hops.iter()
        .filter(|h| h.received_ms.is_none())
        .filter_map(|h| {
            // The unit's own direct report is the unit's deadline, not the bureau's hop.
            let who = if h.direct {
                "事故单位直报"
            } else {
                "报送"
            };
            h.due_ms.map(|d| (d, format!("{who}{}", h.to_label)))
        })
        .chain(followup.map(|d| (d, "续报".to_string())))
        .min_by_key(|(d, _)| *d)
        .map_or((None, None), |(d, l)| (Some(d), Some(l)))
}

const SELECT: &str = "SELECT i.*, en.name AS enterprise_name, \
    (SELECT received_ms FROM incident_escalations x WHERE x.incident_id = i.id AND x.level = 'city') AS city_ms, \
    (SELECT received_ms FROM incident_escalations x WHERE x.incident_id = i.id AND x.level = 'province') AS province_ms, \
    (SELECT received_ms FROM incident_escalations x WHERE x.incident_id = i.id AND x.level = 'national') AS national_ms \
    FROM incidents i LEFT JOIN enterprises en ON en.id = i.enterprise_id WHERE 1 = 1";

/// Incidents are everyone's business in a region: department staff see the region's incidents
/// (their departments get tasks in the response), enterprises their own.
fn push_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            push_region_on(sql, "i", prefix)
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

fn may_record(role: Role) -> bool {
    !matches!(role, Role::Expert)
}

fn may_command(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DutyOfficer)
}

fn instant(errs: &mut Errors, field: &str, label: &str, raw: &str) -> Option<i64> {
    errs.check(
        field,
        parse_instant(raw).map_err(|e| format!("{label}：{e}")),
    )
}

/// 接报: checks, grades and stores an incident with its 初报, in one transaction.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &IncidentInput,
) -> StoreResult<IncidentDetail> {
    if !may_record(ctx.role) {
        return Err(StoreError::Forbidden("您的角色不能登记突发事件".into()));
    }
    let mut errs = Errors::default();
    let occurred = instant(&mut errs, "occurred_at", "发生时间", &input.occurred_at);
    let received = match input
        .received_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(raw) => instant(&mut errs, "received_at", "接报时间", raw),
        None => Some(now_ms),
    };
    let learned = match input
        .unit_learned_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(raw) => instant(&mut errs, "unit_learned_at", "单位负责人接报时间", raw).map(Some),
        None => Some(None),
    };
    crate::prevention::hazards::coords(&mut errs, input.lon, input.lat);
    let enterprise_id = ctx
        .scope
        .owning_enterprise(input.enterprise_id.as_deref())
        .map_err(|m| StoreError::invalid("enterprise_id", m))?;
    let (region_code, categories) = match &enterprise_id {
        Some(eid) => {
            let e = crate::directory::enterprises::get_referenced(store, &ctx.scope, eid).await?;
            (
                e.grid_code,
                yingji_core::directory::enterprise::join_codes(&e.categories),
            )
        }
        None => {
            let code = input.region_code.clone().unwrap_or_default();
            if code.len() < 9
                || crate::directory::regions::get(store, &Scope::All, &code)
                    .await
                    .is_err()
            {
                errs.add("region_code", "请选择事件所在的街道、社区或网格");
            } else if !ctx.scope.covers_region(&code) {
                return Err(StoreError::Forbidden("该区域不在您的管辖范围内".into()));
            }
            (code, String::new())
        }
    };
    let (Some(occurred_ms), Some(received_ms), Some(unit_learned_ms)) =
        (occurred, received, learned)
    else {
        return Err(errs.into_invalid().into());
    };
    let (reporter_name, reporter_phone, report_channel) = check_reporter(
        &mut errs,
        input.reporter_name.as_deref(),
        input.reporter_phone.as_deref(),
        input.report_channel.as_deref(),
    );
    let checked = check_intake(
        &IntakeFacts {
            title: &input.title,
            category: &input.category,
            subtype: &input.subtype,
            occurred_ms,
            received_ms,
            unit_learned_ms,
            casualties: input.casualties,
            texts: &input.texts,
            warning_level: input.warning_level,
            assessed: input.assessed_severity.as_deref(),
        },
        now_ms,
    );
    let checked = match checked {
        Ok(c) if errs.is_empty() => c,
        Ok(_) => return Err(errs.into_invalid().into()),
        Err(invalid) => {
            for f in invalid.0 {
                errs.add(&f.field, f.message);
            }
            return Err(errs.into_invalid().into());
        }
    };
    let larger_risk =
        checked.subtype.work_safety && input.casualties.is_larger_risk(input.larger_risk_judged);
    // The district's rules in force say how the 补报 window's days are counted.
    let config = crate::prevention::rules::current(store, &region_code)
        .await?
        .rules
        .incident;
    let window_end_ms = config.window_end_ms(checked.subtype, occurred_ms);
    let id = new_id();
    let [d, s, cm, g] = region_columns(&region_code);
    let mut tx = store.begin().await?;
    let year = yingji_core::prevention::hazard::today(occurred_ms).year();
    let n = crate::kernel::sequences::next_in_sequence(&mut tx, &format!("SJ{d}-{year}")).await?;
    let code = format!("SJ{d}{year}{n:05}");
    let c = &input.casualties;
    let t = &checked.texts;
    let mut q = Sql::new(
        "INSERT INTO incidents (id, code, title, category, subtype, occurred_ms, occurred_month, received_ms, unit_learned_ms, enterprise_id, region_code, district_code, street_code, community_code, grid_code, categories, location, lon, lat, deaths, missing, serious_injuries, minor_injuries, trapped, at_risk, evacuated, loss_yuan, severity, graded_by_rule, larger_risk, larger_risk_judged, warning_level, unit_overview, scene, account, measures, other_info, response_level, status, last_report_ms, window_end_ms, recorded_by, created_ms, updated_ms, closed_ms, reporter_name, reporter_phone, report_channel) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        code.clone().into(),
        checked.title.clone().into(),
        checked.category.as_str().into(),
        checked.subtype.code.into(),
        occurred_ms.into(),
        crate::prevention::hazards::month_of(occurred_ms).into(),
        received_ms.into(),
        checked.unit_learned_ms.into(),
        enterprise_id.clone().into(),
        region_code.clone().into(),
        d.into(),
        s.into(),
        cm.into(),
        g.into(),
        categories.into(),
        t.location.clone().into(),
        input.lon.into(),
        input.lat.into(),
        c.deaths.into(),
        c.missing.into(),
        c.serious_injuries.into(),
        c.minor_injuries.into(),
        c.trapped.into(),
        c.at_risk.into(),
        c.evacuated.into(),
        c.loss_yuan.into(),
        checked.severity.rank().into(),
        i64::from(checked.graded_by_rule).into(),
        i64::from(larger_risk).into(),
        i64::from(input.larger_risk_judged).into(),
        input.warning_level.into(),
        t.unit_overview.clone().into(),
        t.scene.clone().into(),
        t.account.clone().into(),
        t.measures.clone().into(),
        t.other.clone().into(),
        None::<i64>.into(),
        "open".into(),
        received_ms.into(),
        window_end_ms.into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        now_ms.into(),
        None::<i64>.into(),
        reporter_name.into(),
        reporter_phone.into(),
        report_channel.into(),
    ]);
    q.execute(&mut tx).await?;
    insert_report(
        &mut tx,
        &id,
        "initial",
        received_ms,
        c,
        None,
        checked.severity,
        true,
        &t.account,
        &ctx.display_name,
    )
    .await?;
    let grade_note = if checked.graded_by_rule {
        format!(
            "，按493号令定为{}事故{}",
            checked.severity.label(),
            if larger_risk {
                "（较大涉险）"
            } else {
                ""
            }
        )
    } else {
        format!("，研判为{}", checked.severity.label())
    };
    let summary = format!(
        "接报{}“{}”：{}{}",
        checked.subtype.label,
        checked.title,
        c.summary(),
        grade_note
    );
    let heading = format!("{}（{code}）", checked.title);
    let after = serde_json::json!({
        "code": code, "category": checked.category.as_str(), "subtype": checked.subtype.code,
        "occurred_ms": occurred_ms, "received_ms": received_ms, "casualties": c,
        "severity": checked.severity.as_str(), "larger_risk": larger_risk,
    });
    let step = Step {
        action: "incident.create",
        kind: "report",
        at_ms: received_ms,
        text: &summary,
        before: None,
        after: Some(after),
    };
    record(&mut tx, ctx, now_ms, &id, &heading, step).await?;
    tx.commit().await?;
    detail(store, &ctx.scope, &id, now_ms).await
}

#[allow(clippy::too_many_arguments)]
async fn insert_report(
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

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    /// followup (续报) / supplementary (补报: the counts changed)
    pub kind: String,
    /// The counts as now known (all of them).
    pub casualties: Casualties,
    pub text: String,
    /// Items of 第十二条 now verified (待核实 ones filled, others corrected); empty ones stay.
    #[serde(default)]
    pub items: Option<ReportItems>,
}

/// The 第十二条 items a 续报 may complete.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReportItems {
    pub unit_overview: String,
    pub scene: String,
    pub measures: String,
    pub other: String,
}

/// The 第十二条 items a 续报 fills: (column, text, Chinese name) for each non-empty one.
fn checked_items(
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
    if !may_record(ctx.role) {
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

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationInput {
    /// city / province / national
    pub level: String,
    /// When that level had the report; defaults to now.
    #[serde(default)]
    pub received_at: Option<String>,
    #[serde(default)]
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
    if !may_command(ctx.role) {
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

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    pub note: String,
    /// Why the incident closes with 上报 hops still unreported (required then; audited).
    #[serde(default)]
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
    if !may_command(ctx.role) {
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
