//! `GET /api/v1/security/settings`: what the console needs to know of the security settings
//! (issue 26): whether pages with personal data carry the viewer's watermark.

use crate::AppState;
use crate::extract::Caller;
use axum::Json;
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(settings))
}

/// The console's security settings.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = SecuritySettings)]
pub struct Settings {
    /// Overlay the viewer's name and the time on pages showing personal data
    /// (`[security] watermark`).
    pub watermark: bool,
}

/// 安全设置: whether the console shows a watermark on pages with personal data. Any signed-in
/// account.
#[utoipa::path(get, path = "/api/v1/security/settings", tag = "安全", responses((status = 200, body = Settings), (status = 401, body = crate::error::ErrorBody)))]
pub async fn settings(State(app): State<AppState>, _caller: Caller) -> Json<Settings> {
    Json(Settings {
        watermark: app.cfg.watermark,
    })
}
