//! 事后: the investigation of an incident with its report deadlines (rules in
//! `yingji_core::response::investigation`), follow-up actions (optionally registered as hidden hazards, whose
//! closed loop then tracks them), and incident statistics against a baseline year.

use crate::kernel::Ctx;
use crate::response::incidents::{self, Step};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use yingji_core::kernel::label_of;
use yingji_core::kernel::role::Scope;
use yingji_core::response::incident::{Category, Severity};
use yingji_core::response::investigation::{
    self as rules, ALREADY_STARTED, FOLLOWUP_DONE_TEXT, FOLLOWUP_NOT_OPEN, NOT_STARTED,
    ReportSections, STATUS_LABELS, TEAM_LEADER_REQUIRED, UPDATED_MEANWHILE, check_stats_years,
    followup_status_label, followup_text, months_counted, start_text, step_text,
};

pub use yingji_core::response::investigation::{FollowupInput, InvestigationInput};

#[derive(Debug, Clone, Serialize)]
pub struct Followup {
    pub id: String,
    pub action: String,
    pub responsible: String,
    pub due_date: Option<String>,
    /// open / done; a linked hazard's closed loop decides (done once it is 销号).
    pub status: String,
    pub status_label: String,
    pub hazard_id: Option<String>,
    pub hazard_code: Option<String>,
    pub hazard_status_label: Option<String>,
    pub author: String,
    pub created_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Investigation {
    pub incident_id: String,
    /// 负责调查的人民政府 (by grade, 第十九条).
    pub lead_body: String,
    /// The district leads it (一般事故); otherwise it assists and records.
    pub led_here: bool,
    pub team_leader: String,
    pub members: String,
    /// investigating / submitted / approved
    pub status: String,
    pub status_label: String,
    pub sections: ReportSections,
    pub started_ms: i64,
    /// 第二十九条 (生产安全事故 only).
    pub report_due_ms: Option<i64>,
    pub report_extension_days: i64,
    pub submitted_ms: Option<i64>,
    /// 第三十二条, once submitted.
    pub reply_due_ms: Option<i64>,
    pub reply_extension_days: i64,
    pub approved_ms: Option<i64>,
    pub reply_note: Option<String>,
    pub overdue: bool,
    pub followups: Vec<Followup>,
}

/// The investigation of an incident, or None before it starts.
pub async fn get(
    store: &Store,
    scope: &Scope,
    incident_id: &str,
    now_ms: i64,
) -> StoreResult<Option<Investigation>> {
    let incident = incidents::get(store, scope, incident_id, now_ms).await?;
    let mut q = Sql::new("SELECT * FROM incident_investigations WHERE incident_id = ");
    q.bind(incident_id);
    let Some(r) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    let severity = Severity::parse(&incident.severity).unwrap_or(Severity::General);
    let cfg = crate::prevention::rules::current(store, &incident.region_code)
        .await?
        .rules
        .incident;
    let status: String = r.try_get("status")?;
    let report_ext: i64 = r.try_get("report_extension_days")?;
    let reply_ext: i64 = r.try_get("reply_extension_days")?;
    let submitted_ms: Option<i64> = r.try_get("submitted_ms")?;
    let approved_ms: Option<i64> = r.try_get("approved_ms")?;
    let report_due_ms = incident
        .work_safety
        .then(|| rules::report_due_ms(&cfg, incident.occurred_ms, report_ext));
    let reply_due_ms = match (incident.work_safety, submitted_ms) {
        (true, Some(s)) => Some(rules::reply_due_ms(&cfg, severity, s, reply_ext)),
        _ => None,
    };
    let overdue = report_due_ms.is_some_and(|d| submitted_ms.unwrap_or(now_ms) > d)
        || reply_due_ms.is_some_and(|d| approved_ms.unwrap_or(now_ms) > d);
    Ok(Some(Investigation {
        incident_id: incident_id.to_string(),
        lead_body: r.try_get("lead_body")?,
        led_here: rules::led_here(severity),
        team_leader: r.try_get("team_leader")?,
        members: r.try_get("members")?,
        status_label: label_of(STATUS_LABELS, &status).unwrap_or("").into(),
        status,
        sections: serde_json::from_str(&r.try_get::<String, _>("sections")?).unwrap_or_default(),
        started_ms: r.try_get("started_ms")?,
        report_due_ms,
        report_extension_days: report_ext,
        submitted_ms,
        reply_due_ms,
        reply_extension_days: reply_ext,
        approved_ms,
        reply_note: r.try_get("reply_note")?,
        overdue,
        followups: followups(store, incident_id).await?,
    }))
}

async fn followups(store: &Store, incident_id: &str) -> StoreResult<Vec<Followup>> {
    let mut q = Sql::new(
        "SELECT f.*, h.code AS hazard_code, h.status AS hazard_status FROM incident_followups f \
         LEFT JOIN hazards h ON h.id = f.hazard_id WHERE f.incident_id = ",
    );
    q.bind(incident_id).push(" ORDER BY f.created_ms, f.id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let hazard_status: Option<String> = r.try_get("hazard_status")?;
            let own: String = r.try_get("status")?;
            // A linked hazard is done when the closed loop has closed it.
            let status = match hazard_status.as_deref() {
                Some("closed") => "done".to_string(),
                Some(_) => "open".to_string(),
                None => own,
            };
            Ok(Followup {
                id: r.try_get("id")?,
                action: r.try_get("action")?,
                responsible: r.try_get("responsible")?,
                due_date: r.try_get("due_date")?,
                status_label: followup_status_label(&status).into(),
                status,
                hazard_id: r.try_get("hazard_id")?,
                hazard_code: r.try_get("hazard_code")?,
                hazard_status_label: hazard_status.as_deref().and_then(|s| {
                    yingji_core::prevention::hazard::Status::parse(s)
                        .ok()
                        .map(|s| s.label().to_string())
                }),
                author: r.try_get("author")?,
                created_ms: r.try_get("created_ms")?,
            })
        })
        .collect()
}

