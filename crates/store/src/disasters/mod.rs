//! 防灾减灾救灾 (issue 23): each part in its own module.

pub mod flood;
pub mod flood_orders;

pub mod patrol_logs;
