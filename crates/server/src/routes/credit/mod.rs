//! 企业主体责任与信用 (issue 22): every route of the credit capability, registered once.

mod claims;
mod coverage;
mod insurance;
mod prevention_services;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::router::OpenApiRouter;

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(insurance::router())
        .merge(claims::router())
        .merge(prevention_services::router())
        .merge(coverage::router())
}
