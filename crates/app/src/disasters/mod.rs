//! 防灾减灾救灾: the use cases of natural disasters, each write in one transaction with its audit
//! record.

pub mod census;
pub mod consultations;
pub mod consultations_todos;
pub mod evacuation;
pub mod fire_use;
pub mod flood;
pub mod forest;
pub mod forest_patrols;
pub mod informants;
pub mod ledgers;
pub mod orders;
pub mod payments;
pub mod processes;
pub mod relief;
pub mod reports;
pub mod summary;
