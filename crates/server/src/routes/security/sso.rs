//! 统一身份认证登录 (ADR 0031): the login page's buttons, the redirects to the provider, and the
//! callbacks that open the same session a password login opens. A refused callback opens no
//! session, creates no account and is audited; a browser is sent back to the login page with
//! the Chinese reason (`/login?sso_error=…`), other clients get the error JSON.

use super::{cas, oidc};
use crate::AppState;
use crate::auth::{digest, random_token, session_cookie};
use crate::error::{ApiError, ApiResult};
use crate::extract::client_ip;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use yingji_app::security::sso::{self as use_cases, Identity, Opens, SignIn};
use yingji_core::security::policy as policy_rules;
use yingji_core::security::sso as rules;
use yingji_store::directory::sessions::SsoLink;
use yingji_store::security::sso::{self as store, SsoRequest};

/// The cookie binding a sign-in to the browser that started it (its state), sent back on the
/// provider's top-level redirect (SameSite=Lax) and only to these routes.
const STATE_COOKIE: &str = "yingji_sso_state";
const COOKIE_PATH: &str = "/api/v1/security/sso";

/// A way to sign in through the 统一身份认证 platform.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = SsoProvider)]
pub struct Provider {
    /// "oidc" or "cas".
    pub protocol: String,
    /// The button's words.
    pub label: String,
    /// Where the button goes.
    pub login_url: String,
}

/// The login page's single sign-on buttons.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = SsoProviders)]
pub struct Providers {
    pub providers: Vec<Provider>,
    /// The lockout notice under the password form (the node's configured thresholds).
    pub login_hint: String,
}

/// 统一身份认证登录方式 (public: the login page asks before anyone signs in).
#[utoipa::path(get, path = "/api/v1/security/sso", tag = "认证",
    responses((status = 200, body = Providers)))]
pub async fn providers(State(app): State<AppState>) -> Json<Providers> {
    let s = &app.cfg.sso;
    let mut providers = Vec::new();
    if s.oidc_on() {
        providers.push(Provider {
            protocol: "oidc".into(),
            label: s.oidc.label.clone(),
            login_url: format!("{COOKIE_PATH}/oidc/login"),
        });
    }
    if s.cas_on() {
        providers.push(Provider {
            protocol: "cas".into(),
            label: s.cas.label.clone(),
            login_url: format!("{COOKIE_PATH}/cas/login"),
        });
    }
    let lock = yingji_core::directory::login::LockPolicy {
        max_failures: app.cfg.login_max_failures,
        lock_ms: app.cfg.login_lock_ms,
    };
    let login_hint = yingji_core::directory::login::lockout_hint(lock);
    Json(Providers {
        providers,
        login_hint,
    })
}

fn redirect(location: &str, cookies: &[HeaderValue]) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, v);
    }
    for c in cookies {
        headers.append(header::SET_COOKIE, c.clone());
    }
    (StatusCode::SEE_OTHER, headers).into_response()
}

fn state_cookie(state: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{STATE_COOKIE}={state}; Path={COOKIE_PATH}; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// 统一身份认证登录（OIDC）: sends the browser to the provider with a new state, nonce and
/// PKCE challenge.
#[utoipa::path(get, path = "/api/v1/security/sso/oidc/login", tag = "认证",
    responses((status = 303, description = "To the provider's authorization endpoint"),
        (status = 404, body = crate::error::ErrorBody), (status = 502, body = crate::error::ErrorBody)))]
pub async fn oidc_login(State(app): State<AppState>, parts: Parts) -> ApiResult<Response> {
    let s = &app.cfg.sso;
    if !s.oidc_on() {
        return Err(not_configured());
    }
    let now = app.clock.now_ms();
    let (state, nonce, verifier) = (random_token(), random_token(), random_token());
    let start = async {
        let http = oidc::client()?;
        let d = oidc::discover(&http, &s.oidc.issuer).await?;
        let challenge = rules::pkce_challenge(&verifier);
        let req = oidc::AuthRequest {
            state: &state,
            nonce: &nonce,
            challenge: &challenge,
        };
        oidc::authorize_url(&d, &s.oidc, &req)
    };
    let url = match start.await {
        Ok(u) => u,
        Err(m) => return Ok(answer_refusal(&parts, m)),
    };
    let request = SsoRequest {
        state_hash: digest(&state),
        protocol: "oidc".into(),
        nonce,
        verifier,
        expires_ms: now + rules::REQUEST_TTL_MS,
    };
    store::save_request(&app.store, now, &request).await?;
    let cookie = state_cookie(&state, rules::REQUEST_TTL_MS / 1000, app.cfg.cookie_secure);
    Ok(redirect(&url, &[cookie]))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OidcCallback {
    pub code: Option<String>,
    pub state: Option<String>,
    /// The provider's refusal (e.g. access_denied).
    pub error: Option<String>,
}

/// 统一身份认证回调（OIDC）: checks the state against this browser's, exchanges the code, checks
/// the ID token's signature and claims, and signs the matched account in.
#[utoipa::path(get, path = "/api/v1/security/sso/oidc/callback", tag = "认证", params(OidcCallback),
    responses((status = 303, description = "Signed in: to the console"),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 502, body = crate::error::ErrorBody)))]
