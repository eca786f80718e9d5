//! Request extractors that turn bad input into Chinese 4xx answers naming the field, and the
//! `Caller` extractor that authenticates a request and resolves its scope.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, FromRef, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use yingji_core::kernel::role::{Role, Scope};
use yingji_store::directory::users::{self, User};

/// Translates serde's English into a Chinese message that names the field.
pub fn describe_serde_error(path: &str, err: &str) -> String {
    let field = if path.is_empty() || path == "." {
        String::new()
    } else {
        format!("字段“{path}”")
    };
    let detail = if let Some(rest) = err.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or("");
        return format!("缺少必填字段“{name}”");
    } else if let Some(rest) = err.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or("");
        return format!("不认识的字段“{name}”");
    } else if err.starts_with("invalid type") {
        let expected = err
            .split("expected ")
            .nth(1)
            .unwrap_or("")
            .split(" at line")
            .next()
            .unwrap_or("");
        let cn = match expected {
            e if e.contains("f64")
                || e.contains("i64")
                || e.contains("integer")
                || e.contains("number")
                || e.contains("u32")
                || e.contains("u64") =>
            {
                "数字"
            }
            e if e.contains("string") || e.contains("str") => "文本",
            e if e.contains("sequence") => "数组",
            e if e.contains("bool") => "true/false",
            e if e.contains("map") || e.contains("struct") => "对象",
            _ => "正确的类型",
        };
        format!("类型错误，应为{cn}")
    } else if err.starts_with("invalid value") || err.starts_with("unknown variant") {
        "取值无效".to_string()
    } else if err.contains("EOF")
        || err.starts_with("expected")
        || err.contains("key must be a string")
        || err.contains("trailing")
    {
        return "请求体不是有效的JSON".to_string();
    } else {
        "格式错误".to_string()
    };
    if field.is_empty() {
        format!("请求体{detail}")
    } else {
        format!("{field}{detail}")
    }
}

/// JSON body with field-naming Chinese errors (axum's `Json` answers in English).
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请求体应为JSON（Content-Type: application/json）",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(body_error)?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(v) => Ok(ApiJson(v)),
            Err(e) => {
                let path = e.path().to_string();
                let msg = describe_serde_error(&path, &e.inner().to_string());
                let field = if path == "." { String::new() } else { path };
                Err(ApiError::bad_request(msg.clone())
                    .with_details(serde_json::json!([{"field": field, "message": msg}])))
            }
        }
    }
}

pub fn body_error(e: BytesRejection) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "请求体过大",
        )
    } else {
        ApiError::bad_request("无法读取请求体")
    }
}

/// Query string with Chinese errors.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded_de(q);
        match de {
            Ok(v) => Ok(ApiQuery(v)),
            Err((field, msg)) => Err(ApiError::field(&field, msg)),
        }
    }
}

/// Query strings are parsed as flat string maps and then converted per field, so a bad number
/// names its parameter.
fn serde_urlencoded_de<T: DeserializeOwned>(q: &str) -> Result<T, (String, String)> {
    let mut map = serde_json::Map::new();
    for pair in q.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = percent_decode(k);
        let v = percent_decode(v);
        if v.is_empty() {
            continue;
        }
        // Numbers and booleans are sent as JSON scalars so that typed fields accept them;
        // text fields accept them back through `string_or_number`.
        let val = if let Ok(n) = v.parse::<i64>() {
            serde_json::Value::from(n)
        } else if let Ok(f) = v
            .parse::<f64>()
            .map_err(|_| ())
            .and_then(|f| if f.is_finite() { Ok(f) } else { Err(()) })
        {
            serde_json::json!(f)
        } else if v == "true" || v == "false" {
            serde_json::Value::Bool(v == "true")
        } else {
            serde_json::Value::String(v)
        };
        map.insert(k, val);
    }
    let value = serde_json::Value::Object(map);
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = e.path().to_string();
        (
            path.clone(),
            describe_serde_error(&path, &e.inner().to_string()).replace("字段", "参数"),
        )
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(
                    std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                    16,
                ) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Deserialises text fields that may arrive as numbers in a query string (codes like 360403).
