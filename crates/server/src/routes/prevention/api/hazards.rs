//! API types of prevention::hazards: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::attachments::Attachment;
use crate::routes::kernel::api::datum;
use serde::{Deserialize, Serialize};
use yingji_core::prevention::hazard::Finding;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HazardInput {
    /// self_check / inspection / grid_patrol (defaults from the role).
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    #[serde(default)]
    pub risk_point_id: Option<String>,
    /// Region of a hazard at a place without an enterprise (community or grid).
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
    pub category: String,
    pub description: String,
    /// general / major; a met criterion makes it major whatever is chosen here.
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Grading at once (定级): the deadline and the people responsible.
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub responsible_name: Option<String>,
    #[serde(default)]
    pub responsible_phone: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default)]
    pub funds: Option<String>,
}

impl TryFrom<HazardInput> for yingji_store::prevention::hazards::HazardInput {
    type Error = ApiError;

    fn try_from(v: HazardInput) -> ApiResult<Self> {
        let (lon, lat) = datum::optional_point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            source: v.source,
            enterprise_id: v.enterprise_id,
            risk_point_id: v.risk_point_id,
            region_code: v.region_code,
            location: v.location,
            lon,
            lat,
            category: v.category,
            description: v.description,
            level: v.level,
            findings: v.findings,
            attachments: v.attachments,
            deadline: v.deadline,
            responsible_name: v.responsible_name,
            responsible_phone: v.responsible_phone,
            measures: v.measures,
            funds: v.funds,
        })
    }
}

/// The anonymous public form (群众举报).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicReportInput {
    pub region_code: String,
    pub location: String,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
    pub category: String,
    pub description: String,
    #[serde(default)]
    pub reporter_name: Option<String>,
    #[serde(default)]
    pub reporter_phone: Option<String>,
    #[serde(default)]
    pub attachments: Vec<String>,
}

impl TryFrom<PublicReportInput> for yingji_store::prevention::hazards::PublicReportInput {
    type Error = ApiError;

    fn try_from(v: PublicReportInput) -> ApiResult<Self> {
        let (lon, lat) = datum::optional_point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            region_code: v.region_code,
            location: v.location,
            lon,
            lat,
            category: v.category,
            description: v.description,
            reporter_name: v.reporter_name,
            reporter_phone: v.reporter_phone,
            attachments: v.attachments,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Tracking {
    pub code: String,
    pub status_label: String,
    pub reported_ms: i64,
    /// Public milestones only: no names of staff, no internal notes.
    pub steps: Vec<(String, i64)>,
}

impl From<yingji_store::prevention::hazards::Tracking> for Tracking {
    fn from(v: yingji_store::prevention::hazards::Tracking) -> Self {
        Self {
            code: v.code,
            status_label: v.status_label,
            reported_ms: v.reported_ms,
            steps: v.steps,
        }
    }
}

/// One step of the loop; which fields are needed depends on the action.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub attachments: Vec<String>,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub responsible_name: Option<String>,
    #[serde(default)]
    pub responsible_phone: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default)]
    pub funds: Option<String>,
    /// 治理方案: goal, methods, funds_materials, organisation, timeline, safety_measures.
    #[serde(default)]
    pub plan: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    pub evaluator: Option<String>,
    #[serde(default)]
    pub conclusion: Option<String>,
    #[serde(default)]
    pub approve: Option<bool>,
    #[serde(default)]
    pub department_id: Option<String>,
    #[serde(default)]
    pub listing_level: Option<String>,
    #[serde(default)]
    pub supervising_body: Option<String>,
    #[serde(default)]
    pub doc_number: Option<String>,
}