pub async fn oidc_callback(
    State(app): State<AppState>,
    parts: Parts,
    Query(q): Query<OidcCallback>,
) -> ApiResult<Response> {
    let s = &app.cfg.sso;
    if !s.oidc_on() {
        return Err(not_configured());
    }
    let now = app.clock.now_ms();
    let ip = client_ip(&parts);
    let identity = async {
        let state = q.state.as_deref().unwrap_or_default();
        let bound = crate::extract::cookie_value(&parts, STATE_COOKIE);
        if state.is_empty() || bound.as_deref() != Some(state) {
            return Err(rules::BAD_STATE);
        }
        let taken = store::take_request(&app.store, now, "oidc", &digest(state)).await;
        let Some((nonce, verifier)) = taken.map_err(|_| rules::PROVIDER_ERROR)? else {
            return Err(rules::BAD_STATE);
        };
        if q.error.is_some() {
            return Err(rules::PROVIDER_ERROR);
        }
        let code = q.code.as_deref().filter(|c| !c.is_empty());
        let code = code.ok_or(rules::CODE_REFUSED)?;
        let http = oidc::client()?;
        let d = oidc::discover(&http, &s.oidc.issuer).await?;
        let jwt = oidc::exchange(&http, &d, &s.oidc, code, &verifier).await?;
        let claims = oidc::verified_claims(&http, &d, &jwt).await?;
        let want = rules::Expected {
            issuer: &s.oidc.issuer,
            client_id: &s.oidc.client_id,
            nonce: &nonce,
        };
        rules::check_claims(&claims, want, now)?;
        let subject = rules::subject_of(&claims, &s.oidc.claim).ok_or(rules::NO_SUBJECT)?;
        let identity = Identity {
            protocol: "oidc",
            subject,
            display_name: claims["name"].as_str().map(str::to_string),
            mfa: rules::mfa_asserted(&claims),
        };
        Ok((identity, claims["sid"].as_str().map(str::to_string)))
    };
    let identity = identity.await;
    finish(&app, &parts, ip, identity, &s.oidc.provisioning).await
}

/// 统一身份认证登录（CAS）: sends the browser to the CAS server's login with a new state, part
/// of the `service` (login CSRF: a ticket issued to another browser does not validate here).
#[utoipa::path(get, path = "/api/v1/security/sso/cas/login", tag = "认证",
    responses((status = 303, description = "To the CAS server's login"), (status = 404, body = crate::error::ErrorBody),
        (status = 502, body = crate::error::ErrorBody)))]
pub async fn cas_login(State(app): State<AppState>, parts: Parts) -> ApiResult<Response> {
    let s = &app.cfg.sso;
    if !s.cas_on() {
        return Err(not_configured());
    }
    let now = app.clock.now_ms();
    let state = random_token();
    let url = match cas::login_url(&s.cas, &rules::cas_service(&s.cas.service_url, &state)) {
        Ok(u) => u,
        Err(m) => return Ok(answer_refusal(&parts, m)),
    };
    let request = SsoRequest {
        state_hash: digest(&state),
        protocol: "cas".into(),
        nonce: String::new(),
        verifier: String::new(),
        expires_ms: now + rules::REQUEST_TTL_MS,
    };
    store::save_request(&app.store, now, &request).await?;
    let cookie = state_cookie(&state, rules::REQUEST_TTL_MS / 1000, app.cfg.cookie_secure);
    Ok(redirect(&url, &[cookie]))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CasCallback {
    pub ticket: Option<String>,
    /// This browser's sign-in (part of the `service` the ticket was issued for).
    pub state: Option<String>,
}

/// 统一身份认证回调（CAS）: checks the state against this browser's, validates the service
/// ticket (`/p3/serviceValidate`) for the service of this sign-in and signs the matched account
/// in.
#[utoipa::path(get, path = "/api/v1/security/sso/cas/callback", tag = "认证", params(CasCallback),
    responses((status = 303, description = "Signed in: to the console"),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 502, body = crate::error::ErrorBody)))]
pub async fn cas_callback(
    State(app): State<AppState>,
    parts: Parts,
    Query(q): Query<CasCallback>,
) -> ApiResult<Response> {
    let s = &app.cfg.sso;
    if !s.cas_on() {
        return Err(not_configured());
    }
    let now = app.clock.now_ms();
    let ip = client_ip(&parts);
    let identity = async {
        let state = q.state.as_deref().unwrap_or_default();
        let bound = crate::extract::cookie_value(&parts, STATE_COOKIE);
        if state.is_empty() || bound.as_deref() != Some(state) {
            return Err(rules::BAD_STATE);
        }
        let taken = store::take_request(&app.store, now, "cas", &digest(state)).await;
        if taken.map_err(|_| rules::PROVIDER_ERROR)?.is_none() {
            return Err(rules::BAD_STATE);
        }
        let ticket = q
            .ticket
            .as_deref()
            .filter(|t| !t.is_empty() && t.len() <= 256);
        let ticket = ticket.ok_or(rules::TICKET_INVALID)?;
        let http = oidc::client()?;
        let service = rules::cas_service(&s.cas.service_url, state);
        let user = cas::validate(&http, &s.cas.base_url, &service, ticket).await?;
        let subject = if s.cas.attribute.trim().is_empty() {
            Some(user.user.clone())
        } else {
            user.attributes.get(s.cas.attribute.trim()).cloned()
        };
        let subject = subject.filter(|v| !v.is_empty()).ok_or(rules::NO_SUBJECT)?;
        let identity = Identity {
            protocol: "cas",
            subject,
            display_name: user.attributes.get("name").cloned(),
            mfa: false,
        };
        Ok((identity, Some(ticket.to_string())))
    };
    let identity = identity.await;
    finish(&app, &parts, ip, identity, &s.cas.provisioning).await
}