/// 成立调查组 / 保存 / 提交报告 / 批复 / 退回 inside the caller's transaction, on `incident`
/// whose investigation read `existing` (None before it starts): a start inserts the
/// investigation, a later step moves it by compare-and-set from the status read; the step is on
/// the timeline.
pub async fn act_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    incident: &incidents::Incident,
    existing: Option<&Investigation>,
    input: &InvestigationInput,
    step: &rules::CheckedStep,
) -> StoreResult<()> {
    let text = match (existing, input.action.as_str()) {
        (None, "start") => start_in(tx, now_ms, incident, step).await?,
        (Some(_), "start") => {
            return Err(StoreError::conflict("action", ALREADY_STARTED));
        }
        (None, _) => {
            return Err(StoreError::conflict("action", NOT_STARTED));
        }
        (Some(inv), action) => {
            advance_in(tx, now_ms, inv, action, input.sections.as_ref(), step).await?
        }
    };
    let step = Step {
        action: "incident.investigation",
        kind: "investigation",
        at_ms: now_ms,
        text: &text,
        before: None,
        after: Some(serde_json::json!({"action": input.action})),
    };
    incidents::record(tx, ctx, now_ms, &incident.id, &incident.heading(), step).await
}

/// 成立调查组: the lead body follows the grade (第十九条); returns the timeline text.
async fn start_in(
    tx: &mut Tx,
    now_ms: i64,
    incident: &incidents::Incident,
    step: &rules::CheckedStep,
) -> StoreResult<String> {
    let Some(leader) = &step.leader else {
        return Err(StoreError::invalid("team_leader", TEAM_LEADER_REQUIRED));
    };
    let severity = Severity::parse(&incident.severity).unwrap_or(Severity::General);
    let lead = rules::lead_body(severity);
    let mut q = Sql::new(
        "INSERT INTO incident_investigations (incident_id, lead_body, team_leader, members, status, report_extension_days, reply_extension_days, sections, started_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        incident.id.clone().into(),
        lead.into(),
        leader.clone().into(),
        step.members.clone().unwrap_or_default().into(),
        "investigating".into(),
        step.report_extension_days.unwrap_or(0).into(),
        0i64.into(),
        serde_json::to_string(&ReportSections::default())
            .unwrap_or_default()
            .into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(start_text(leader, lead))
}

/// A later step (save, submit, approve, return): the status moves as `next_status` allows, the
/// report's sections are kept or replaced (all six needed to submit), the fields given are
/// written; returns the timeline text.
async fn advance_in(
    tx: &mut Tx,
    now_ms: i64,
    inv: &Investigation,
    action: &str,
    sections: Option<&ReportSections>,
    step: &rules::CheckedStep,
) -> StoreResult<String> {
    let next =
        rules::next_status(&inv.status, action).map_err(|m| StoreError::conflict("action", m))?;
    let sections = match sections {
        Some(s) => s.check(action == "submit")?,
        None if action == "submit" => inv.sections.check(true)?,
        None => inv.sections.clone(),
    };
    let mut u = Sql::new("UPDATE incident_investigations SET status = ");
    u.bind(next)
        .push_bind(
            ", sections = ",
            serde_json::to_string(&sections).unwrap_or_default(),
        )
        .push_bind(", updated_ms = ", now_ms);
    if let Some(l) = &step.leader {
        u.push_bind(", team_leader = ", l.clone());
    }
    if let Some(m) = &step.members {
        u.push_bind(", members = ", m.clone());
    }
    if let Some(d) = step.report_extension_days {
        u.push_bind(", report_extension_days = ", d);
    }
    if let Some(d) = step.reply_extension_days {
        u.push_bind(", reply_extension_days = ", d);
    }
    match action {
        "submit" => {
            u.push_bind(", submitted_ms = ", now_ms);
        }
        "approve" => {
            u.push_bind(", approved_ms = ", now_ms)
                .push_bind(", reply_note = ", step.note.clone());
        }
        "return" => {
            u.push(", submitted_ms = NULL");
        }
        _ => {}
    }
    u.push_bind(" WHERE incident_id = ", inv.incident_id.as_str())
        .push_bind(" AND status = ", inv.status.clone());
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict("action", UPDATED_MEANWHILE));
    }
    Ok(step_text(action, step.note.as_deref()))
}

