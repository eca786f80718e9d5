//! 网格事件 (issue 24): grid events, the overlay grids beside the comprehensive grid tree, patrol
//! tasks and the grid worker's phone page.

pub mod overlays;
pub mod overlays_geo;
pub mod patrol_tasks;
