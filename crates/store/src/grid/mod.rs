//! 网格事件与群众举报: rows and SQL.

pub mod conversions;
pub mod duplicates;
pub mod events;
pub mod events_board;
pub mod events_close;
pub mod events_due;
pub mod events_todo;
pub mod events_writes;
pub mod hotline;
pub mod joint;
pub mod mine;
pub mod opinions;
pub mod overlays;
pub mod patrol_tasks;
pub mod public;
pub mod rewards;
pub mod stats;
