//! The caller's second factor: TOTP enrolment and removal, recovery codes.

use super::api::{CodeInput, FactorStatus, PasswordInput, RecoveryCodes, TotpEnrolment};
use crate::AppState;
use crate::auth::{digest, verify_password_blocking};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use yingji_app::security::factors as use_cases;
use yingji_core::kernel::notify::is_mobile;
use yingji_core::kernel::personal::mask_phone;
use yingji_core::security::factor::{self as rules, RECOVERY_CODES};
use yingji_core::security::{policy as policy_rules, totp};
use yingji_store::directory::users::User;
use yingji_store::security::factors;

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system's random source is available");
    b
}

/// Ten new recovery codes (50 random bits each) and their digests.
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    (0..RECOVERY_CODES)
        .map(|_| {
            let code: String = totp::base32_encode(&random_bytes::<8>())
                .chars()
                .take(10)
                .collect();
            let hash = digest(&code);
            (rules::show_recovery(&code), hash)
        })
        .unzip()
}

/// The user's mobile number, when SMS codes can reach it.
pub fn sms_phone(user: &User) -> Option<&str> {
    user.phone.as_deref().filter(|p| is_mobile(p))
}

/// 我的双因素认证.
#[utoipa::path(get, path = "/api/v1/security/factor", tag = "安全", responses((status = 200, body = FactorStatus)))]
pub async fn status(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<FactorStatus>> {
    let policy = super::policy::current(&app).await?;
    Ok(Json(FactorStatus {
        required: policy_rules::factor_required(&policy, &caller.user.role),
        totp: factors::enrolled(&app.store, &caller.user.id).await?,
        recovery_codes_left: factors::codes_left(&app.store, &caller.user.id).await?,
        sms_phone: sms_phone(&caller.user).map(mask_phone),
    }))
}

/// 绑定动态口令: a new secret, confirmed by the first code.
#[utoipa::path(post, path = "/api/v1/security/factor/totp", tag = "安全",
    responses((status = 201, body = TotpEnrolment), (status = 409, body = crate::error::ErrorBody)))]
pub async fn start_totp(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<(StatusCode, Json<TotpEnrolment>)> {
    if factors::enrolled(&app.store, &caller.user.id).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "已绑定动态口令，请先解除后再重新绑定",
        ));
    }
    let secret = totp::base32_encode(&random_bytes::<{ totp::SECRET_BYTES }>());
    use_cases::start(&app.store, app.clock.now_ms(), &caller.user, &secret).await?;
    let uri = totp::otpauth_uri("应急管理平台", &caller.user.username, &secret);
    Ok((StatusCode::CREATED, Json(TotpEnrolment { secret, uri })))
}

/// 确认绑定动态口令 with the app's current code; answers the recovery codes (shown once).
#[utoipa::path(post, path = "/api/v1/security/factor/totp/confirm", tag = "安全", request_body = CodeInput,
    responses((status = 200, body = RecoveryCodes), (status = 400, body = crate::error::ErrorBody)))]
pub async fn confirm_totp(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<CodeInput>,
) -> ApiResult<Json<RecoveryCodes>> {
    let now = app.clock.now_ms();
    let factor = factors::get(&app.store, &caller.user.id).await?;
    let Some(secret) = factor
        .filter(|f| !f.totp_confirmed)
        .and_then(|f| f.totp_secret)
    else {
        return Err(ApiError::field("code", "请先生成动态口令密钥"));
    };
    let key = totp::base32_decode(&secret).unwrap_or_default();
    let step = totp::verify(&key, &req.code, now, None)
        .ok_or_else(|| ApiError::field("code", rules::CODE_WRONG))?;
    let (codes, hashes) = new_recovery_codes();
    use_cases::confirm(
        &app.store,
        now,
        &caller.user,
        caller.ip.clone(),
        (&secret, step),
        &hashes,
    )
    .await?;
    Ok(Json(RecoveryCodes { codes }))
}

/// 解除动态口令 (the password again); refused where the policy needs it and SMS cannot stand in.
#[utoipa::path(post, path = "/api/v1/security/factor/totp/disable", tag = "安全", request_body = PasswordInput,
    responses((status = 204), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn disable_totp(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<PasswordInput>,
) -> ApiResult<StatusCode> {
    if !verify_password_blocking(req.password, caller.user.password_hash.clone()).await? {
        return Err(ApiError::field("password", "密码不正确"));
    }
    let policy = super::policy::current(&app).await?;
    if app.cfg.second_factor_enforced
        && policy_rules::factor_required(&policy, &caller.user.role)
        && sms_phone(&caller.user).is_none()
    {
        return Err(ApiError::forbidden(rules::FACTOR_REQUIRED));
    }
    use_cases::disable(
        &app.store,
        app.clock.now_ms(),
        &caller.user,
        caller.ip.clone(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 重新生成恢复码 (the password again; the old codes stop working).
#[utoipa::path(post, path = "/api/v1/security/factor/recovery-codes", tag = "安全", request_body = PasswordInput,
    responses((status = 200, body = RecoveryCodes), (status = 400, body = crate::error::ErrorBody)))]
pub async fn recovery_codes(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<PasswordInput>,
) -> ApiResult<Json<RecoveryCodes>> {
    if !verify_password_blocking(req.password, caller.user.password_hash.clone()).await? {
        return Err(ApiError::field("password", "密码不正确"));
    }
    if !factors::enrolled(&app.store, &caller.user.id).await? {
        return Err(ApiError::field("password", rules::NOT_ENROLLED));
    }
    let (codes, hashes) = new_recovery_codes();
    use_cases::new_codes(
        &app.store,
        app.clock.now_ms(),
        &caller.user,
        caller.ip.clone(),
        &hashes,
    )
    .await?;
    Ok(Json(RecoveryCodes { codes }))
}
