//! kernel: its routes, each registered once with its OpenAPI operation.

pub mod api;
pub mod attachments;
pub mod audit;
pub mod basemap;
pub mod imports;
pub mod meta;
pub mod notifications;
pub mod testing;

use crate::AppState;
use crate::routes::Limits;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(meta::healthz))
        .routes(routes!(meta::meta))
        .routes(routes!(basemap::basemap))
        .routes(routes!(basemap::tiles))
        .routes(routes!(basemap::public_basemap))
        .routes(routes!(basemap::public_tiles))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(attachments::upload))
                .layer(DefaultBodyLimit::max(limits.attachment)),
        )
        .routes(routes!(attachments::download))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::read))
        .route(
            "/api/v1/test/clock",
            axum::routing::post(testing::move_clock),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(attachments::upload_public))
                .layer(DefaultBodyLimit::max(limits.attachment)),
        )
        .routes(routes!(audit::list))
        .routes(routes!(audit::export))
        .routes(routes!(audit::verify))
}
