//! API types of resources::warehouses: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::datum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarehouseInput {
    pub name: String,
    /// district / street / community
    pub level: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
    pub region_code: String,
    pub manager: String,
    pub phone: String,
}

impl TryFrom<WarehouseInput> for yingji_store::resources::WarehouseInput {
    type Error = ApiError;

    fn try_from(v: WarehouseInput) -> ApiResult<Self> {
        let (lon, lat) = datum::point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            name: v.name,
            level: v.level,
            address: v.address,
            lon,
            lat,
            region_code: v.region_code,
            manager: v.manager,
            phone: v.phone,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Warehouse {
    pub id: String,
    pub name: String,
    pub level: String,
    pub level_label: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    pub manager: String,
    pub phone: String,
    /// Stock lines, those below their minimum, those expired or expiring within 30 days.
    pub lines: i64,
    pub low_lines: i64,
    pub expiring_lines: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

impl From<yingji_store::resources::Warehouse> for Warehouse {
    fn from(v: yingji_store::resources::Warehouse) -> Self {
        Self {
            id: v.id,
            name: v.name,
            level: v.level,
            level_label: v.level_label,
            address: v.address,
            lon: v.lon,
            lat: v.lat,
            region_code: v.region_code,
            manager: v.manager,
            phone: v.phone,
            lines: v.lines,
            low_lines: v.low_lines,
            expiring_lines: v.expiring_lines,
            active: v.active,
        }
    }
}
