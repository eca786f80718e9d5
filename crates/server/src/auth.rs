//! Authentication: argon2id password hashes, opaque random tokens stored as SHA-256 digests,
//! server-side sessions in an HttpOnly SameSite cookie, per-address login rate limits and
//! account lockout.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller, SESSION_COOKIE, client_ip};
use crate::routes::directory::api::tokens::ApiToken;
use crate::routes::directory::api::users::User as UserView;
use crate::routes::security;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicI64, Ordering};
use yingji_app::directory::{logins as login_use_cases, sessions, users as user_use_cases};
use yingji_core::directory::login::{self as login_rules, LockPolicy};
use yingji_core::directory::user::PasswordSetter;
use yingji_core::kernel::rate_limit;
use yingji_core::kernel::role::Scope;
use yingji_core::security::policy::{self as policy_rules, Policy};
use yingji_store::directory::logins;
use yingji_store::directory::sessions::NewSession;
use yingji_store::directory::tokens;
use yingji_store::directory::users::{self, User};
use yingji_store::kernel::rate_limits;

pub use yingji_core::kernel::secret::digest;

/// 32 random bytes, URL-safe base64.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random source is available");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(hash.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Hashing is deliberately slow; keep it off the async workers.
pub async fn hash_password_blocking(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

pub async fn verify_password_blocking(password: String, hash: String) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(ApiError::internal)
}

/// Rate limiter keyed by client address (login, public forms), counted in the database so that
/// every node on it shares the windows (`yingji_core::kernel::rate_limit`).
#[derive(Debug)]
pub struct RateLimiter {
    store: yingji_store::Store,
    /// Keeps the limiters' keys apart in the one table ("login", "public").
    name: &'static str,
    per_minute: usize,
    /// When this node last pruned old windows.
    pruned_ms: AtomicI64,
}

