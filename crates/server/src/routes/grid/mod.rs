//! 网格事件与群众举报: its routes, each registered once with its OpenAPI operation.

mod duplicates;
pub mod events;
pub mod events_api;
mod events_close;
pub mod public;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::router::OpenApiRouter;

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(events::router())
        .merge(events_close::router())
        .merge(public::router())
        .merge(duplicates::router())
}