impl From<TransitionInput> for yingji_store::prevention::hazards::TransitionInput {
    fn from(v: TransitionInput) -> Self {
        Self {
            note: v.note,
            attachments: v.attachments,
            level: v.level,
            findings: v.findings,
            deadline: v.deadline,
            responsible_name: v.responsible_name,
            responsible_phone: v.responsible_phone,
            measures: v.measures,
            funds: v.funds,
            plan: v.plan,
            evaluator: v.evaluator,
            conclusion: v.conclusion,
            approve: v.approve,
            department_id: v.department_id,
            listing_level: v.listing_level,
            supervising_body: v.supervising_body,
            doc_number: v.doc_number,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hazard {
    pub id: String,
    pub code: String,
    pub source: String,
    pub source_label: String,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub risk_point_id: Option<String>,
    pub location: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub region_code: String,
    pub street_name: Option<String>,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
    pub category: String,
    pub category_label: String,
    pub description: String,
    pub level: String,
    pub level_label: String,
    pub status: String,
    pub status_label: String,
    pub criteria: Vec<String>,
    pub deadline: Option<String>,
    pub overdue: bool,
    pub responsible_name: Option<String>,
    pub responsible_phone: Option<String>,
    pub measures: Option<String>,
    pub funds: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub plan: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub evaluation: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub extension: Option<serde_json::Value>,
    pub reporter_name: String,
    pub listed: bool,
    pub reported_ms: i64,
    pub closed_ms: Option<i64>,
    pub updated_ms: i64,
}

impl From<yingji_store::prevention::hazards::Hazard> for Hazard {
    fn from(v: yingji_store::prevention::hazards::Hazard) -> Self {
        Self {
            id: v.id,
            code: v.code,
            source: v.source,
            source_label: v.source_label,
            enterprise_id: v.enterprise_id,
            enterprise_name: v.enterprise_name,
            risk_point_id: v.risk_point_id,
            location: v.location,
            lon: v.lon,
            lat: v.lat,
            region_code: v.region_code,
            street_name: v.street_name,
            department_id: v.department_id,
            department_name: v.department_name,
            category: v.category,
            category_label: v.category_label,
            description: v.description,
            level: v.level,
            level_label: v.level_label,
            status: v.status,
            status_label: v.status_label,
            criteria: v.criteria,
            deadline: v.deadline,
            overdue: v.overdue,
            responsible_name: v.responsible_name,
            responsible_phone: v.responsible_phone,
            measures: v.measures,
            funds: v.funds,
            plan: v.plan,
            evaluation: v.evaluation,
            extension: v.extension,
            reporter_name: v.reporter_name,
            listed: v.listed,
            reported_ms: v.reported_ms,
            closed_ms: v.closed_ms,
            updated_ms: v.updated_ms,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardEvent {
    pub action: String,
    pub label: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_name: String,
    pub note: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
    pub attachments: Vec<String>,
    pub at_ms: i64,
}

impl From<yingji_store::prevention::hazards::HazardEvent> for HazardEvent {
    fn from(v: yingji_store::prevention::hazards::HazardEvent) -> Self {
        Self {
            action: v.action,
            label: v.label,
            from_status: v.from_status,
            to_status: v.to_status,
            actor_name: v.actor_name,
            note: v.note,
            data: v.data,
            attachments: v.attachments,
            at_ms: v.at_ms,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Listing {
    pub id: String,
    pub listing_level: String,
    pub supervising_body: String,
    pub department_id: Option<String>,
    pub deadline: String,
    pub doc_number: String,
    pub listed_by_name: String,
    pub listed_ms: i64,
    pub status: String,
    pub steps_fired: i64,
    pub last_step: Option<String>,
    pub delisted_ms: Option<i64>,
    pub escalations: Vec<Escalation>,
}

impl From<yingji_store::prevention::hazards::Listing> for Listing {
    fn from(v: yingji_store::prevention::hazards::Listing) -> Self {
        Self {
            id: v.id,
            listing_level: v.listing_level,
            supervising_body: v.supervising_body,
            department_id: v.department_id,
            deadline: v.deadline,
            doc_number: v.doc_number,
            listed_by_name: v.listed_by_name,
            listed_ms: v.listed_ms,
            status: v.status,
            steps_fired: v.steps_fired,
            last_step: v.last_step,
            delisted_ms: v.delisted_ms,
            escalations: v.escalations.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Escalation {
    pub step_code: String,
    pub step_label: String,
    pub due_ms: i64,
    pub fired_ms: i64,
    pub notified: i64,
}

impl From<yingji_store::prevention::hazards::Escalation> for Escalation {
    fn from(v: yingji_store::prevention::hazards::Escalation) -> Self {
        Self {
            step_code: v.step_code,
            step_label: v.step_label,
            due_ms: v.due_ms,
            fired_ms: v.fired_ms,
            notified: v.notified,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardDetail {
    #[serde(flatten)]
    pub hazard: Hazard,
    pub events: Vec<HazardEvent>,
    pub listings: Vec<Listing>,
    pub attachments: Vec<Attachment>,
    /// The actions the caller may take now (codes of `Action`).
    pub allowed_actions: Vec<String>,
    /// Escalation steps still to come: (kind, due).
    pub pending_timers: Vec<(String, i64)>,
}

impl From<yingji_store::prevention::hazards::HazardDetail> for HazardDetail {
    fn from(v: yingji_store::prevention::hazards::HazardDetail) -> Self {
        Self {
            hazard: v.hazard.into(),
            events: v.events.into_iter().map(Into::into).collect(),
            listings: v.listings.into_iter().map(Into::into).collect(),
            attachments: v.attachments.into_iter().map(Into::into).collect(),
            allowed_actions: v.allowed_actions,
            pending_timers: v.pending_timers,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatRow {
    pub region_code: String,
    pub region_name: Option<String>,
    pub status: String,
    pub level: String,
    pub count: i64,
}

impl From<yingji_store::prevention::hazards::StatRow> for StatRow {
    fn from(v: yingji_store::prevention::hazards::StatRow) -> Self {
        Self {
            region_code: v.region_code,
            region_name: v.region_name,
            status: v.status,
            level: v.level,
            count: v.count,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct MonthFigures {
    pub month: String,
    /// 增量: reported this month.
    pub new_total: i64,
    pub new_major: i64,
    /// Of those, closed (accepted) by now.
    pub closed: i64,
    pub closed_major: i64,
    pub closed_on_time: i64,
}

impl From<yingji_store::prevention::hazards::MonthFigures> for MonthFigures {
    fn from(v: yingji_store::prevention::hazards::MonthFigures) -> Self {
        Self {
            month: v.month,
            new_total: v.new_total,
            new_major: v.new_major,
            closed: v.closed,
            closed_major: v.closed_major,
            closed_on_time: v.closed_on_time,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub year: i32,
    pub months: Vec<MonthFigures>,
    /// 存量: open 重大 hazards now (动态清零 drives this to zero).
    pub open_major: i64,
    pub open_general: i64,
    pub overdue: i64,
    pub listed: i64,
    /// 整改率 = closed / (reported − dismissed), this year, in percent (one decimal).
    pub rectification_rate: Option<f64>,
    /// 按期整改率 = closed on time / closed.
    pub on_time_rate: Option<f64>,
    pub by_source: Vec<(String, String, i64)>,
    pub by_industry: Vec<(String, i64)>,
    pub by_region: Vec<(String, String, i64, i64)>,
    pub overdue_list: Vec<Hazard>,
    /// When the year's figures (months, rates, sources, industries) were taken (RFC 3339).
    pub figures_at: String,
}

impl Dashboard {
    pub fn from_parts(v: yingji_store::prevention::hazards::Dashboard, figures_at_ms: i64) -> Self {
        Self {
            figures_at: yingji_core::kernel::clock::to_rfc3339(figures_at_ms),
            year: v.year,
            months: v.months.into_iter().map(Into::into).collect(),
            open_major: v.open_major,
            open_general: v.open_general,
            overdue: v.overdue,
            listed: v.listed,
            rectification_rate: v.rectification_rate,
            on_time_rate: v.on_time_rate,
            by_source: v.by_source,
            by_industry: v.by_industry,
            by_region: v.by_region,
            overdue_list: v.overdue_list.into_iter().map(Into::into).collect(),
        }
    }
}
