//! security: its routes, each registered once with its OpenAPI operation.

pub mod cas;
pub mod oidc;
pub mod sso;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sso::providers))
        .routes(routes!(sso::oidc_login))
        .routes(routes!(sso::oidc_callback))
        .routes(routes!(sso::cas_login))
        .routes(routes!(sso::cas_callback))
}
