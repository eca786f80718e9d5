//! 网格事件 (issue 24).

mod overlays;
mod patrol_tasks;
