//! security: the password and session policy, the second login factor (ADR 0030).

pub mod api;
pub mod bindings;
pub mod cas;
pub mod factor;
pub mod login;
pub mod oidc;
pub mod policy;
pub mod sso;
pub mod sso_logout;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(policy::get, policy::update))
        .routes(routes!(factor::status))
        .routes(routes!(factor::start_totp))
        .routes(routes!(factor::confirm_totp))
        .routes(routes!(factor::disable_totp))
        .routes(routes!(factor::recovery_codes))
        .routes(routes!(login::second_step))
        .routes(routes!(login::send_sms))
        .routes(routes!(sso::providers))
        .routes(routes!(sso::oidc_login))
        .routes(routes!(sso::oidc_callback))
        .routes(routes!(sso::cas_login))
        .routes(routes!(sso::cas_callback, sso_logout::cas_logout))
        .routes(routes!(sso_logout::oidc_logout))
        .routes(routes!(bindings::look_up))
}

pub mod settings;
