//! API types of prevention::major_hazards: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::datum;
use serde::{Deserialize, Serialize};
use yingji_core::prevention::major_hazard::UnitChemical;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MajorHazardInput {
    /// The enterprise (an enterprise user's own is implied).
    #[serde(default)]
    pub enterprise_id: Option<String>,
    /// 重大危险源编码, unique.
    pub code: String,
    pub name: String,
    /// production / storage
    pub unit_type: String,
    pub chemicals: Vec<UnitChemical>,
    /// 厂区边界外 500 m 内常住人口.
    pub population_500m: i64,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
    pub responsible_name: String,
    #[serde(default)]
    pub responsible_phone: Option<String>,
}

impl TryFrom<MajorHazardInput> for yingji_store::prevention::major_hazards::MajorHazardInput {
    type Error = ApiError;

    fn try_from(v: MajorHazardInput) -> ApiResult<Self> {
        let (lon, lat) = datum::optional_point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            enterprise_id: v.enterprise_id,
            code: v.code,
            name: v.name,
            unit_type: v.unit_type,
            chemicals: v.chemicals,
            population_500m: v.population_500m,
            lon,
            lat,
            responsible_name: v.responsible_name,
            responsible_phone: v.responsible_phone,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MajorHazard {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: Option<String>,
    pub code: String,
    pub name: String,
    pub unit_type: String,
    pub unit_type_label: String,
    pub chemicals: Vec<UnitChemical>,
    pub population_500m: i64,
    /// S = Σ q/Q as a decimal that never reads on the other side of 1 than S itself: exact when
    /// its digits end within six places (at least two shown: "0.998", "1.00"), otherwise cut, not
    /// rounded, after six and marked "…" ("0.999999…" is below 1).
    pub s_value: String,
    /// S ≥ 1: the unit is a 重大危险源.
    pub is_major: bool,
    pub alpha: String,
    /// R = α·Σ β·q/Q, shown as `s_value` is (never on the other side of 10, 50 or 100 than R
    /// itself: "9.996" is 四级); only for a 重大危险源.
    pub r_value: Option<String>,
    /// 1 (一级, highest) … 4.
    pub level: Option<i64>,
    pub level_label: Option<String>,
    pub region_code: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub responsible_name: String,
    pub responsible_phone: Option<String>,
    pub status: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl From<yingji_store::prevention::major_hazards::MajorHazard> for MajorHazard {
    fn from(v: yingji_store::prevention::major_hazards::MajorHazard) -> Self {
        Self {
            id: v.id,
            enterprise_id: v.enterprise_id,
            enterprise_name: v.enterprise_name,
            code: v.code,
            name: v.name,
            unit_type: v.unit_type,
            unit_type_label: v.unit_type_label,
            chemicals: v.chemicals,
            population_500m: v.population_500m,
            s_value: v.s_value,
            is_major: v.is_major,
            alpha: v.alpha,
            r_value: v.r_value,
            level: v.level,
            level_label: v.level_label,
            region_code: v.region_code,
            lon: v.lon,
            lat: v.lat,
            responsible_name: v.responsible_name,
            responsible_phone: v.responsible_phone,
            status: v.status,
            created_ms: v.created_ms,
            updated_ms: v.updated_ms,
        }
    }
}
