//! monitoring: its routes, each registered once with its OpenAPI operation.

pub mod alarms;
pub mod api;
pub mod broker_hook;
pub mod channels;
pub mod exports;
pub mod gateways;
pub mod sensors;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(exports::alarms))
        .routes(routes!(sensors::list_sensors, sensors::create_sensor))
        .routes(routes!(sensors::get_sensor, sensors::update_sensor))
        .routes(routes!(sensors::sensor_trend))
        .routes(routes!(sensors::ingest))
        .routes(routes!(gateways::list, gateways::create))
        .routes(routes!(gateways::update))
        .routes(routes!(gateways::rotate))
        .routes(routes!(gateways::stats))
        .routes(routes!(alarms::list_alarms))
        .routes(routes!(alarms::alarm_stream))
        .routes(routes!(alarms::analytics))
        .routes(routes!(alarms::get_alarm))
        .routes(routes!(alarms::act_alarm))
        .routes(routes!(alarms::alarm_to_hazard))
        .routes(routes!(alarms::alarm_events))
        .routes(routes!(alarms::status))
        .routes(routes!(channels::alarm_deliveries))
        .routes(routes!(channels::list, channels::create))
        .routes(routes!(channels::get, channels::update))
        .routes(routes!(channels::test))
        .routes(routes!(channels::channel_deliveries))
        .routes(routes!(broker_hook::auth))
        .routes(routes!(broker_hook::acl))
}
