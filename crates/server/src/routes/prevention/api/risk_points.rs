//! API types of prevention::risk_points: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::datum;
use serde::{Deserialize, Serialize};
use yingji_core::prevention::risk::RiskInput;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskPointInput {
    /// The enterprise (an enterprise user's own is implied).
    #[serde(default)]
    pub enterprise_id: Option<String>,
    /// 城市风险源 kind, for a point without an enterprise.
    #[serde(default)]
    pub public_kind: Option<String>,
    /// Region (grid or community) of a public risk source.
    #[serde(default)]
    pub region_code: Option<String>,
    pub name: String,
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
    pub hazard_factors: String,
    #[serde(default)]
    pub accident_types: Vec<String>,
    pub assessment: RiskInput,
    /// A level other than the computed one; needs `override_reason`.
    #[serde(default)]
    pub level_override: Option<String>,
    #[serde(default)]
    pub override_reason: Option<String>,
    pub control_measures: String,
    #[serde(default)]
    pub emergency_measures: String,
    pub control_level: String,
    pub responsible_name: String,
    #[serde(default)]
    pub responsible_phone: Option<String>,
    /// Next review date, YYYY-MM-DD.
    #[serde(default)]
    pub review_date: Option<String>,
}

impl TryFrom<RiskPointInput> for yingji_store::prevention::risk_points::RiskPointInput {
    type Error = ApiError;

    fn try_from(v: RiskPointInput) -> ApiResult<Self> {
        let (lon, lat) = datum::optional_point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            enterprise_id: v.enterprise_id,
            public_kind: v.public_kind,
            region_code: v.region_code,
            name: v.name,
            location: v.location,
            lon,
            lat,
            hazard_factors: v.hazard_factors,
            accident_types: v.accident_types,
            assessment: v.assessment,
            level_override: v.level_override,
            override_reason: v.override_reason,
            control_measures: v.control_measures,
            emergency_measures: v.emergency_measures,
            control_level: v.control_level,
            responsible_name: v.responsible_name,
            responsible_phone: v.responsible_phone,
            review_date: v.review_date,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RiskPoint {
    pub id: String,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub public_kind: Option<String>,
    pub public_kind_label: Option<String>,
    pub name: String,
    pub location: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub region_code: String,
    pub region_name: Option<String>,
    pub hazard_factors: String,
    pub accident_types: Vec<String>,
    pub method: String,
    #[schema(value_type = Object)]
    pub inputs: serde_json::Value,
    pub score: String,
    pub computed_level: String,
    pub level: String,
    pub level_label: String,
    pub colour: String,
    pub override_reason: Option<String>,
    pub control_measures: String,
    pub emergency_measures: String,
    pub control_level: String,
    pub control_level_label: String,
    pub responsible_name: String,
    pub responsible_phone: Option<String>,
    pub review_date: Option<String>,
    pub rules_version: i64,
    pub status: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl From<yingji_store::prevention::risk_points::RiskPoint> for RiskPoint {
    fn from(v: yingji_store::prevention::risk_points::RiskPoint) -> Self {
        Self {
            id: v.id,
            enterprise_id: v.enterprise_id,
            enterprise_name: v.enterprise_name,
            public_kind: v.public_kind,
            public_kind_label: v.public_kind_label,
            name: v.name,
            location: v.location,
            lon: v.lon,
            lat: v.lat,
            region_code: v.region_code,
            region_name: v.region_name,
            hazard_factors: v.hazard_factors,
            accident_types: v.accident_types,
            method: v.method,
            inputs: v.inputs,
            score: v.score,
            computed_level: v.computed_level,
            level: v.level,
            level_label: v.level_label,
            colour: v.colour,
            override_reason: v.override_reason,
            control_measures: v.control_measures,
            emergency_measures: v.emergency_measures,
            control_level: v.control_level,
            control_level_label: v.control_level_label,
            responsible_name: v.responsible_name,
            responsible_phone: v.responsible_phone,
            review_date: v.review_date,
            rules_version: v.rules_version,
            status: v.status,
            created_ms: v.created_ms,
            updated_ms: v.updated_ms,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RegionRisk {
    pub code: String,
    pub name: String,
    pub level: String,
    /// The highest active risk level, or None when the region has no risk point.
    pub max_level: Option<String>,
    pub colour: Option<String>,
    pub major: i64,
    pub large: i64,
    pub general: i64,
    pub low: i64,
    /// Enterprises in the region the caller may see (the ranking's denominator).
    pub enterprises: i64,
    /// 排名得分: weighted active risk points (see `rank_formula`).
    pub score: f64,
    /// The ranking's class among the siblings (quartiles of the positive scores, highest
    /// first): major / large / general / low, or None for a score of 0.
    pub rank_level: Option<String>,
    pub rank_colour: Option<String>,
    /// How the score is computed under the district's rules, in Chinese (the same on every row).
    pub rank_formula: String,
}

impl From<yingji_store::prevention::risk_points::RegionRisk> for RegionRisk {
    fn from(v: yingji_store::prevention::risk_points::RegionRisk) -> Self {
        Self {
            code: v.code,
            name: v.name,
            level: v.level,
            max_level: v.max_level,
            colour: v.colour,
            major: v.major,
            large: v.large,
            general: v.general,
            low: v.low,
            enterprises: v.enterprises,
            score: v.score,
            rank_level: v.rank_level,
            rank_colour: v.rank_colour,
            rank_formula: String::new(),
        }
    }
}
