//! API types of 灾情报送: request and response shapes with their OpenAPI schemas, converted from
//! and into the core's inputs and the store's rows (ADR 0021). Areas and money travel as
//! decimal strings with two places ("12.50"), never as floating point.

use crate::extract::string_or_number;
use crate::routes::kernel::api::attachments::Attachment;
use serde::{Deserialize, Serialize};
use yingji_core::disasters::reports_figures::{Figures, show_hundredths};

/// A 灾害过程 to register.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisasterProcessInput)]
pub struct ProcessInput {
    /// 灾种: flood, drought, typhoon, hail, cold, snow, sandstorm, earthquake, geological,
    /// marine, forest_fire, biological (see `GET /api/v1/disasters/kinds`).
    pub kind: String,
    /// 亚灾种 of the kind (rainstorm, landslide …).
    pub subtype: String,
    /// Defaults to "<day><亚灾种>灾害过程".
    #[serde(default)]
    pub name: Option<String>,
    /// When the disaster began: RFC 3339 or "2026-07-10 14:00" (Asia/Shanghai).
    pub started_at: String,
    /// The affected townships (乡镇/街道) of the district, by code.
    pub townships: Vec<String>,
    /// 重大灾害: 续报 daily instead of every 7 days.
    #[serde(default)]
    pub major: bool,
    /// The response's incident, if any: its plans then read this process's figures.
    #[serde(default)]
    pub incident_id: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<ProcessInput> for yingji_core::disasters::processes::ProcessInput {
    fn from(v: ProcessInput) -> Self {
        Self {
            kind: v.kind,
            subtype: v.subtype,
            name: v.name,
            started_at: v.started_at,
            townships: v.townships,
            major: v.major,
            incident_id: v.incident_id,
            note: v.note,
        }
    }
}

/// 灾情稳定.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisasterStableInput)]
pub struct StableInput {
    /// When the disaster became stable (RFC 3339 or "2026-07-20 08:00").
    pub stable_at: String,
}

/// One township's row of the 快报表.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisasterReportRowInput)]
pub struct ReportRowInput {
    /// The township's code (one of the process's affected townships).
    #[serde(deserialize_with = "crate::routes::disasters::reports_api::code")]
    #[schema(value_type = String)]
    pub township: String,
    /// 受灾人口（人）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub affected_people: Option<String>,
    /// 因灾死亡人口（人）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub deaths: Option<String>,
    /// 因灾失踪人口（人）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub missing: Option<String>,
    /// 紧急转移安置人口（人）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub relocated: Option<String>,
    /// 需紧急生活救助人口（人）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub need_relief: Option<String>,
    /// 农作物受灾面积（公顷，最多两位小数）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub crops_affected_ha: Option<String>,
    /// 农作物成灾面积（公顷）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub crops_damaged_ha: Option<String>,
    /// 农作物绝收面积（公顷）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub crops_failed_ha: Option<String>,
    /// 倒塌房屋（户）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub collapsed_households: Option<String>,
    /// 倒塌房屋（间）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub collapsed_rooms: Option<String>,
    /// 严重损坏房屋（户）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub severe_households: Option<String>,
    /// 严重损坏房屋（间）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub severe_rooms: Option<String>,
    /// 一般损坏房屋（户）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub damaged_households: Option<String>,
    /// 一般损坏房屋（间）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub damaged_rooms: Option<String>,
    /// 直接经济损失（万元，最多两位小数）; a number or a string. Missing: 0.
    #[serde(default, deserialize_with = "string_or_number")]
    #[schema(value_type = Option<serde_json::Value>)]
    pub loss_wan_yuan: Option<String>,
}

/// Accepts a code as a string or a number.
pub fn code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(string_or_number(d)?.unwrap_or_default())
}

/// A report: 初报 (initial), 续报 (update) or 核报 (final).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisasterReportInput)]
pub struct ReportInput {
    /// initial / update / final
    pub kind: String,
    pub rows: Vec<ReportRowInput>,
    /// 灾情描述 (required, at most 4000 characters).
    pub description: String,
    /// 救灾工作情况.
    #[serde(default)]
    pub relief: Option<String>,
    /// 变化说明: required when a main figure of a township changed by more than the district's
    /// ratio (50 %) and minimum (10) since the previous report.
    #[serde(default)]
    pub explanation: Option<String>,
    /// Photos uploaded before (`POST /api/v1/attachments`), at most 20.
    #[serde(default)]
    pub attachments: Vec<String>,
}