pub fn string_or_number<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    let v: Option<serde_json::Value> = serde::Deserialize::deserialize(d)?;
    Ok(match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

/// The client's address as `crate::edge` resolved it behind the trusted proxies.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub std::net::IpAddr);

/// The client's address: behind a trusted proxy the forwarded one, else the socket peer.
pub fn client_addr(parts: &Parts) -> Option<std::net::IpAddr> {
    parts
        .extensions
        .get::<ClientAddr>()
        .map(|c| c.0)
        .or_else(|| {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        })
}

/// The client's address, for rate limits and the audit log.
pub fn client_ip(parts: &Parts) -> Option<String> {
    client_addr(parts).map(|ip| ip.to_string())
}

/// The key rate limits count this client under (an IPv6 client by its /64), "?" when unknown.
pub fn rate_key(parts: &Parts) -> String {
    client_addr(parts).map_or_else(
        || "?".into(),
        yingji_core::kernel::rate_limit::client_network,
    )
}

pub const SESSION_COOKIE: &str = "yingji_session";

/// An authenticated caller with the scope every query of theirs is limited to.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub scope: Scope,
    pub ip: Option<String>,
    /// The session token's hash when authenticated by cookie (for logout).
    pub session_hash: Option<String>,
}

impl Caller {
    pub fn role(&self) -> Role {
        self.user.role()
    }
    pub fn actor(&self) -> yingji_store::Actor {
        self.user.actor(self.ip.clone())
    }
    /// The scope for reading regions and departments (the security administrator reads all).
    pub fn directory_scope(&self) -> Scope {
        Scope::for_directory(self.role(), &self.scope)
    }
    /// 系统管理员 only (accounts, regions, departments, configuration).
    pub fn require_admin(&self) -> Result<(), ApiError> {
        use yingji_core::security::admins;
        if self.role().is_admin() {
            Ok(())
        } else {
            Err(ApiError::forbidden(admins::ONLY_SYSTEM_ADMIN))
        }
    }
    /// 安全审计员 only (the audit log: list, export, verify).
    pub fn require_auditor(&self) -> Result<(), ApiError> {
        use yingji_core::security::admins;
        if self.role().reads_audit() {
            Ok(())
        } else {
            Err(ApiError::forbidden(admins::ONLY_AUDITOR))
        }
    }
    /// 安全保密管理员 only (password/session policy, second-factor settings).
    pub fn require_security_admin(&self) -> Result<(), ApiError> {
        use yingji_core::security::admins;
        if self.role().manages_security() {
            Ok(())
        } else {
            Err(ApiError::forbidden(admins::ONLY_SECURITY_ADMIN))
        }
    }
}

pub fn cookie_value(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Paths a user who must change the password may still call.
const PASSWORD_CHANGE_PATHS: &[&str] = &[
    "/api/v1/auth/me",
    "/api/v1/auth/password",
    "/api/v1/auth/logout",
];

/// Where a user who must enrol a second factor may still go.
const FACTOR_PATHS: &str = "/api/v1/security/factor";
/// The console's security settings (the watermark), read on every page, enrolment included.
const SETTINGS_PATH: &str = "/api/v1/security/settings";

/// Whether `user` must enrol a second factor before anything else: the policy requires one of
/// the role, it is enforced, and the account has neither a TOTP nor a mobile number for SMS.
async fn enrolment_due(
    app: &AppState,
    policy: &yingji_core::security::policy::Policy,
    user: &User,
) -> Result<bool, ApiError> {
    if !app.cfg.second_factor_enforced
        || !yingji_core::security::policy::factor_required(policy, &user.role)
        || crate::routes::security::factor::sms_phone(user).is_some()
    {
        return Ok(false);
    }
    Ok(!yingji_store::security::factors::enrolled(&app.store, &user.id).await?)
}

/// What a signed-in user must do before anything else: change a first or expired password,
/// enrol a required second factor (the password and factor routes stay open for that).
async fn admit(
    app: &AppState,
    policy: &yingji_core::security::policy::Policy,
    user: &User,
    path: &str,
    now: i64,
) -> Result<(), ApiError> {
    if !PASSWORD_CHANGE_PATHS.contains(&path) {
        if user.must_change_password {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "password_change_required",
                "首次登录或密码已重置，请先修改密码",
            ));
        }
        if crate::auth::password_expired(policy, user, now) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "password_expired",
                yingji_core::security::policy::PASSWORD_EXPIRED,
            ));
        }
        if !path.starts_with(FACTOR_PATHS)
            && path != SETTINGS_PATH
            && enrolment_due(app, policy, user).await?
        {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "second_factor_required",
                yingji_core::security::factor::FACTOR_REQUIRED,
            ));
        }
    }
    Ok(())
}

