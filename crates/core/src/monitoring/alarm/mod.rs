//! Monitoring alarms (shared/reference/alerting.md §2.3): threshold detection with hysteresis
//! per sensor, and the incident's response state with its 叫应 escalation policy.
//!
//! Detection and response are separate. A threshold crossing *triggers*; while an incident for
//! the same sensor and level is open, further triggers are deduplicated onto it. Acknowledgement
//! stops escalation but does not resolve; a trigger after the incident resolved opens a new one.
//! The escalation policy is copied onto the incident when it opens (alerting.md G7).
//!
//! `value` holds the exact decimal, `detect` the levels and thresholds, `config` a district's
//! rules and the status colour, `incident` the response state.

mod config;
mod detect;
mod incident;
mod value;

pub use config::{ActiveAlarm, AlarmConfig, PolicyStep, STEP_TARGETS, StatusColour};
pub use detect::{Level, Thresholds, rate_exceeded};
pub use incident::{DISPOSITIONS, Incident, Refusal, Response, TriggerOutcome};
pub use value::Milli4;

/// What a sensor measures.
pub const SENSOR_KINDS: &[(&str, &str)] = &[
    ("level", "液位"),
    ("temperature", "温度"),
    ("pressure", "压力"),
    ("gas_lel", "可燃气体"),
    ("gas_toxic", "有毒气体"),
    ("water_level", "水位"),
    ("displacement", "位移"),
    ("rainfall", "雨量"),
];

#[cfg(test)]
mod tests;
