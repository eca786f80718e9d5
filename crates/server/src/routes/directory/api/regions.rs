//! API types of directory::regions: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: String,
    pub level_label: String,
    pub parent_code: Option<String>,
    /// `[lon, lat]` label point inside the region.
    pub center: Option<[f64; 2]>,
    /// `[min_lon, min_lat, max_lon, max_lat]`
    pub bbox: Option<[f64; 4]>,
    pub child_count: i64,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl From<yingji_store::directory::regions::Region> for Region {
    fn from(v: yingji_store::directory::regions::Region) -> Self {
        Self {
            code: v.code,
            name: v.name,
            level: v.level,
            level_label: v.level_label,
            parent_code: v.parent_code,
            center: v.center,
            bbox: v.bbox,
            child_count: v.child_count,
            created_ms: v.created_ms,
            updated_ms: v.updated_ms,
        }
    }
}

/// A region as submitted.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionInput {
    pub code: String,
    pub name: String,
    pub level: String,
    #[serde(default)]
    pub parent_code: Option<String>,
    #[serde(default)]
    pub boundary: Option<serde_json::Value>,
}

impl From<RegionInput> for yingji_store::directory::regions::RegionInput {
    fn from(v: RegionInput) -> Self {
        Self {
            code: v.code,
            name: v.name,
            level: v.level,
            parent_code: v.parent_code,
            boundary: v.boundary,
        }
    }
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionUpdate {
    pub name: String,
    #[serde(default)]
    pub boundary: Option<serde_json::Value>,
}

impl From<RegionUpdate> for yingji_store::directory::regions::RegionUpdate {
    fn from(v: RegionUpdate) -> Self {
        Self {
            name: v.name,
            boundary: v.boundary,
        }
    }
}
