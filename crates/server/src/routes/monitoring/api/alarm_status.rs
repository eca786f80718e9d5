//! API types of monitoring::alarm_status: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::Serialize;
use yingji_core::monitoring::alarm::StatusColour;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MonitoredObject {
    /// enterprise | public
    pub kind: String,
    /// The enterprise's id, or the first sensor's id of a public object.
    pub id: String,
    pub name: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub colour: StatusColour,
    pub colour_label: String,
    pub sensors: i64,
    pub active_alarms: i64,
    pub unacked: i64,
    /// The most severe active level's label (高高报 …), if any.
    pub worst_label: Option<String>,
    /// Colours of the enterprise's 重大危险源 that have sensors.
    pub major_hazards: Vec<MajorHazardStatus>,
}

impl From<yingji_store::monitoring::alarm_status::MonitoredObject> for MonitoredObject {
    fn from(v: yingji_store::monitoring::alarm_status::MonitoredObject) -> Self {
        Self {
            kind: v.kind,
            id: v.id,
            name: v.name,
            lon: v.lon,
            lat: v.lat,
            colour: v.colour,
            colour_label: v.colour_label,
            sensors: v.sensors,
            active_alarms: v.active_alarms,
            unacked: v.unacked,
            worst_label: v.worst_label,
            major_hazards: v.major_hazards.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MajorHazardStatus {
    pub id: String,
    pub colour: StatusColour,
}

impl From<yingji_store::monitoring::alarm_status::MajorHazardStatus> for MajorHazardStatus {
    fn from(v: yingji_store::monitoring::alarm_status::MajorHazardStatus) -> Self {
        Self {
            id: v.id,
            colour: v.colour,
        }
    }
}
