//! 防灾减灾救灾: natural-hazard risk base, 灾情报送, relief, forest fire, flood duty.

pub mod census;
pub mod census_geojson;
pub mod consultations;
pub mod evacuation;
pub mod fire_use;
pub mod flood;
pub mod flood_access;
pub mod flood_board;
pub mod forest;
pub mod forest_patrols;
pub mod informants;
pub mod ledgers;
pub mod orders;
pub mod payments;
pub mod processes;
pub mod relief;
pub mod relief_import;
pub mod reports;
pub mod reports_figures;
pub mod reports_rules;
#[cfg(test)]
mod reports_tests;
pub mod summary;
