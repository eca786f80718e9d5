//! API types of monitoring::alarm_hazards: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ToHazardInput {
    /// 隐患描述; defaults to one written from the alarm.
    #[serde(default)]
    pub description: Option<String>,
}

impl From<ToHazardInput> for yingji_store::monitoring::alarm_hazards::ToHazardInput {
    fn from(v: ToHazardInput) -> Self {
        Self {
            description: v.description,
        }
    }
}
