//! Monitoring: sensor evaluation and alarms, alarm statistics, trends, and 报警转隐患.

pub mod access;

pub mod alarm;
pub mod alarm_hazard;
pub mod alarm_stats;
pub mod alarm_wording;
pub mod broker_hook;
pub mod channel;
pub mod gateway;
pub mod partition;
pub mod reading;
pub mod sensor;
pub mod trend;
