//! 网格事件与群众举报: the use cases.

pub mod conversions;
pub mod duplicates;
pub mod events;
pub mod events_close;
pub mod hotline;
pub mod joint;
pub mod mine;
pub mod opinions;
pub mod overlays;
pub mod patrol_tasks;
pub mod public;
pub mod rewards;
pub mod stats;