impl From<ReportInput> for yingji_core::disasters::reports::ReportInput {
    fn from(v: ReportInput) -> Self {
        Self {
            kind: v.kind,
            rows: v
                .rows
                .into_iter()
                .map(|v| yingji_core::disasters::reports::RowInput {
                    township: v.township,
                    values: [
                        v.affected_people,
                        v.deaths,
                        v.missing,
                        v.relocated,
                        v.need_relief,
                        v.crops_affected_ha,
                        v.crops_damaged_ha,
                        v.crops_failed_ha,
                        v.collapsed_households,
                        v.collapsed_rooms,
                        v.severe_households,
                        v.severe_rooms,
                        v.damaged_households,
                        v.damaged_rooms,
                        v.loss_wan_yuan,
                    ],
                })
                .collect(),
            description: v.description,
            relief: v.relief,
            explanation: v.explanation,
            attachments: v.attachments,
        }
    }
}

/// The figures of a row or of the district.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterReportFigures)]
pub struct ReportFigures {
    /// 受灾人口（人）
    pub affected_people: i64,
    /// 因灾死亡人口（人）
    pub deaths: i64,
    /// 因灾失踪人口（人）
    pub missing: i64,
    /// 紧急转移安置人口（人）
    pub relocated: i64,
    /// 需紧急生活救助人口（人）
    pub need_relief: i64,
    /// 农作物受灾面积（公顷，最多两位小数），两位小数
    pub crops_affected_ha: String,
    /// 农作物成灾面积（公顷），两位小数
    pub crops_damaged_ha: String,
    /// 农作物绝收面积（公顷），两位小数
    pub crops_failed_ha: String,
    /// 倒塌房屋（户）
    pub collapsed_households: i64,
    /// 倒塌房屋（间）
    pub collapsed_rooms: i64,
    /// 严重损坏房屋（户）
    pub severe_households: i64,
    /// 严重损坏房屋（间）
    pub severe_rooms: i64,
    /// 一般损坏房屋（户）
    pub damaged_households: i64,
    /// 一般损坏房屋（间）
    pub damaged_rooms: i64,
    /// 直接经济损失（万元，最多两位小数），两位小数
    pub loss_wan_yuan: String,
}

impl From<Figures> for ReportFigures {
    fn from(f: Figures) -> Self {
        Self {
            affected_people: f.0[0],
            deaths: f.0[1],
            missing: f.0[2],
            relocated: f.0[3],
            need_relief: f.0[4],
            crops_affected_ha: show_hundredths(f.0[5]),
            crops_damaged_ha: show_hundredths(f.0[6]),
            crops_failed_ha: show_hundredths(f.0[7]),
            collapsed_households: f.0[8],
            collapsed_rooms: f.0[9],
            severe_households: f.0[10],
            severe_rooms: f.0[11],
            damaged_households: f.0[12],
            damaged_rooms: f.0[13],
            loss_wan_yuan: show_hundredths(f.0[14]),
        }
    }
}

/// A township's row.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterReportRow)]
pub struct ReportRow {
    pub region_code: String,
    pub region_name: String,
    #[serde(flatten)]
    pub figures: ReportFigures,
}

/// A filed report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterReport)]
pub struct Report {
    pub id: String,
    pub process_id: String,
    /// 1 for the 初报, then in order.
    pub seq: i64,
    /// initial / update / final
    pub kind: String,
    /// 初报 / 续报 / 核报
    pub kind_label: String,
    pub filed_ms: i64,
    pub filed_by_name: String,
    /// The deadline it answered (ms), if it answered one.
    pub due_ms: Option<i64>,
    /// Filed after its deadline.
    pub late: bool,
    /// 迟报 5 分钟 / 迟报 1 天.
    pub late_note: Option<String>,
    pub description: String,
    pub relief: Option<String>,
    pub explanation: Option<String>,
    /// The district's totals: the sum of the rows.
    pub totals: ReportFigures,
    pub rows: Vec<ReportRow>,
    pub attachments: Vec<Attachment>,
}

impl From<yingji_store::disasters::reports::Report> for Report {
    fn from(v: yingji_store::disasters::reports::Report) -> Self {
        Self {
            kind_label: v.kind().label().into(),
            id: v.id,
            process_id: v.process_id,
            seq: v.seq,
            kind: v.kind,
            filed_ms: v.filed_ms,
            filed_by_name: v.filed_by_name,
            due_ms: v.due_ms,
            late: v.late_note.is_some(),
            late_note: v.late_note,
            description: v.description,
            relief: v.relief,
            explanation: v.explanation,
            totals: v.totals.into(),
            rows: v
                .rows
                .into_iter()
                .map(|r| ReportRow {
                    region_code: r.region_code,
                    region_name: r.region_name,
                    figures: r.figures.into(),
                })
                .collect(),
            attachments: v.attachments.into_iter().map(Into::into).collect(),
        }
    }
}