impl RateLimiter {
    pub fn new(store: yingji_store::Store, name: &'static str, per_minute: usize) -> Self {
        Self {
            store,
            name,
            per_minute,
            pruned_ms: AtomicI64::new(0),
        }
    }
    fn key(&self, key: &str) -> String {
        format!("{}:{key}", self.name)
    }
    /// Records a hit; false when the key is over its limit.
    pub async fn allow(&self, key: &str, now_ms: i64) -> ApiResult<bool> {
        Ok(self.retry_after(key, now_ms).await?.is_none())
    }
    /// Records a hit; when the key is over its limit, the seconds until its window ends (for
    /// `Retry-After`).
    pub async fn retry_after(&self, key: &str, now_ms: i64) -> ApiResult<Option<i64>> {
        self.prune(now_ms).await;
        let window = rate_limit::window_of(now_ms);
        let hits = rate_limits::hit(&self.store, &self.key(key), window).await?;
        Ok(
            rate_limit::over_limit(hits, self.per_minute)
                .then(|| rate_limit::retry_after_s(now_ms)),
        )
    }
    /// Whether the key is at its limit now (its next hit would be refused), without recording
    /// a hit.
    pub async fn over(&self, key: &str, now_ms: i64) -> ApiResult<bool> {
        let window = rate_limit::window_of(now_ms);
        let hits = rate_limits::hits(&self.store, &self.key(key), window).await?;
        Ok(rate_limit::over_limit(hits + 1, self.per_minute))
    }
    /// A 429 with `Retry-After` when the key is over its limit.
    pub async fn check(&self, key: &str, now_ms: i64, message: &str) -> Result<(), ApiError> {
        match self.retry_after(key, now_ms).await? {
            Some(secs) => Err(ApiError::rate_limited(message, secs)),
            None => Ok(()),
        }
    }
    /// Deletes old windows, at most once a window per node (any node's pruning serves all).
    async fn prune(&self, now_ms: i64) {
        let last = self.pruned_ms.load(Ordering::Relaxed);
        if now_ms - last < rate_limit::WINDOW_MS && now_ms >= last {
            return;
        }
        if self
            .pruned_ms
            .compare_exchange(last, now_ms, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return;
        }
        if let Err(e) = rate_limits::prune(&self.store, rate_limit::prune_before(now_ms)).await {
            tracing::warn!(error = %e, "old rate-limit windows not pruned");
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub user: UserView,
    pub scope: serde_json::Value,
    /// Whether the server runs the demo district (the UI shows a banner).
    pub demo: bool,
    /// The server's clock (epoch ms), so deadline countdowns agree with the server's.
    pub now_ms: i64,
    /// Days until the password expires (None: it does not, or its age is unknown).
    pub password_days_left: Option<i64>,
    /// The password expired (or predates the policy, which asks for a change): only the
    /// password change is allowed.
    pub password_expired: bool,
    /// Show the expiry warning.
    pub password_warning: bool,
    /// The login before this one: when and from where, and the failed attempts since.
    pub last_login_ms: Option<i64>,
    pub last_login_ip: Option<String>,
    pub failed_since_last_login: i64,
    /// The policy requires a second factor of this account's role.
    pub second_factor_required: bool,
    /// A confirmed TOTP (动态口令).
    pub second_factor_enrolled: bool,
}

impl Me {
    /// Who `user` is, under the district's `policy`.
    pub async fn of(app: &AppState, user: User, scope: Scope, policy: &Policy) -> ApiResult<Me> {
        let now = app.clock.now_ms();
        let days = policy_rules::days_left(policy, user.password_changed_ms, now);
        Ok(Me {
            scope: serde_json::to_value(scope).unwrap_or_default(),
            demo: app.cfg.demo,
            now_ms: now,
            password_days_left: days,
            password_expired: password_expired(policy, &user, now),
            password_warning: policy_rules::warn(policy, days),
            last_login_ms: user.prev_login_ms,
            last_login_ip: user.prev_login_ip.clone(),
            failed_since_last_login: user.failed_before_login,
            // Required only where the node enforces it (`[security] second_factor_enforced`).
            second_factor_required: app.cfg.second_factor_enforced
                && policy_rules::factor_required(policy, &user.role),
            second_factor_enrolled: yingji_store::security::factors::enrolled(&app.store, &user.id)
                .await?,
            user: user.into(),
        })
    }
}

/// Whether `user`'s password has expired under `policy` (a password older than the policy
/// counts as expired when the policy forces those to change).
pub fn password_expired(policy: &Policy, user: &User, now: i64) -> bool {
    policy_rules::expired(policy, user.password_changed_ms, now)
        || (policy.force_change_legacy && user.password_changed_ms.is_none())
}

pub(crate) fn session_cookie(token: &str, max_age_s: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// 登录: sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "认证", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 202, body = crate::routes::security::api::PendingLogin, description = "第二因素待验证"), (status = 401, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn login(
    State(app): State<AppState>,
    parts: axum::http::request::Parts,
    ApiJson(req): ApiJson<LoginRequest>,
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
    let user = authenticate(&app, now, req, &client).await?;
    let policy = security::policy::current(&app).await?;
    let methods = security::login::methods(&app, &policy, &user).await?;
    if !methods.is_empty() {
        return security::login::pending_answer(&app, now, &user, &client, methods).await;
    }
    let token = random_token();
    let session = new_session(&app, &parts, &token, &policy);
    sessions::open(&app.store, now, &user, &client, &session).await?;
    signed_in(&app, &token, &user.id, &policy).await
}

/// A new session of token `token` from the request `parts`, under `policy`.
pub fn new_session(
    app: &AppState,
    parts: &axum::http::request::Parts,
    token: &str,
    policy: &Policy,
) -> NewSession {
    NewSession {
        token_hash: digest(token),
        ttl_ms: security::policy::lifetimes(app, policy).idle_ms,
        ip: client_ip(parts),
        user_agent: parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        single: policy.single_session,
        sso: None,
    }
}

/// The active account `req` names, when its password is right and the (name, address) pair is
/// not locked; a wrong password counts against the pair. An unknown name, a wrong password and
/// a locked pair get one answer.
async fn authenticate(
    app: &AppState,
    now: i64,
    req: LoginRequest,
    client: &str,
) -> ApiResult<User> {
    let refused = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            login_rules::LOGIN_REFUSED,
        )
    };
    let username = req.username.trim();
    if logins::locked_until(&app.store, now, username, client)
        .await?
        .is_some()
    {
        return Err(refused());
    }
    let user = users::by_username(&app.store, username).await?;
    // Same cost as a real check, so response time does not reveal which names exist.
    let hash = user
        .as_ref()
        .map_or(app.dummy_hash.clone(), |u| u.password_hash.clone());
    let verified = verify_password_blocking(req.password, hash).await?;
    let id = user.as_ref().map(|u| u.id.clone());
    let Some(user) = user.filter(|_| verified) else {
        let policy = LockPolicy {
            max_failures: app.cfg.login_max_failures,
            lock_ms: app.cfg.login_lock_ms,
        };
        login_use_cases::record_failure(&app.store, now, username, client, id.as_deref(), policy)
            .await?;
        return Err(refused());
    };
    if !user.active {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "account_disabled",
            login_rules::ACCOUNT_DISABLED,
        ));
    }
    // Roles that must sign in through the 统一身份认证 platform (ADR 0031).
    if !app.cfg.sso.local_login_allowed(&user.role) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "local_login_disabled",
            yingji_core::security::sso::LOCAL_LOGIN_DISABLED,
        ));
    }
    Ok(user)
}

