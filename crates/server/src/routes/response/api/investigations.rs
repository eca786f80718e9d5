//! API types of response::investigations: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};
use yingji_core::response::investigation::ReportSections;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

impl From<yingji_store::response::investigations::Followup> for Followup {
    fn from(v: yingji_store::response::investigations::Followup) -> Self {
        Self {
            id: v.id,
            action: v.action,
            responsible: v.responsible,
            due_date: v.due_date,
            status: v.status,
            status_label: v.status_label,
            hazard_id: v.hazard_id,
            hazard_code: v.hazard_code,
            hazard_status_label: v.hazard_status_label,
            author: v.author,
            created_ms: v.created_ms,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

impl From<yingji_store::response::investigations::Investigation> for Investigation {
    fn from(v: yingji_store::response::investigations::Investigation) -> Self {
        Self {
            incident_id: v.incident_id,
            lead_body: v.lead_body,
            led_here: v.led_here,
            team_leader: v.team_leader,
            members: v.members,
            status: v.status,
            status_label: v.status_label,
            sections: v.sections,
            started_ms: v.started_ms,
            report_due_ms: v.report_due_ms,
            report_extension_days: v.report_extension_days,
            submitted_ms: v.submitted_ms,
            reply_due_ms: v.reply_due_ms,
            reply_extension_days: v.reply_extension_days,
            approved_ms: v.approved_ms,
            reply_note: v.reply_note,
            overdue: v.overdue,
            followups: v.followups.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvestigationInput {
    /// start / save / submit / approve / return
    pub action: String,
    #[serde(default)]
    pub team_leader: Option<String>,
    #[serde(default)]
    pub members: Option<String>,
    #[serde(default)]
    pub sections: Option<ReportSections>,
    /// 经批准延长的调查期限 (≤ 60 days).
    #[serde(default)]
    pub report_extension_days: Option<i64>,
    /// 经批准延长的批复期限 (≤ 30 days).
    #[serde(default)]
    pub reply_extension_days: Option<i64>,
    /// The reply's text (批复), or why the report is returned.
    #[serde(default)]
    pub note: Option<String>,
}

impl From<InvestigationInput> for yingji_store::response::investigations::InvestigationInput {
    fn from(v: InvestigationInput) -> Self {
        Self {
            action: v.action,
            team_leader: v.team_leader,
            members: v.members,
            sections: v.sections,
            report_extension_days: v.report_extension_days,
            reply_extension_days: v.reply_extension_days,
            note: v.note,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowupInput {
    /// 整改/防范措施.
    pub action: String,
    /// 责任单位.
    pub responsible: String,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub due_date: Option<String>,
    /// Also register it as a hidden hazard (source 事故调查) of the incident's enterprise or place,
    /// so the closed loop 定级 → 整改 → 验收销号 tracks it.
    #[serde(default)]
    pub as_hazard: bool,
    /// The hazard's category when `as_hazard` (see GET /api/v1/meta).
    #[serde(default)]
    pub hazard_category: Option<String>,
}

impl From<FollowupInput> for yingji_store::response::investigations::FollowupInput {
    fn from(v: FollowupInput) -> Self {
        Self {
            action: v.action,
            responsible: v.responsible,
            due_date: v.due_date,
            as_hazard: v.as_hazard,
            hazard_category: v.hazard_category,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Figures {
    pub incidents: i64,
    pub deaths: i64,
    pub serious_injuries: i64,
    pub loss_yuan: i64,
    /// 较大及以上.
    pub larger_or_above: i64,
}

impl From<yingji_store::response::investigations::Figures> for Figures {
    fn from(v: yingji_store::response::investigations::Figures) -> Self {
        Self {
            incidents: v.incidents,
            deaths: v.deaths,
            serious_injuries: v.serious_injuries,
            loss_yuan: v.loss_yuan,
            larger_or_above: v.larger_or_above,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonthRow {
    pub month: u8,
    pub year: Figures,
    pub baseline: Figures,
}

impl From<yingji_store::response::investigations::MonthRow> for MonthRow {
    fn from(v: yingji_store::response::investigations::MonthRow) -> Self {
        Self {
            month: v.month,
            year: v.year.into(),
            baseline: v.baseline.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GroupRow {
    pub code: String,
    pub label: String,
    pub year: Figures,
    pub baseline: Figures,
}

impl From<yingji_store::response::investigations::GroupRow> for GroupRow {
    fn from(v: yingji_store::response::investigations::GroupRow) -> Self {
        Self {
            code: v.code,
            label: v.label,
            year: v.year.into(),
            baseline: v.baseline.into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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

impl From<yingji_store::response::investigations::IncidentStats> for IncidentStats {
    fn from(v: yingji_store::response::investigations::IncidentStats) -> Self {
        Self {
            year: v.year,
            baseline_year: v.baseline_year,
            months_counted: v.months_counted,
            months: v.months.into_iter().map(Into::into).collect(),
            by_severity: v.by_severity.into_iter().map(Into::into).collect(),
            by_category: v.by_category.into_iter().map(Into::into).collect(),
            total: v.total.into(),
            baseline_same_period: v.baseline_same_period.into(),
            baseline_total: v.baseline_total.into(),
        }
    }
}
