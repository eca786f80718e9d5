//! 企业主体责任与信用 (credit): the 严重失信主体名单 workflow and the public disclosure page.

pub mod disclosure;
pub mod listing_criteria;
pub mod listings;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::router::OpenApiRouter;

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(listings::router())
        .merge(listing_criteria::router())
        .merge(disclosure::router())
}
