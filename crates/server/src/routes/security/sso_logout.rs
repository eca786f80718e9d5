//! 单点退出 (ADR 0031): logging out here sends the browser on to the provider's logout when the
//! session came through it, and the provider's back-channel logout (CAS single logout, OpenID
//! Connect Back-Channel Logout 1.0) ends the sessions it opened here. The back-channel calls
//! come from the provider's server, not from a browser: they carry no session, and what they
//! may do is bounded by what they must prove (the CAS ticket; the signed logout token).

use super::sso::not_configured;
use super::{cas, oidc};
use crate::AppState;
use crate::auth::digest;
use crate::error::{ApiError, ApiResult};
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use yingji_app::security::sso as use_cases;
use yingji_core::security::sso::{self as rules, LogoutOf};
use yingji_store::directory::sessions::SsoLink;

/// Where the browser logs out at the provider after its session `link` ended here; none when
/// the provider has no logout endpoint or cannot be reached.
pub async fn provider_logout_url(app: &AppState, link: &SsoLink) -> Option<String> {
    let s = &app.cfg.sso;
    match link.protocol.as_str() {
        "cas" if s.cas_on() => {
            let back = rules::login_page_of(&s.cas.service_url)?;
            let base = s.cas.base_url.trim_end_matches('/');
            let url =
                reqwest::Url::parse_with_params(&format!("{base}/logout"), &[("service", back)]);
            url.ok().map(Into::into)
        }
        "oidc" if s.oidc_on() => {
            let http = oidc::client().ok()?;
            let d = oidc::discover(&http, &s.oidc.issuer).await.ok()?;
            let end = d.end_session_endpoint?;
            let back = rules::login_page_of(&s.oidc.redirect_uri)?;
            let params = [
                ("client_id", s.oidc.client_id.as_str()),
                ("post_logout_redirect_uri", back.as_str()),
            ];
            reqwest::Url::parse_with_params(&end, &params)
                .ok()
                .map(Into::into)
        }
        _ => None,
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = CasLogoutRequest)]
pub struct CasLogout {
    /// The SAML `LogoutRequest` naming the service ticket (`SessionIndex`).
    #[serde(rename = "logoutRequest")]
    pub logout_request: String,
}

/// 统一身份认证单点退出（CAS）: the CAS server's logout request, posted to the service URL
/// (this callback); ends the session its ticket opened.
#[utoipa::path(post, path = "/api/v1/security/sso/cas/callback", tag = "认证",
    request_body(content = CasLogout, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "Ended (or nothing to end)"),
        (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn cas_logout(
    State(app): State<AppState>,
    Form(f): Form<CasLogout>,
) -> ApiResult<Response> {
    if !app.cfg.sso.cas_on() {
        return Err(not_configured());
    }
    let ticket = cas::logout_ticket(&f.logout_request)
        .ok_or_else(|| ApiError::field("logoutRequest", rules::BAD_LOGOUT))?;
    let sid = digest(&ticket);
    let now = app.clock.now_ms();
    use_cases::provider_logout(&app.store, now, "cas", (Some(&sid), None)).await?;
    Ok(StatusCode::OK.into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[schema(as = OidcLogoutToken)]
pub struct OidcLogout {
    /// The provider's signed logout token (a JWT).
    pub logout_token: String,
}

/// 统一身份认证单点退出（OIDC 后端通道）: checks the logout token's signature and claims and
/// ends the sessions of its `sid` (or of its `sub`).
#[utoipa::path(post, path = "/api/v1/security/sso/oidc/logout", tag = "认证",
    request_body(content = OidcLogout, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "Ended (or nothing to end)"),
        (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 502, body = crate::error::ErrorBody)))]
pub async fn oidc_logout(
    State(app): State<AppState>,
    Form(f): Form<OidcLogout>,
) -> ApiResult<Response> {
    let s = &app.cfg.sso;
    if !s.oidc_on() {
        return Err(not_configured());
    }
    let now = app.clock.now_ms();
    let checked = async {
        let http = oidc::client()?;
        let d = oidc::discover(&http, &s.oidc.issuer).await?;
        let claims = oidc::verified_claims(&http, &d, f.logout_token.trim()).await?;
        rules::check_logout_claims(&claims, &s.oidc.issuer, &s.oidc.client_id, now)
    };
    let of = match checked.await {
        Ok(of) => of,
        Err(m @ (rules::PROVIDER_UNREACHABLE | rules::PROVIDER_ERROR)) => {
            return Err(ApiError::new(
                StatusCode::BAD_GATEWAY,
                "sso_provider_error",
                m,
            ));
        }
        Err(m) => return Err(ApiError::field("logout_token", m)),
    };
    let ended = match of {
        LogoutOf::Sid(sid) => (Some(digest(&sid)), None),
        LogoutOf::Subject(sub) => (None, Some(sub)),
    };
    let by = (ended.0.as_deref(), ended.1.as_deref());
    use_cases::provider_logout(&app.store, now, "oidc", by).await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], StatusCode::OK).into_response())
}
