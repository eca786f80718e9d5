//! 防灾减灾救灾: the records of natural disasters, each part in its own module.

pub mod census;
pub mod consultations;
pub mod consultations_due;
pub mod consultations_todos;
pub mod evacuation;
pub mod evacuation_totals;
pub mod fire_use;
pub mod flood;
pub mod flood_orders;
pub mod forest;
pub mod forest_patrols;
pub mod informants;
pub mod ledgers;
pub mod orders;
pub mod patrol_logs;
pub mod payments;
pub mod processes;
pub mod relief;
pub mod reports;
pub mod reports_due;
pub mod reports_settings;
pub mod summary;
