//! API types of response::dispatches: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DispatchInput {
    /// team / expert
    pub resource_type: String,
    pub resource_id: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<DispatchInput> for yingji_store::response::dispatches::DispatchInput {
    fn from(v: DispatchInput) -> Self {
        Self {
            resource_type: v.resource_type,
            resource_id: v.resource_id,
            note: v.note,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dispatch {
    pub id: String,
    pub resource_type: String,
    pub resource_id: String,
    pub resource_name: String,
    pub distance_m: Option<i64>,
    /// dispatched / returned
    pub status: String,
    pub status_label: String,
    pub dispatched_ms: i64,
    pub returned_ms: Option<i64>,
    pub note: Option<String>,
    pub author: String,
}

impl From<yingji_store::response::dispatches::Dispatch> for Dispatch {
    fn from(v: yingji_store::response::dispatches::Dispatch) -> Self {
        Self {
            id: v.id,
            resource_type: v.resource_type,
            resource_id: v.resource_id,
            resource_name: v.resource_name,
            distance_m: v.distance_m,
            status: v.status,
            status_label: v.status_label,
            dispatched_ms: v.dispatched_ms,
            returned_ms: v.returned_ms,
            note: v.note,
            author: v.author,
        }
    }
}
