//! API types of 灾害过程 (ADR 0021).

use crate::routes::disasters::reports_api::{Report, ReportFigures};
use serde::{Deserialize, Serialize};

/// An affected township.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterTownship)]
pub struct Township {
    pub code: String,
    pub name: String,
}

/// A 灾害过程 with its next deadline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterProcess)]
pub struct Process {
    pub id: String,
    pub district_code: String,
    pub kind: String,
    pub kind_label: String,
    pub subtype: String,
    pub subtype_label: String,
    pub name: String,
    pub started_ms: i64,
    /// ongoing / stable / verified
    pub status: String,
    /// 进行中 / 已稳定 / 已核报
    pub status_label: String,
    pub stable_ms: Option<i64>,
    /// 重大灾害 (daily 续报).
    pub major: bool,
    pub incident_id: Option<String>,
    pub note: Option<String>,
    /// The next report due: initial / update / final; none once 核报'd.
    pub next_kind: Option<String>,
    pub next_kind_label: Option<String>,
    /// When the next report becomes late (ms).
    pub next_due_ms: Option<i64>,
    /// The deadline passed without the report (escalated to the duty room and the bureau).
    pub overdue: bool,
    /// The response level last proposed to the commanders from this process's figures.
    pub suggested_level: Option<i64>,
    pub created_by_name: String,
    pub created_ms: i64,
    pub townships: Vec<Township>,
}

impl From<yingji_store::disasters::processes::Process> for Process {
    fn from(v: yingji_store::disasters::processes::Process) -> Self {
        let next_kind_label = v
            .next_kind
            .as_deref()
            .and_then(yingji_core::disasters::reports::ReportKind::parse)
            .map(|k| k.label().to_string());
        Self {
            id: v.id,
            district_code: v.district_code,
            kind: v.kind,
            kind_label: v.kind_label,
            subtype: v.subtype,
            subtype_label: v.subtype_label,
            name: v.name,
            started_ms: v.started_ms,
            status: v.status,
            status_label: v.status_label,
            stable_ms: v.stable_ms,
            major: v.major,
            incident_id: v.incident_id,
            note: v.note,
            next_kind: v.next_kind,
            next_kind_label,
            next_due_ms: v.next_due_ms,
            overdue: v.overdue,
            suggested_level: v.suggested_level,
            created_by_name: v.created_by_name,
            created_ms: v.created_ms,
            townships: v
                .townships
                .into_iter()
                .map(|(code, name)| Township { code, name })
                .collect(),
        }
    }
}

/// A process with its reports (a timeline) and the latest district totals.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterProcessDetail)]
pub struct ProcessDetail {
    #[serde(flatten)]
    pub process: Process,
    pub reports: Vec<Report>,
    /// The latest report's district totals (zeros before the 初报).
    pub totals: ReportFigures,
}

/// A 灾种 with its 亚灾种.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterKind)]
pub struct Kind {
    pub code: String,
    pub label: String,
    pub subtypes: Vec<KindEntry>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterKindEntry)]
pub struct KindEntry {
    pub code: String,
    pub label: String,
}

/// A figure of the 快报表, as the form shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterFigureDef)]
pub struct FigureDef {
    pub key: String,
    pub label: String,
    pub unit: String,
    /// A decimal with two places; else a count.
    pub decimal: bool,
    /// A main figure (a jump needs an explanation).
    pub main: bool,
}

/// What the report form needs: the kinds, the figures, the district's townships.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterMeta)]
pub struct Meta {
    pub kinds: Vec<Kind>,
    pub figures: Vec<FigureDef>,
    pub townships: Vec<Township>,
}

/// The district's 灾情报送 settings.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisasterSettings)]
pub struct Settings {
    /// A main figure changing by more than this (%) … [I, default 50]
    pub jump_ratio_pct: i64,
    /// … and by at least this many persons/households needs a written explanation [I, 10].
    pub jump_min: i64,
    /// Notification channels of the city's 应急管理局 (duty room) told at once of 10 or more
    /// dead and missing (R04).
    #[serde(default)]
    pub city_channel_ids: Vec<String>,
    /// … and of the province's.
    #[serde(default)]
    pub province_channel_ids: Vec<String>,
}
