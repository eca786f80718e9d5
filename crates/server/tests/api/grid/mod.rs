//! 网格事件与群众举报 through the API.

mod events;
mod events_close;
mod public;
