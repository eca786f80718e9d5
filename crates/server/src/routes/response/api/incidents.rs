//! API types of response::incidents: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::datum;
use serde::{Deserialize, Serialize};
use yingji_core::response::incident::Casualties;
use yingji_core::response::incident::Hop;
use yingji_core::response::incident::ReportTexts;

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
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
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
    /// Photos of the 初报: ids from POST /api/v1/attachments (the caller's own uploads).
    #[serde(default)]
    pub attachments: Vec<String>,
}

impl TryFrom<IncidentInput> for yingji_store::response::incidents::IncidentInput {
    type Error = ApiError;

    fn try_from(v: IncidentInput) -> ApiResult<Self> {
        let (lon, lat) = datum::optional_point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            title: v.title,
            category: v.category,
            subtype: v.subtype,
            occurred_at: v.occurred_at,
            received_at: v.received_at,
            unit_learned_at: v.unit_learned_at,
            enterprise_id: v.enterprise_id,
            region_code: v.region_code,
            lon,
            lat,
            casualties: v.casualties,
            texts: v.texts,
            warning_level: v.warning_level,
            assessed_severity: v.assessed_severity,
            larger_risk_judged: v.larger_risk_judged,
            reporter_name: v.reporter_name,
            reporter_phone: v.reporter_phone,
            report_channel: v.report_channel,
            attachments: v.attachments,
        })
    }
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

impl From<yingji_store::response::incidents::Incident> for Incident {
    fn from(v: yingji_store::response::incidents::Incident) -> Self {
        Self {
            id: v.id,
            code: v.code,
            title: v.title,
            category: v.category,
            category_label: v.category_label,
            subtype: v.subtype,
            subtype_label: v.subtype_label,
            work_safety: v.work_safety,
            occurred_ms: v.occurred_ms,
            received_ms: v.received_ms,
            unit_learned_ms: v.unit_learned_ms,
            enterprise_id: v.enterprise_id,
            enterprise_name: v.enterprise_name,
            region_code: v.region_code,
            location: v.location,
            lon: v.lon,
            lat: v.lat,
            casualties: v.casualties,
            casualties_summary: v.casualties_summary,
            severity: v.severity,
            severity_label: v.severity_label,
            graded_by_rule: v.graded_by_rule,
            larger_risk: v.larger_risk,
            warning_level: v.warning_level,
            warning_colour: v.warning_colour,
            unit_overview: v.unit_overview,
            scene: v.scene,
            account: v.account,
            measures: v.measures,
            other: v.other,
            pending_items: v.pending_items,
            reporter_name: v.reporter_name,
            reporter_phone: v.reporter_phone,
            report_channel: v.report_channel,
            report_channel_label: v.report_channel_label,
            response_level: v.response_level,
            response_label: v.response_label,
            status: v.status,
            status_label: v.status_label,
            last_report_ms: v.last_report_ms,
            next_followup_ms: v.next_followup_ms,
            window_end_ms: v.window_end_ms,
            next_deadline_ms: v.next_deadline_ms,
            next_deadline_label: v.next_deadline_label,
            overdue: v.overdue,
            created_ms: v.created_ms,
            updated_ms: v.updated_ms,
            closed_ms: v.closed_ms,
        }
    }
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
    /// The report's photos and documents (GET /api/v1/attachments/{id}?size=thumb).
    pub attachments: Vec<crate::routes::kernel::api::attachments::Attachment>,
}

impl From<yingji_store::response::incidents::ReportRow> for ReportRow {
    fn from(v: yingji_store::response::incidents::ReportRow) -> Self {
        Self {
            id: v.id,
            kind: v.kind,
            kind_label: v.kind_label,
            at_ms: v.at_ms,
            casualties: v.casualties,
            severity_before: v.severity_before,
            severity_after: v.severity_after,
            within_window: v.within_window,
            text: v.text,
            author: v.author,
            attachments: v.attachments.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimelineRow {
    pub at_ms: i64,
    pub kind: String,
    pub text: String,
    pub actor: String,
}

impl From<yingji_store::response::incidents::TimelineRow> for TimelineRow {
    fn from(v: yingji_store::response::incidents::TimelineRow) -> Self {
        Self {
            at_ms: v.at_ms,
            kind: v.kind,
            text: v.text,
            actor: v.actor,
        }
    }
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

impl From<yingji_store::response::incidents::IncidentDetail> for IncidentDetail {
    fn from(v: yingji_store::response::incidents::IncidentDetail) -> Self {
        Self {
            incident: v.incident.into(),
            hops: v.hops,
            must_report_state_council: v.must_report_state_council,
            followups_per_day: v.followups_per_day,
            reports: v.reports.into_iter().map(Into::into).collect(),
            timeline: v.timeline.into_iter().map(Into::into).collect(),
        }
    }
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
    /// Photos of this report: ids from POST /api/v1/attachments (the caller's own uploads).
    #[serde(default)]
    pub attachments: Vec<String>,
}

impl From<ReportInput> for yingji_store::response::incidents::ReportInput {
    fn from(v: ReportInput) -> Self {
        Self {
            kind: v.kind,
            casualties: v.casualties,
            text: v.text,
            items: v.items.map(Into::into),
            attachments: v.attachments,
        }
    }
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

impl From<ReportItems> for yingji_store::response::incidents::ReportItems {
    fn from(v: ReportItems) -> Self {
        Self {
            unit_overview: v.unit_overview,
            scene: v.scene,
            measures: v.measures,
            other: v.other,
        }
    }
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

impl From<EscalationInput> for yingji_store::response::incidents::EscalationInput {
    fn from(v: EscalationInput) -> Self {
        Self {
            level: v.level,
            received_at: v.received_at,
            note: v.note,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseInput {
    pub note: String,
    /// Why the incident closes with 上报 hops still unreported (required then; audited).
    #[serde(default)]
    pub unreported_reason: Option<String>,
}

impl From<CloseInput> for yingji_store::response::incidents::CloseInput {
    fn from(v: CloseInput) -> Self {
        Self {
            note: v.note,
            unreported_reason: v.unreported_reason,
        }
    }
}
