//! 网格事件与群众举报: its routes, each registered once with its OpenAPI operation.

mod conversions;
mod duplicates;
pub mod events;
pub mod events_api;
mod events_close;
mod hotline;
mod joint;
pub mod mine;
mod opinions;
pub mod overlays;
pub mod overlays_api;
pub mod patrol_tasks;
pub mod public;
mod rewards;
pub mod rewards_api;
pub mod stats;

use crate::AppState;
use crate::routes::Limits;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;

pub fn router(limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(hotline::router().layer(DefaultBodyLimit::max(limits.import)))
        .merge(events::router())
        .merge(events_close::router())
        .merge(overlays::router())
        .merge(patrol_tasks::router())
        .merge(mine::router())
        .merge(rewards::router())
        .merge(joint::router())
        .merge(public::router())
        .merge(duplicates::router())
        .merge(conversions::router())
        .merge(opinions::router())
        .merge(stats::router())
}
