//! 防灾减灾救灾: natural-hazard risk base, 灾情报送, relief, forest fire, flood duty.

pub mod fire_use;
pub mod forest;
pub mod forest_patrols;
