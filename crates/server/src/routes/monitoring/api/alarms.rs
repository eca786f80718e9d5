//! API types of monitoring::alarms: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};
use yingji_core::monitoring::alarm::PolicyStep;

/// One entry of an incident's history: opened, 叫应 step fired (whom it reached), acknowledged,
/// handled, resolved, closed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlarmEvent {
    pub action: String,
    pub action_label: String,
    pub actor_name: String,
    pub note: Option<String>,
    pub at_ms: i64,
}

impl From<yingji_store::monitoring::AlarmEvent> for AlarmEvent {
    fn from(v: yingji_store::monitoring::AlarmEvent) -> Self {
        Self {
            action: v.action,
            action_label: v.action_label,
            actor_name: v.actor_name,
            note: v.note,
            at_ms: v.at_ms,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Alarm {
    pub id: String,
    pub sensor_id: String,
    pub sensor_code: Option<String>,
    pub sensor_name: Option<String>,
    pub object_name: Option<String>,
    pub unit: Option<String>,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    /// LL / L / H / HH
    pub level: String,
    pub level_label: String,
    pub opened_ms: i64,
    pub resolved_ms: Option<i64>,
    /// unacked / acked / handling / closed
    pub response: String,
    pub response_label: String,
    pub steps_fired: i64,
    #[schema(value_type = Vec<Object>)]
    pub policy: Vec<PolicyStep>,
    pub triggers: i64,
    pub inhibited: bool,
    pub open_value: String,
    pub peak_value: String,
    /// The values as shown: at the unit's precision, never contradicting a threshold.
    pub open_value_shown: String,
    pub peak_value_shown: String,
    pub acked_ms: Option<i64>,
    pub acked_by: Option<String>,
    pub disposition: Option<String>,
    pub note: Option<String>,
    pub closed_ms: Option<i64>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// The hazard this alarm was turned into (转为隐患).
    pub hazard_id: Option<String>,
    /// Why the district's rule proposes turning it into a hazard (on the single alarm's read).
    pub hazard_proposal: Option<String>,
}

impl From<yingji_store::monitoring::Alarm> for Alarm {
    fn from(v: yingji_store::monitoring::Alarm) -> Self {
        Self {
            id: v.id,
            sensor_id: v.sensor_id,
            sensor_code: v.sensor_code,
            sensor_name: v.sensor_name,
            object_name: v.object_name,
            unit: v.unit,
            enterprise_id: v.enterprise_id,
            enterprise_name: v.enterprise_name,
            level: v.level,
            level_label: v.level_label,
            opened_ms: v.opened_ms,
            resolved_ms: v.resolved_ms,
            response: v.response,
            response_label: v.response_label,
            steps_fired: v.steps_fired,
            policy: v.policy,
            triggers: v.triggers,
            inhibited: v.inhibited,
            open_value: v.open_value,
            peak_value: v.peak_value,
            open_value_shown: v.open_value_shown,
            peak_value_shown: v.peak_value_shown,
            acked_ms: v.acked_ms,
            acked_by: v.acked_by,
            disposition: v.disposition,
            note: v.note,
            closed_ms: v.closed_ms,
            lon: v.lon,
            lat: v.lat,
            hazard_id: v.hazard_id,
            hazard_proposal: v.hazard_proposal,
        }
    }
}

/// 确认 (叫应) / 开始处置 / 关闭 with a disposition.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlarmAction {
    /// ack / handle / close
    pub action: String,
    #[serde(default)]
    pub disposition: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<AlarmAction> for yingji_store::monitoring::AlarmAction {
    fn from(v: AlarmAction) -> Self {
        Self {
            action: v.action,
            disposition: v.disposition,
            note: v.note,
        }
    }
}
