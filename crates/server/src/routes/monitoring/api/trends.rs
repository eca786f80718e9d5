//! API types of monitoring::trends: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::routes::monitoring::api::Sensor;
use serde::Serialize;

/// One point of a trend line; for raw readings min = max = avg and n = 1.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrendPoint {
    /// Start of the bucket (or the reading's time), ms since the epoch.
    pub t: i64,
    pub avg: f64,
    pub min: f64,
    pub max: f64,
    pub n: i64,
}

impl From<yingji_store::monitoring::trends::TrendPoint> for TrendPoint {
    fn from(v: yingji_store::monitoring::trends::TrendPoint) -> Self {
        Self {
            t: v.t,
            avg: v.avg,
            min: v.min,
            max: v.max,
            n: v.n,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Trend {
    pub sensor: Sensor,
    pub from_ms: i64,
    pub to_ms: i64,
    /// Seconds per point; 0 when the points are the raw readings.
    pub resolution_s: i64,
    pub points: Vec<TrendPoint>,
    /// Raw readings are kept from this time on (older ranges come from the rollups).
    pub raw_kept_from_ms: i64,
}

impl From<yingji_store::monitoring::trends::Trend> for Trend {
    fn from(v: yingji_store::monitoring::trends::Trend) -> Self {
        Self {
            sensor: v.sensor.into(),
            from_ms: v.from_ms,
            to_ms: v.to_ms,
            resolution_s: v.resolution_s,
            points: v.points.into_iter().map(Into::into).collect(),
            raw_kept_from_ms: v.raw_kept_from_ms,
        }
    }
}
