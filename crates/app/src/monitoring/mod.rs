//! monitoring: sensors, alarms and their conversion to hazards, notification channels, gateways.

pub mod alarms;
pub mod channels;
pub mod gateways;
pub mod sensors;
