//! API types of resources::experts: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::datum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpertInput {
    pub name: String,
    /// natural (自然灾害) / work_safety (安全生产) / rescue (应急救援); one or more.
    pub sections: Vec<String>,
    #[serde(default)]
    pub specialties: Vec<String>,
    /// 职称.
    #[serde(default)]
    pub title: String,
    /// 工作单位.
    pub employer: String,
    pub phone: String,
    pub lon: f64,
    pub lat: f64,
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
    pub region_code: String,
}

impl TryFrom<ExpertInput> for yingji_store::resources::ExpertInput {
    type Error = ApiError;

    fn try_from(v: ExpertInput) -> ApiResult<Self> {
        let (lon, lat) = datum::point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            name: v.name,
            sections: v.sections,
            specialties: v.specialties,
            title: v.title,
            employer: v.employer,
            phone: v.phone,
            lon,
            lat,
            region_code: v.region_code,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Expert {
    pub id: String,
    pub name: String,
    pub sections: Vec<String>,
    pub section_labels: Vec<String>,
    pub specialties: Vec<String>,
    pub title: String,
    pub employer: String,
    pub phone: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    /// available / dispatched
    pub status: String,
    pub status_label: String,
    pub incident_id: Option<String>,
    pub updated_ms: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

impl From<yingji_store::resources::Expert> for Expert {
    fn from(v: yingji_store::resources::Expert) -> Self {
        Self {
            id: v.id,
            name: v.name,
            sections: v.sections,
            section_labels: v.section_labels,
            specialties: v.specialties,
            title: v.title,
            employer: v.employer,
            phone: v.phone,
            lon: v.lon,
            lat: v.lat,
            region_code: v.region_code,
            status: v.status,
            status_label: v.status_label,
            incident_id: v.incident_id,
            updated_ms: v.updated_ms,
            active: v.active,
        }
    }
}
