//! 防灾减灾救灾: the use cases of natural disasters, each write in one transaction with its audit
//! record.

pub mod fire_use;
pub mod forest;
pub mod forest_patrols;
pub mod evacuation;
pub mod flood;
pub mod orders;
