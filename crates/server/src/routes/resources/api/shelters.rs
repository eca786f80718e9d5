//! API types of resources::shelters: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::datum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShelterInput {
    pub name: String,
    /// emergency (紧急) / fixed (固定) / central (中心)
    pub kind: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
    pub region_code: String,
    /// People it can hold.
    pub capacity: i64,
    /// 有效避难面积, m².
    #[serde(default)]
    pub area_m2: i64,
    /// 供水, 供电, 厕所, 医疗点, 物资储备 …
    #[serde(default)]
    pub facilities: Vec<String>,
    pub manager: String,
    pub phone: String,
}

impl TryFrom<ShelterInput> for yingji_store::resources::ShelterInput {
    type Error = ApiError;

    fn try_from(v: ShelterInput) -> ApiResult<Self> {
        let (lon, lat) = datum::point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            name: v.name,
            kind: v.kind,
            address: v.address,
            lon,
            lat,
            region_code: v.region_code,
            capacity: v.capacity,
            area_m2: v.area_m2,
            facilities: v.facilities,
            manager: v.manager,
            phone: v.phone,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Shelter {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    pub capacity: i64,
    pub area_m2: i64,
    pub facilities: Vec<String>,
    /// open / closed
    pub status: String,
    pub status_label: String,
    pub occupancy: i64,
    pub manager: String,
    pub phone: String,
    pub updated_ms: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

impl From<yingji_store::resources::Shelter> for Shelter {
    fn from(v: yingji_store::resources::Shelter) -> Self {
        Self {
            id: v.id,
            name: v.name,
            kind: v.kind,
            kind_label: v.kind_label,
            address: v.address,
            lon: v.lon,
            lat: v.lat,
            region_code: v.region_code,
            capacity: v.capacity,
            area_m2: v.area_m2,
            facilities: v.facilities,
            status: v.status,
            status_label: v.status_label,
            occupancy: v.occupancy,
            manager: v.manager,
            phone: v.phone,
            updated_ms: v.updated_ms,
            active: v.active,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShelterMovementInput {
    /// open (开放) / close (关闭) / check_in (入住) / check_out (离开)
    pub kind: String,
    #[serde(default)]
    pub people: i64,
    #[serde(default)]
    pub incident_id: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<ShelterMovementInput> for yingji_store::resources::ShelterMovementInput {
    fn from(v: ShelterMovementInput) -> Self {
        Self {
            kind: v.kind,
            people: v.people,
            incident_id: v.incident_id,
            note: v.note,
        }
    }
}
