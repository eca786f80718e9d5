//! 网格事件与群众举报 through the API.

mod conversions;
mod duplicates;
pub mod events;
mod events_close;
mod events_todo;
mod hotline;
mod joint;
mod opinions;
mod overlays;
mod patrol_tasks;
mod public;
mod rewards;
mod stats;
