//! API types of monitoring: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::datum;
pub mod alarm_hazards;
pub mod alarm_status;
pub mod alarms;
pub mod channels;
pub mod gateways;
pub mod ingest;
pub mod trends;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SensorInput {
    /// 位号 / 传感器编码, unique; gateways send it with each reading.
    pub code: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    #[serde(default)]
    pub major_hazard_id: Option<String>,
    /// Grid or community of a public monitored object (易涝点, 桥梁 …) without an enterprise.
    #[serde(default)]
    pub region_code: Option<String>,
    pub object_name: String,
    #[serde(default)]
    pub threshold_ll: Option<String>,
    #[serde(default)]
    pub threshold_l: Option<String>,
    #[serde(default)]
    pub threshold_h: Option<String>,
    #[serde(default)]
    pub threshold_hh: Option<String>,
    #[serde(default)]
    pub hysteresis: Option<String>,
    /// Largest change per minute before a 变化速率 alarm (empty: not checked).
    #[serde(default)]
    pub rate_limit: Option<String>,
    /// Seconds without a reading before the sensor counts as offline.
    #[serde(default = "default_offline")]
    pub offline_after_s: i64,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// The datum of `lon`/`lat`: `cgcs2000` (the default; `wgs84` is the same) or `gcj02` (高德,
    /// 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
}

impl TryFrom<SensorInput> for yingji_store::monitoring::SensorInput {
    type Error = ApiError;

    fn try_from(v: SensorInput) -> ApiResult<Self> {
        let (lon, lat) = datum::optional_point(v.datum.as_deref(), v.lon, v.lat)?;
        Ok(Self {
            code: v.code,
            name: v.name,
            kind: v.kind,
            unit: v.unit,
            enterprise_id: v.enterprise_id,
            major_hazard_id: v.major_hazard_id,
            region_code: v.region_code,
            object_name: v.object_name,
            threshold_ll: v.threshold_ll,
            threshold_l: v.threshold_l,
            threshold_h: v.threshold_h,
            threshold_hh: v.threshold_hh,
            hysteresis: v.hysteresis,
            rate_limit: v.rate_limit,
            offline_after_s: v.offline_after_s,
            lon,
            lat,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Sensor {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub unit: String,
    pub enterprise_id: Option<String>,
    pub major_hazard_id: Option<String>,
    pub object_name: String,
    pub region_code: String,
    pub threshold_ll: Option<String>,
    pub threshold_l: Option<String>,
    pub threshold_h: Option<String>,
    pub threshold_hh: Option<String>,
    pub hysteresis: String,
    pub rate_limit: Option<String>,
    pub offline_after_s: i64,
    pub last_value: Option<String>,
    /// `last_value` as shown: at the unit's precision, never contradicting a threshold.
    pub last_value_shown: Option<String>,
    pub last_ms: Option<i64>,
    /// Threshold levels in alarm now (LL/L/H/HH).
    pub active_levels: Vec<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// False once deactivated (停用): its readings are refused and it is not swept offline.
    pub active: bool,
}

impl From<yingji_store::monitoring::Sensor> for Sensor {
    fn from(v: yingji_store::monitoring::Sensor) -> Self {
        Self {
            id: v.id,
            code: v.code,
            name: v.name,
            kind: v.kind,
            kind_label: v.kind_label,
            unit: v.unit,
            enterprise_id: v.enterprise_id,
            major_hazard_id: v.major_hazard_id,
            object_name: v.object_name,
            region_code: v.region_code,
            threshold_ll: v.threshold_ll,
            threshold_l: v.threshold_l,
            threshold_h: v.threshold_h,
            threshold_hh: v.threshold_hh,
            hysteresis: v.hysteresis,
            rate_limit: v.rate_limit,
            offline_after_s: v.offline_after_s,
            last_value: v.last_value,
            last_value_shown: v.last_value_shown,
            last_ms: v.last_ms,
            active_levels: v.active_levels,
            lon: v.lon,
            lat: v.lat,
            active: v.active,
        }
    }
}

fn default_offline() -> i64 {
    300
}
