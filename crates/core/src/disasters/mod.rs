//! 防灾减灾救灾: natural-hazard risk base, 灾情报送, relief, forest fire, flood duty.

pub mod fire_use;
pub mod forest;
pub mod forest_patrols;
pub mod evacuation;
pub mod flood;
pub mod flood_access;
pub mod flood_board;
pub mod orders;
