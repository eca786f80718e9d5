//! 网格事件 (issue 24): overlay grids, patrol tasks and the grid worker's page.

pub mod mine;
pub mod overlays;
pub mod patrol_tasks;
