//! 网格事件与群众举报 (issue 24): grid events from every source, their dispatch (大分拨), their
//! deadlines and 督办, linked action, rewards, and the grids they belong to.

pub mod conversions;
pub mod duplicates;
pub mod events;
pub mod events_config;
pub mod events_due;
pub mod hotline;
pub mod joint;
pub mod opinions;
pub mod overlays;
pub mod overlays_geo;
pub mod patrol_tasks;
pub mod public;
pub mod rewards;
pub mod stats;
