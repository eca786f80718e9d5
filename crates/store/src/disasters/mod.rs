//! 防灾减灾救灾 (issue 23): each part in its own module.

pub mod evacuation;
pub mod evacuation_totals;
pub mod flood;
pub mod flood_orders;
pub mod orders;

pub mod patrol_logs;
