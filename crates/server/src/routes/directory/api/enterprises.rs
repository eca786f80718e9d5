//! API types of directory::enterprises: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::Serialize;

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
        }
    }
}