/// The incident a follow-up is added to: visible to the caller and under investigation.
pub async fn incident_under_investigation(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
) -> StoreResult<incidents::Incident> {
    let incident = incidents::get(store, &ctx.scope, incident_id, now_ms).await?;
    if get(store, &ctx.scope, incident_id, now_ms).await?.is_none() {
        return Err(StoreError::conflict("incident_id", NOT_STARTED));
    }
    Ok(incident)
}

/// Writes a checked follow-up (and, when it was registered as one, its hazard's id) and the
/// step on the incident's timeline, inside the caller's transaction.
pub async fn insert_followup_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    incident: &incidents::Incident,
    f: &rules::Followup,
    hazard_id: Option<String>,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO incident_followups (id, incident_id, action, responsible, due_date, status, hazard_id, author, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        incident.id.clone().into(),
        f.action.clone().into(),
        f.responsible.clone().into(),
        f.due_date.clone().into(),
        "open".into(),
        hazard_id.clone().into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(&mut *tx).await?;
    let text = followup_text(f, hazard_id.is_some());
    let step = Step {
        action: "incident.followup",
        kind: "investigation",
        at_ms: now_ms,
        text: &text,
        before: None,
        after: Some(serde_json::json!({"hazard_id": hazard_id})),
    };
    incidents::record(tx, ctx, now_ms, &incident.id, &incident.heading(), step).await
}

/// Marks a follow-up of `incident` without a hazard done, inside the caller's transaction (a
/// linked one follows its hazard), with its timeline step.
pub async fn complete_followup_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    incident: &incidents::Incident,
    followup_id: &str,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE incident_followups SET status = 'done', updated_ms = ");
    u.bind(now_ms)
        .push_bind(" WHERE id = ", followup_id)
        .push_bind(" AND incident_id = ", incident.id.as_str())
        .push(" AND status = 'open' AND hazard_id IS NULL");
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict("status", FOLLOWUP_NOT_OPEN));
    }
    let step = Step {
        action: "incident.followup_done",
        kind: "investigation",
        at_ms: now_ms,
        text: FOLLOWUP_DONE_TEXT,
        before: None,
        after: Some(serde_json::json!({"followup_id": followup_id})),
    };
    incidents::record(tx, ctx, now_ms, &incident.id, &incident.heading(), step).await
}

// ---------------------------------------------------------------------------------------------
// Statistics against a baseline year

#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub incidents: i64,
    pub deaths: i64,
    pub serious_injuries: i64,
    pub loss_yuan: i64,
    /// 较大及以上.
    pub larger_or_above: i64,
}

