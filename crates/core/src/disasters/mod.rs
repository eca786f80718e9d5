//! 防灾减灾救灾 (issue 23): natural-hazard duty, relief and reporting. Each part is its own module.

pub mod evacuation;
pub mod flood;
pub mod flood_access;
pub mod flood_board;
pub mod orders;
