//! response

pub mod dispatches;
pub mod duty;
pub mod incidents;
pub mod investigations;
pub mod map_layers;
pub mod plans;
pub mod workbench;
