//! The second step of a login: after the password, a TOTP code, an SMS code or a recovery
//! code; a pending login lives 5 minutes and a few wrong codes drop it.

use super::api::{PendingLogin, SecondStep, SmsRequest};
use super::factor::sms_phone;
use crate::AppState;
use crate::auth::{Me, digest, random_token};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, client_ip};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use yingji_app::security::factors::{self as use_cases, Proof};
use yingji_core::directory::login as login_rules;
use yingji_core::security::factor::{self as rules, Method, PENDING_ATTEMPTS, PENDING_MS};
use yingji_core::security::policy::{self as policy_rules, Policy};
use yingji_core::security::totp;
use yingji_store::directory::users::{self, User};
use yingji_store::security::{factors, pending};

/// The methods `user` must choose from after the password; empty when no second step is due
/// (no factor enrolled, and none required or none reachable).
pub async fn methods(app: &AppState, policy: &Policy, user: &User) -> ApiResult<Vec<String>> {
    let totp = factors::enrolled(&app.store, &user.id).await?;
    let required =
        app.cfg.second_factor_enforced && policy_rules::factor_required(policy, &user.role);
    let sms = sms_phone(user).is_some();
    if !(totp || (required && sms)) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    if totp {
        out.push("totp".to_string());
    }
    if sms {
        out.push("sms".to_string());
    }
    if totp && factors::codes_left(&app.store, &user.id).await? > 0 {
        out.push("recovery".to_string());
    }
    Ok(out)
}

/// Answers 202 with a pending login for `user`.
pub async fn pending_answer(
    app: &AppState,
    now: i64,
    user: &User,
    client: &str,
    methods: Vec<String>,
) -> ApiResult<Response> {
    let token = random_token();
    use_cases::begin(&app.store, now, user, &digest(&token), client).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(PendingLogin {
            pending_token: token,
            methods,
            expires_ms: now + PENDING_MS,
        }),
    )
        .into_response())
}

fn gone() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "login_expired",
        rules::PENDING_GONE,
    )
}

/// 登录第二步: the code of the chosen method; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login/factor", tag = "认证", request_body = SecondStep,
    responses((status = 200, body = Me), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn second_step(
    State(app): State<AppState>,
    parts: axum::http::request::Parts,
    ApiJson(req): ApiJson<SecondStep>,
) -> ApiResult<Response> {
    let now = app.clock.now_ms();
    let ip = client_ip(&parts);
    let client = ip.clone().unwrap_or_else(|| "-".into());
    app.login_limiter
        .check(
            &crate::extract::rate_key(&parts),
            now,
            login_rules::TOO_OFTEN,
        )
        .await?;
    let method = Method::parse(&req.method)
        .ok_or_else(|| ApiError::field("method", "验证方式应为 totp、sms 或 recovery"))?;
    let hash = digest(req.pending_token.trim());
    let p = pending::get(&app.store, now, &hash)
        .await?
        .filter(|p| p.attempts < PENDING_ATTEMPTS && p.client == client)
        .ok_or_else(gone)?;
    let user = users::by_id(&app.store, &p.user_id).await?;
    let proof = match method {
        Method::Totp => factors::get(&app.store, &user.id)
            .await?
            .filter(|f| f.totp_confirmed)
            .and_then(|f| {
                let key = totp::base32_decode(f.totp_secret.as_deref()?)?;
                totp::verify(&key, &req.code, now, f.totp_last_step)
            })
            .map(Proof::Totp),
        Method::Sms => (p.sms_code_hash.as_deref() == Some(digest(req.code.trim()).as_str())
            && p.sms_expires_ms.is_some_and(|e| e > now))
        .then_some(Proof::Sms),
        Method::Recovery => Some(Proof::Recovery(digest(&rules::normalise_recovery(
            &req.code,
        )))),
    };
    let policy = super::policy::current(&app).await?;
    let token = random_token();
    let mut session = crate::auth::new_session(&app, &parts, &token, &policy);
    // A sign-in through the 统一身份认证 platform keeps its provider session (单点退出).
    session.sso = p.sso.clone();
    let passed = match proof {
        Some(proof) => {
            use_cases::complete(&app.store, now, &user, (&hash, &client), proof, &session).await?
        }
        None => false,
    };
    if !passed {
        pending::fail(&app.store, &hash).await?;
        return Err(ApiError::field("code", rules::CODE_WRONG));
    }
    crate::auth::signed_in(&app, &token, &user.id, &policy).await
}

/// 发送短信验证码 for a pending login (the account's mobile number).
#[utoipa::path(post, path = "/api/v1/auth/login/sms", tag = "认证", request_body = SmsRequest,
    responses((status = 204), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn send_sms(
    State(app): State<AppState>,
    parts: axum::http::request::Parts,
    ApiJson(req): ApiJson<SmsRequest>,
) -> ApiResult<StatusCode> {
    let now = app.clock.now_ms();
    let client = client_ip(&parts).unwrap_or_else(|| "-".into());
    app.login_limiter
        .check(
            &crate::extract::rate_key(&parts),
            now,
            login_rules::TOO_OFTEN,
        )
        .await?;
    let hash = digest(req.pending_token.trim());
    let p = pending::get(&app.store, now, &hash)
        .await?
        .filter(|p| p.attempts < PENDING_ATTEMPTS && p.client == client)
        .ok_or_else(gone)?;
    let user = users::by_id(&app.store, &p.user_id).await?;
    let phone = sms_phone(&user)
        .ok_or_else(|| ApiError::field("pending_token", rules::NO_PHONE))?
        .to_string();
    let mut b = [0u8; 4];
    getrandom::fill(&mut b).expect("the operating system's random source is available");
    let code = format!("{:06}", u32::from_be_bytes(b) % 1_000_000);
    use_cases::send_sms(
        &app.store,
        now,
        &user,
        &hash,
        (&phone, &code, &digest(&code)),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
