//! API types of prevention::rules: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use yingji_core::prevention::rules::DistrictRules;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RulesVersion {
    pub region_code: String,
    /// 0 means the national defaults (no district version yet).
    pub version: i64,
    pub rules: DistrictRules,
    pub note: Option<String>,
    pub created_ms: Option<i64>,
}

impl From<yingji_store::prevention::rules::RulesVersion> for RulesVersion {
    fn from(v: yingji_store::prevention::rules::RulesVersion) -> Self {
        Self {
            region_code: v.region_code,
            version: v.version,
            rules: v.rules,
            note: v.note,
            created_ms: v.created_ms,
        }
    }
}