impl Figures {
    fn add(&mut self, o: &Figures) {
        self.incidents += o.incidents;
        self.deaths += o.deaths;
        self.serious_injuries += o.serious_injuries;
        self.loss_yuan += o.loss_yuan;
        self.larger_or_above += o.larger_or_above;
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthRow {
    pub month: u8,
    pub year: Figures,
    pub baseline: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    pub code: String,
    pub label: String,
    pub year: Figures,
    pub baseline: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct IncidentStats {
    pub year: i16,
    pub baseline_year: i16,
    /// Months of `year` counted in the totals (12 for a past year; up to this month for this year).
    pub months_counted: u8,
    pub months: Vec<MonthRow>,
    pub by_severity: Vec<GroupRow>,
    pub by_category: Vec<GroupRow>,
    pub total: Figures,
    /// The baseline over the same months (同比).
    pub baseline_same_period: Figures,
    pub baseline_total: Figures,
}

impl IncidentStats {
    /// Every month, grade and category at zero.
    fn empty(year: i16, baseline_year: i16, months_counted: u8) -> Self {
        let group = |code: &str, label: &str| GroupRow {
            code: code.into(),
            label: label.into(),
            year: Figures::default(),
            baseline: Figures::default(),
        };
        IncidentStats {
            year,
            baseline_year,
            months_counted,
            months: (1..=12)
                .map(|m| MonthRow {
                    month: m,
                    year: Figures::default(),
                    baseline: Figures::default(),
                })
                .collect(),
            by_severity: Severity::ALL
                .iter()
                .rev()
                .map(|s| group(s.as_str(), s.label()))
                .collect(),
            by_category: Category::ALL
                .iter()
                .map(|c| group(c.as_str(), c.label()))
                .collect(),
            total: Figures::default(),
            baseline_same_period: Figures::default(),
            baseline_total: Figures::default(),
        }
    }

    /// Adds the figures of one month, grade and category of the year (`this_year`) or of the
    /// baseline; the baseline's months up to `months_counted` also make its same period.
    fn add(&mut self, this_year: bool, month: u8, severity: Severity, category: &str, f: &Figures) {
        let counted = self.months_counted;
        let Some(row) = self.months.get_mut(usize::from(month.saturating_sub(1))) else {
            return;
        };
        if this_year {
            row.year.add(f);
            self.total.add(f);
        } else {
            row.baseline.add(f);
            self.baseline_total.add(f);
            if month <= counted {
                self.baseline_same_period.add(f);
            }
        }
        for g in self
            .by_severity
            .iter_mut()
            .filter(|g| g.code == severity.as_str())
            .chain(self.by_category.iter_mut().filter(|g| g.code == category))
        {
            if this_year {
                g.year.add(f);
            } else {
                g.baseline.add(f);
            }
        }
    }
}

/// Incidents by month, grade and category in `year` against `baseline_year` (default the year
/// before), within the caller's scope, with optional category and subtype filters.
pub async fn stats(
    store: &Store,
    scope: &Scope,
    year: i16,
    baseline_year: Option<i16>,
    category: Option<&str>,
    now_ms: i64,
) -> StoreResult<IncidentStats> {
    let baseline_year = check_stats_years(year, baseline_year)?;
    if let Some(c) = category {
        Category::parse(c).map_err(|m| StoreError::invalid("category", m))?;
    }
    let mut stats = IncidentStats::empty(year, baseline_year, months_counted(year, now_ms));
    let q = stats_query(scope, year, baseline_year, category);
    for r in store.fetch_all(q).await? {
        let m: String = r.try_get("m")?;
        let (y, month) = (
            m.get(..4).and_then(|s| s.parse::<i16>().ok()).unwrap_or(0),
            m.get(5..7).and_then(|s| s.parse::<u8>().ok()).unwrap_or(0),
        );
        let severity = Severity::from_rank(r.try_get("severity")?).unwrap_or(Severity::General);
        let n: i64 = r.try_get("n")?;
        let f = Figures {
            incidents: n,
            deaths: r.try_get::<Option<i64>, _>("deaths")?.unwrap_or(0),
            serious_injuries: r.try_get::<Option<i64>, _>("serious")?.unwrap_or(0),
            loss_yuan: r.try_get::<Option<i64>, _>("loss")?.unwrap_or(0),
            larger_or_above: if severity >= Severity::Larger { n } else { 0 },
        };
        let category: String = r.try_get("category")?;
        stats.add(y == year, month, severity, &category, &f);
    }
    Ok(stats)
}

/// The sums by month, grade and category of both years within the caller's scope.
fn stats_query(scope: &Scope, year: i16, baseline_year: i16, category: Option<&str>) -> Sql {
    let mut q = Sql::new(
        "SELECT i.occurred_month AS m, i.severity, i.category, COUNT(*) AS n, \
         CAST(SUM(i.deaths) AS BIGINT) AS deaths, CAST(SUM(i.serious_injuries) AS BIGINT) AS serious, \
         CAST(SUM(i.loss_yuan) AS BIGINT) AS loss FROM incidents i WHERE ((i.occurred_month >= ",
    );
    q.bind(format!("{year:04}-01"))
        .push_bind(" AND i.occurred_month <= ", format!("{year:04}-12"))
        .push_bind(
            ") OR (i.occurred_month >= ",
            format!("{baseline_year:04}-01"),
        )
        .push_bind(
            " AND i.occurred_month <= ",
            format!("{baseline_year:04}-12"),
        )
        .push("))");
    if let Some(c) = category {
        q.push_bind(" AND i.category = ", c);
    }
    incidents::push_scope(&mut q, scope);
    q.push(" GROUP BY i.occurred_month, i.severity, i.category");
    q
}
