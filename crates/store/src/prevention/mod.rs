//! prevention

pub mod criteria;
pub mod hazards;
pub mod major_hazards;
pub mod map_layers;
pub mod risk_points;
pub mod rules;
pub mod workbench;
