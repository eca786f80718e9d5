//! 防灾减灾救灾: its routes, each registered once with its OpenAPI operation.

mod fire_use;
mod forest;
pub mod forest_api;
mod forest_patrols;
mod evacuation;
mod evacuation_api;
mod flood;
mod flood_api;
mod orders;
mod patrol_logs;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::router::OpenApiRouter;

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(forest::router())
        .merge(fire_use::router())
        .merge(forest_patrols::router())
        .merge(flood::router())
        .merge(patrol_logs::router())
        .merge(evacuation::router())
        .merge(orders::router())
}
