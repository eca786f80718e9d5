//! Monitoring: sensors, readings (HTTP and MQTT), alarms.

mod mqtt;
mod mqtt5;
mod mqtt_cluster;
mod sensors;
