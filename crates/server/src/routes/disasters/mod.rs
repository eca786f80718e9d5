//! 防灾减灾救灾 (issue 23): each part registers its routes in its own module.

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
        .merge(flood::router())
        .merge(patrol_logs::router())
        .merge(evacuation::router())
        .merge(orders::router())
}
