//! API types of warning::publish: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningInput {
    /// rainstorm / gale / heat … (GET /api/v1/warnings/meta).
    pub event_code: String,
    /// 1 红 / 2 橙 / 3 黄 / 4 蓝.
    pub level: i64,
    #[serde(default)]
    pub headline: Option<String>,
    pub description: String,
    pub instruction: String,
    /// The area drawn on the map: a GeoJSON Polygon or MultiPolygon (lon, lat) …
    #[serde(default)]
    pub area: Option<serde_json::Value>,
    /// … or regions (streets, communities) whose boundaries make the area.
    #[serde(default)]
    pub region_codes: Vec<String>,
    #[serde(default)]
    pub area_desc: Option<String>,
    /// RFC 3339; defaults to now.
    #[serde(default)]
    pub effective_at: Option<String>,
    pub expires_at: String,
    /// The published warning this one updates (更新).
    #[serde(default)]
    pub supersedes: Option<String>,
}

impl From<WarningInput> for yingji_store::warning::WarningInput {
    fn from(v: WarningInput) -> Self {
        Self {
            event_code: v.event_code,
            level: v.level,
            headline: v.headline,
            description: v.description,
            instruction: v.instruction,
            area: v.area,
            region_codes: v.region_codes,
            area_desc: v.area_desc,
            effective_at: v.effective_at,
            expires_at: v.expires_at,
            supersedes: v.supersedes,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// submit (提交审核) / approve (审核发布) / reject (退回) / cancel (解除)
    pub action: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<StepInput> for yingji_store::warning::StepInput {
    fn from(v: StepInput) -> Self {
        Self {
            action: v.action,
            note: v.note,
        }
    }
}
