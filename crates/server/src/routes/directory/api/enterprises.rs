//! API types of directory::enterprises: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::datum;
use serde::{Deserialize, Serialize};

/// An enterprise as submitted (新增企业, 修改企业); checked by core's `EnterpriseInput::validate`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseInput {
    pub name: String,
    pub uscc: String,
    pub industry_code: String,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub scale: Option<String>,
    pub address: String,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
    pub grid_code: String,
    #[serde(default)]
    pub principal_name: Option<String>,
    #[serde(default)]
    pub principal_phone: Option<String>,
    #[serde(default)]
    pub safety_officer_name: Option<String>,
    #[serde(default)]
    pub safety_officer_phone: Option<String>,
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub employees: Option<i64>,
}

impl TryFrom<EnterpriseInput> for yingji_core::directory::enterprise::EnterpriseInput {
    type Error = ApiError;

    fn try_from(v: EnterpriseInput) -> ApiResult<Self> {
        let (lon, lat) = datum::optional_point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            name: v.name,
            uscc: v.uscc,
            industry_code: v.industry_code,
            categories: v.categories,
            scale: v.scale,
            address: v.address,
            lon,
            lat,
            grid_code: v.grid_code,
            principal_name: v.principal_name,
            principal_phone: v.principal_phone,
            safety_officer_name: v.safety_officer_name,
            safety_officer_phone: v.safety_officer_phone,
            flags: v.flags,
            status: v.status,
            employees: v.employees,
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Enterprise {
    pub id: String,
    pub name: String,
    pub uscc: String,
    pub industry_code: String,
    pub industry_label: String,
    pub categories: Vec<String>,
    pub category_labels: Vec<String>,
    pub scale: String,
    pub address: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub grid_code: String,
    pub grid_name: Option<String>,
    pub street_name: Option<String>,
    pub principal_name: Option<String>,
    pub principal_phone: Option<String>,
    pub safety_officer_name: Option<String>,
    pub safety_officer_phone: Option<String>,
    pub flags: Vec<String>,
    pub flag_labels: Vec<String>,
    pub status: String,
    pub status_label: String,
    pub employees: Option<i64>,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// 准入负面清单 entries the enterprise matches (a warning; empty if none).
    pub admission: Vec<yingji_core::credit::admission::AdmissionHit>,
}

impl From<yingji_store::directory::enterprises::Enterprise> for Enterprise {
    fn from(v: yingji_store::directory::enterprises::Enterprise) -> Self {
        Self {
            id: v.id,
            name: v.name,
            uscc: v.uscc,
            industry_code: v.industry_code,
            industry_label: v.industry_label,
            categories: v.categories,
            category_labels: v.category_labels,
            scale: v.scale,
            address: v.address,
            lon: v.lon,
            lat: v.lat,
            grid_code: v.grid_code,
            grid_name: v.grid_name,
            street_name: v.street_name,
            principal_name: v.principal_name,
            principal_phone: v.principal_phone,
            safety_officer_name: v.safety_officer_name,
            safety_officer_phone: v.safety_officer_phone,
            flags: v.flags,
            flag_labels: v.flag_labels,
            status: v.status,
            status_label: v.status_label,
            employees: v.employees,
            created_ms: v.created_ms,
            updated_ms: v.updated_ms,
            admission: Vec::new(),
        }
    }
}
