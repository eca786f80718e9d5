//! Monitoring: sensors, readings (HTTP and MQTT), alarms.

mod mqtt;
mod sensors;
