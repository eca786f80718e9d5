//! 网格事件 (issue 24): URLs under /api/v1/grid.

pub mod mine;
pub mod overlays;
pub mod overlays_api;
pub mod patrol_tasks;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::router::OpenApiRouter;

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(overlays::router())
        .merge(patrol_tasks::router())
        .merge(mine::router())
}