/// The answer to a login: the session cookie and who signed in (read again, with the login
/// before this one).
pub async fn signed_in(
    app: &AppState,
    token: &str,
    user_id: &str,
    policy: &Policy,
) -> ApiResult<Response> {
    let user = users::by_id(&app.store, user_id).await?;
    let scope = users::scope_of(&app.store, &user).await?;
    let life = security::policy::lifetimes(app, policy);
    let max_age_s = life.absolute_ms.min(7 * 86_400_000) / 1000;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        session_cookie(token, max_age_s, app.cfg.cookie_secure),
    );
    Ok((headers, Json(Me::of(app, user, scope, policy).await?)).into_response())
}

/// What a logout answers: where the browser goes on to log out at the 统一身份认证 platform
/// when this session came through it (单点退出).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LoggedOut {
    pub provider_logout_url: Option<String>,
}

/// 退出登录: ends this session on the server and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "认证", responses((status = 200, body = LoggedOut)))]
pub async fn logout(State(app): State<AppState>, caller: Caller) -> ApiResult<Response> {
    let mut provider_logout_url = None;
    if let Some(hash) = &caller.session_hash {
        if let Some(link) = yingji_store::directory::sessions::sso_of(&app.store, hash).await? {
            provider_logout_url = security::sso_logout::provider_logout_url(&app, &link).await;
        }
        sessions::close(
            &app.store,
            app.clock.now_ms(),
            hash,
            &caller.user,
            caller.ip.clone(),
        )
        .await?;
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        session_cookie("", 0, app.cfg.cookie_secure),
    );
    Ok((
        headers,
        Json(LoggedOut {
            provider_logout_url,
        }),
    )
        .into_response())
}

/// 当前用户.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "认证", responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<Me>> {
    let policy = security::policy::current(&app).await?;
    Ok(Json(
        Me::of(&app, caller.user, caller.scope, &policy).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub old_password: String,
    pub new_password: String,
}

/// 修改密码: every session of the user ends, including this one.
#[utoipa::path(post, path = "/api/v1/auth/password", tag = "认证", request_body = PasswordChange,
    responses((status = 204), (status = 400, body = crate::error::ErrorBody)))]
pub async fn change_password(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<PasswordChange>,
) -> ApiResult<Response> {
    if !verify_password_blocking(req.old_password, caller.user.password_hash.clone()).await? {
        return Err(ApiError::field("old_password", "原密码不正确"));
    }
    let policy = security::policy::current(&app).await?;
    check_new_password(&app, &policy, &caller.user, &req.new_password).await?;
    let hash = hash_password_blocking(req.new_password).await?;
    user_use_cases::set_password(
        &app.store,
        app.clock.now_ms(),
        &caller.actor(),
        &caller.user,
        &hash,
        PasswordSetter::Own,
    )
    .await?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::SET_COOKIE,
        session_cookie("", 0, app.cfg.cookie_secure),
    );
    Ok((StatusCode::NO_CONTENT, headers).into_response())
}

