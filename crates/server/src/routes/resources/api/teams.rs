//! API types of resources::teams: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::datum;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    pub name: String,
    /// fire / professional / enterprise / social / grassroots / medical
    pub kind: String,
    #[serde(default)]
    pub specialties: Vec<String>,
    pub headcount: i64,
    /// 主要装备, free text.
    #[serde(default)]
    pub equipment: String,
    pub base_address: String,
    pub lon: f64,
    pub lat: f64,
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
    /// The district or street the team belongs to.
    pub region_code: String,
    pub leader: String,
    pub phone: String,
    /// standby / resting / unavailable (出动 only by dispatch).
    #[serde(default)]
    pub status: Option<String>,
}

impl TryFrom<TeamInput> for yingji_store::resources::TeamInput {
    type Error = ApiError;

    fn try_from(v: TeamInput) -> ApiResult<Self> {
        let (lon, lat) = datum::point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            name: v.name,
            kind: v.kind,
            specialties: v.specialties,
            headcount: v.headcount,
            equipment: v.equipment,
            base_address: v.base_address,
            lon,
            lat,
            region_code: v.region_code,
            leader: v.leader,
            phone: v.phone,
            status: v.status,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub specialties: Vec<String>,
    pub headcount: i64,
    pub equipment: String,
    pub base_address: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    pub leader: String,
    pub phone: String,
    pub status: String,
    pub status_label: String,
    /// The incident it is out on.
    pub incident_id: Option<String>,
    pub updated_ms: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

impl From<yingji_store::resources::Team> for Team {
    fn from(v: yingji_store::resources::Team) -> Self {
        Self {
            id: v.id,
            name: v.name,
            kind: v.kind,
            kind_label: v.kind_label,
            specialties: v.specialties,
            headcount: v.headcount,
            equipment: v.equipment,
            base_address: v.base_address,
            lon: v.lon,
            lat: v.lat,
            region_code: v.region_code,
            leader: v.leader,
            phone: v.phone,
            status: v.status,
            status_label: v.status_label,
            incident_id: v.incident_id,
            updated_ms: v.updated_ms,
            active: v.active,
        }
    }
}
