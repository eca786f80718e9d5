//! 企业主体责任与信用: the credit capability's routes.

mod adjustments;
mod objections;
mod rating;
mod scheme;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::router::OpenApiRouter;

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(scheme::router())
        .merge(rating::router())
        .merge(adjustments::router())
        .merge(objections::router())
}