impl<S> FromRequestParts<S> for Caller
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = AppState::from_ref(state);
        let now = app.clock.now_ms();
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .map(str::to_string);
        let policy = crate::routes::security::policy::current(&app).await?;
        let path = parts.uri.path();
        let (user, session_hash) = if let Some(token) = bearer {
            let t = yingji_store::directory::tokens::token_user(
                &app.store,
                now,
                &crate::auth::digest(&token),
            )
            .await?;
            if let Some(t) = &t {
                if !yingji_core::security::factor::token_may_reach(path) {
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        "token_limited",
                        yingji_core::security::factor::TOKEN_REFUSED,
                    ));
                }
                yingji_core::directory::token::permits(
                    t.read_only,
                    &t.resources,
                    parts.method.as_str(),
                    path,
                )
                .map_err(|m| ApiError::new(StatusCode::FORBIDDEN, "token_limited", m))?;
            }
            (t.map(|t| t.user), None)
        } else if let Some(token) = cookie_value(parts, SESSION_COOKIE) {
            let hash = crate::auth::digest(&token);
            let life = crate::routes::security::policy::lifetimes(&app, &policy);
            (
                yingji_store::directory::sessions::session_user(&app.store, now, &hash, life)
                    .await?,
                Some(hash),
            )
        } else {
            (None, None)
        };
        let user = user.ok_or_else(ApiError::unauthorized)?;
        admit(&app, &policy, &user, path, now).await?;
        // 三员分立: the security administrator and the auditor reach only their own routes.
        if !user.role().reaches(parts.method.as_str(), parts.uri.path()) {
            return Err(ApiError::forbidden(
                yingji_core::security::admins::NOT_FOR_ROLE,
            ));
        }
        let scope = users::scope_of(&app.store, &user).await?;
        Ok(Caller {
            user,
            scope,
            ip: client_ip(parts),
            session_hash,
        })
    }
}

/// Who sends readings over HTTP: a gateway with the same code and secret it uses for MQTT
/// (HTTP Basic), or a signed-in user or API token.
pub enum Reporter {
    Gateway(yingji_store::monitoring::gateways::GatewayAuth),
    User(Box<Caller>),
}

impl Reporter {
    pub fn scope(&self) -> &Scope {
        match self {
            Reporter::Gateway(g) => &g.scope,
            Reporter::User(c) => &c.scope,
        }
    }
}

impl<S> FromRequestParts<S> for Reporter
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use base64::Engine;
        let basic = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Basic "))
            .map(str::trim);
        let Some(basic) = basic else {
            return Ok(Reporter::User(Box::new(
                Caller::from_request_parts(parts, state).await?,
            )));
        };
        let app = AppState::from_ref(state);
        let refused = || {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "网关编码或密钥错误，或网关已停用",
            )
        };
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(refused)?;
        let (code, secret) = decoded.split_once(':').ok_or_else(refused)?;
        let digest = crate::auth::digest(secret);
        let gateway = yingji_store::monitoring::gateways::authenticate(&app.store, code, &digest)
            .await?
            .ok_or_else(refused)?;
        let _ =
            yingji_store::monitoring::gateways::touch(&app.store, &gateway.id, app.clock.now_ms())
                .await;
        Ok(Reporter::Gateway(gateway))
    }
}

/// The acting user as the store's write context.
/// The `Idempotency-Key` header of a write a phone may send again (hazard report, patrol
/// check-in, work-order answer): checked, absent as None. The use case answers the first
/// record of a key it has seen (`yingji_store::kernel::idempotency`).
pub struct IdempotencyKey(pub Option<String>);

impl<S> FromRequestParts<S> for IdempotencyKey
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        use yingji_core::kernel::idempotency::{HEADER, check_key};
        let Some(v) = parts.headers.get(HEADER) else {
            return Ok(Self(None));
        };
        let raw = v.to_str().unwrap_or("\u{fffd}");
        check_key(raw)
            .map(|k| Self(Some(k)))
            .map_err(|m| ApiError::field(HEADER, m))
    }
}

impl IdempotencyKey {
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

pub fn ctx(caller: &Caller) -> yingji_store::kernel::Ctx {
    yingji_store::kernel::Ctx {
        actor: caller.actor(),
        user_id: caller.user.id.clone(),
        display_name: caller.user.display_name.clone(),
        role: caller.role(),
        scope: caller.scope.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_are_chinese() {
        assert_eq!(
            describe_serde_error(
                "lon",
                "invalid type: string \"x\", expected f64 at line 1 column 9"
            ),
            "字段“lon”类型错误，应为数字"
        );
        assert_eq!(
            describe_serde_error(".", "missing field `name` at line 1 column 2"),
            "缺少必填字段“name”"
        );
        assert_eq!(
            describe_serde_error(".", "EOF while parsing an object at line 1 column 1"),
            "请求体不是有效的JSON"
        );
    }

    #[test]
    fn decodes_percent() {
        assert_eq!(percent_decode("%E6%B5%94%E9%98%B3+x"), "浔阳 x");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
