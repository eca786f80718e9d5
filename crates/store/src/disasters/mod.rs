//! 防灾减灾救灾: the records of natural disasters, each part in its own module.

pub mod fire_use;
pub mod forest;
pub mod forest_patrols;
pub mod evacuation;
pub mod evacuation_totals;
pub mod flood;
pub mod flood_orders;
pub mod orders;
pub mod patrol_logs;