pub(super) fn not_configured() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", rules::NOT_CONFIGURED)
}

/// The error of a refusal with Chinese `message`.
fn refusal(message: &'static str) -> ApiError {
    let (status, code) = match message {
        rules::ACCOUNT_DISABLED => (StatusCode::FORBIDDEN, "account_disabled"),
        rules::PROVIDER_UNREACHABLE | rules::PROVIDER_ERROR => {
            (StatusCode::BAD_GATEWAY, "sso_provider_error")
        }
        _ => (StatusCode::UNAUTHORIZED, "sso_refused"),
    };
    ApiError::new(status, code, message)
}

/// A browser goes back to the login page with the reason; an API client gets the error.
fn answer_refusal(parts: &Parts, message: &'static str) -> Response {
    let html = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if !html {
        return refusal(message).into_response();
    }
    let location = reqwest::Url::parse_with_params("http://x/login", &[("sso_error", message)])
        .map(|u| format!("/login?{}", u.query().unwrap_or_default()))
        .unwrap_or_else(|_| "/login".into());
    redirect(&location, &[])
}

/// Signs `identity` in (or audits its refusal) and answers the browser: to the console with a
/// session, or to the login page's second step (`/login#sso_pending=…`) when the account's role
/// requires a second factor the provider did not assert.
async fn finish(
    app: &AppState,
    parts: &Parts,
    ip: Option<String>,
    identity: Result<(Identity, Option<String>), &'static str>,
    provisioning: &rules::Provisioning,
) -> ApiResult<Response> {
    let now = app.clock.now_ms();
    let protocol = if parts.uri.path().contains("/cas/") {
        "cas"
    } else {
        "oidc"
    };
    let clear_state = state_cookie("", 0, app.cfg.cookie_secure);
    let (identity, sid) = match identity {
        Ok(i) => i,
        Err(m) => {
            use_cases::failed(&app.store, now, protocol, None, ip, m).await?;
            return Ok(answer_refusal(parts, m));
        }
    };
    let token = random_token();
    // The same session a password login opens: the district's policy sets its lifetimes.
    let policy = crate::routes::security::policy::current(app).await?;
    let mut session = crate::auth::new_session(app, parts, &token, &policy);
    session.sso = Some(SsoLink {
        protocol: protocol.into(),
        sid: sid.as_deref().map(digest),
    });
    // A created account gets a random password nobody knows (it signs in through the provider).
    let unusable_hash = if provisioning.create_on_first_login {
        crate::auth::hash_password_blocking(random_token()).await?
    } else {
        String::new()
    };
    let client = ip.unwrap_or_else(|| "-".into());
    let sign_in = SignIn {
        identity: &identity,
        provisioning,
        client: &client,
        session: &session,
        unusable_hash: &unusable_hash,
    };
    let account = match use_cases::account(&app.store, now, &sign_in).await? {
        Ok(a) => a,
        Err(m) => return Ok(answer_refusal(parts, m)),
    };
    let required =
        app.cfg.second_factor_enforced && policy_rules::factor_required(&policy, account.role());
    if rules::local_factor_due(required, identity.mfa) {
        let methods = match &account.user {
            Some(u) => super::login::methods(app, &policy, u).await?,
            None => Vec::new(),
        };
        if methods.is_empty() {
            let refused =
                use_cases::refuse::<()>(&app.store, now, &sign_in, rules::FACTOR_UNREACHABLE);
            refused.await?.ok();
            return Ok(answer_refusal(parts, rules::FACTOR_UNREACHABLE));
        }
        let pending = random_token();
        let hash = digest(&pending);
        let opens = Opens::Pending(&hash);
        use_cases::sign_in(&app.store, now, &sign_in, &account, opens).await?;
        let to = format!("/login#sso_pending={pending}&methods={}", methods.join(","));
        return Ok(redirect(&to, &[clear_state]));
    }
    use_cases::sign_in(&app.store, now, &sign_in, &account, Opens::Session).await?;
    let life = crate::routes::security::policy::lifetimes(app, &policy);
    let max_age_s = life.absolute_ms.min(7 * 86_400_000) / 1000;
    let cookie = session_cookie(&token, max_age_s, app.cfg.cookie_secure);
    Ok(redirect("/", &[cookie, clear_state]))
}