/// Checks a new password of `user` against `policy`: strength, not the username, not the
/// current one nor one of the last `policy.history`.
pub async fn check_new_password(
    app: &AppState,
    policy: &Policy,
    user: &User,
    password: &str,
) -> ApiResult<()> {
    policy_rules::check_password(policy, &user.username, password)
        .map_err(|m| ApiError::field("new_password", m))?;
    let mut hashes =
        yingji_store::security::passwords::recent(&app.store, &user.id, policy.history).await?;
    hashes.push(user.password_hash.clone());
    for hash in hashes {
        if verify_password_blocking(password.to_string(), hash).await? {
            return Err(ApiError::field(
                "new_password",
                policy_rules::reused(policy.history.max(1)),
            ));
        }
    }
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub name: String,
    /// 有效期（天）, 1–365; 90 when absent.
    #[serde(default)]
    pub expires_in_days: Option<i64>,
    /// Reads only.
    #[serde(default)]
    pub read_only: bool,
    /// Limit to these resources (first path segment under /api/v1/, e.g. "readings").
    #[serde(default)]
    pub resources: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NewToken {
    /// Shown once; only its digest is stored.
    pub token: String,
    pub info: ApiToken,
}

/// 创建API令牌 for machine clients (acts with the creating user's role and scope).
#[utoipa::path(post, path = "/api/v1/tokens", tag = "认证", request_body = TokenRequest, responses((status = 201, body = NewToken)))]
pub async fn create_token(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<TokenRequest>,
) -> ApiResult<(StatusCode, Json<NewToken>)> {
    let now = app.clock.now_ms();
    let policy = security::policy::current(&app).await?;
    let days = match req.expires_in_days {
        Some(d) if d > policy.token_max_days => {
            return Err(ApiError::field(
                "expires_in_days",
                format!("有效期最长{}天", policy.token_max_days),
            ));
        }
        Some(d) => d,
        None => yingji_core::directory::token::DEFAULT_DAYS.min(policy.token_max_days),
    };
    let limits =
        yingji_core::directory::token::limits(now, Some(days), req.read_only, &req.resources)
            .map_err(|(field, m)| ApiError::field(field, m))?;
    let token = format!("yj_{}", random_token());
    let info = yingji_app::directory::tokens::create_token(
        &app.store,
        now,
        &caller.user,
        &req.name,
        &limits,
        &digest(&token),
        caller.ip.clone(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewToken {
            token,
            info: info.into(),
        }),
    ))
}

/// 我的API令牌.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "认证", responses((status = 200, body = Vec<ApiToken>)))]
pub async fn list_tokens(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ApiToken>>> {
    Ok(Json(
        tokens::list_tokens(&app.store, &caller.user.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// 吊销API令牌.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "认证", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revoke_token(
    State(app): State<AppState>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult<StatusCode> {
    yingji_app::directory::tokens::revoke_token(
        &app.store,
        app.clock.now_ms(),
        &caller.user,
        &id,
        caller.ip.clone(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let h = hash_password("Secret123").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Secret123", &h));
        assert!(!verify_password("secret123", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[tokio::test]
    async fn limiter_window() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("l.db").display());
        let store = yingji_store::Store::connect(&url).await.unwrap();
        yingji_store::migrate::run(&store, 0).await.unwrap();
        let l = RateLimiter::new(store.clone(), "t", 2);
        let other = RateLimiter::new(store, "u", 2);
        assert!(l.allow("a", 0).await.unwrap());
        assert!(!l.over("a", 1).await.unwrap());
        assert!(l.allow("a", 1).await.unwrap());
        assert!(l.over("a", 2).await.unwrap());
        assert_eq!(l.retry_after("a", 2_500).await.unwrap(), Some(58));
        assert!(l.allow("b", 2).await.unwrap());
        assert!(other.allow("a", 2).await.unwrap());
        assert!(l.allow("a", 60_001).await.unwrap());
    }
}
