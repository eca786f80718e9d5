//! The HTTP hooks of an external MQTT broker (EMQX's HTTP authentication and authorization,
//! mosquitto-go-auth's http backend): gateways log in at the broker with their code and secret,
//! checked here as the embedded broker checks them, and publish only to their own topic. Only
//! callers with the configured shared secret (header `X-Yingji-Hook-Secret`, or `?secret=` for
//! mosquitto-go-auth, which sends no custom header) are answered; the hooks change nothing.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use yingji_core::kernel::secret::digest;
use yingji_core::monitoring::broker_hook::{
    BrokerAction, HOOK_SECRET_WRONG, LOGIN_DENIED, TOPIC_DENIED, bridge_may, gateway_may,
};
use yingji_ingest::IngestStats;
use yingji_store::monitoring::gateways;

/// The hooks' settings (`[mqtt]` auth_hook_secret and the bridge's own login).
#[derive(Debug, Clone, Default)]
pub struct HookConfig {
    /// Shared secret the broker sends in `X-Yingji-Hook-Secret`; empty: the hooks answer 404.
    pub secret: String,
    /// yingji's bridge login at the broker (`external_username`/`external_password`): it may
    /// subscribe to the readings; empty: no bridge login is accepted here.
    pub bridge_username: String,
    pub bridge_password: String,
}

pub const SECRET_HEADER: &str = "x-yingji-hook-secret";

/// For brokers that cannot send a header (mosquitto-go-auth): the secret in the query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HookQuery {
    /// The shared secret, when the `X-Yingji-Hook-Secret` header cannot be sent.
    pub secret: Option<String>,
}

/// A login as the broker forwards it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BrokerLogin {
    pub username: Option<String>,
    pub password: Option<String>,
    pub clientid: Option<String>,
}

/// A topic check as the broker forwards it: EMQX sends `action`, mosquitto-go-auth `acc`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BrokerAccess {
    pub username: Option<String>,
    pub clientid: Option<String>,
    pub topic: Option<String>,
    /// "publish", "subscribe" or "all" (EMQX).
    pub action: Option<String>,
    /// 1 read, 2 write, 3 read and write, 4 subscribe (mosquitto-go-auth).
    pub acc: Option<i64>,
}

/// The answer, always 200 when the caller is trusted: EMQX reads `result`, mosquitto-go-auth
/// (http_response_mode json) reads `ok` and `error`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BrokerVerdict {
    /// "allow" or "deny".
    pub result: String,
    pub ok: bool,
    pub is_superuser: bool,
    /// Why it was denied; empty when allowed.
    pub error: String,
}

fn verdict(allow: bool, why: &str) -> Json<BrokerVerdict> {
    Json(BrokerVerdict {
        result: if allow { "allow" } else { "deny" }.into(),
        ok: allow,
        is_superuser: false,
        error: if allow { String::new() } else { why.into() },
    })
}

/// Refuses callers without the shared secret, in the header or the query (404 when the hooks
/// are off).
fn trusted(app: &AppState, headers: &HeaderMap, query: &HookQuery) -> ApiResult<()> {
    let hook = &app.cfg.broker_hook;
    if hook.secret.is_empty() {
        return Err(ApiError::not_found());
    }
    let given = headers
        .get(SECRET_HEADER)
        .and_then(|v| v.to_str().ok())
        .or(query.secret.as_deref())
        .unwrap_or_default();
    // Digests compared, so the time taken says nothing about the secret.
    if digest(given) != digest(&hook.secret) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            HOOK_SECRET_WRONG,
        ));
    }
    Ok(())
}

/// MQTT 代理登录回调: a gateway's code and secret (or yingji's bridge login) → allow or deny.
#[utoipa::path(post, path = "/api/mqtt/auth", tag = "重大危险源", request_body = BrokerLogin,
    params(("X-Yingji-Hook-Secret" = Option<String>, Header, description = "[mqtt] auth_hook_secret"), HookQuery),
    responses((status = 200, body = BrokerVerdict), (status = 401, body = crate::error::ErrorBody)))]
pub async fn auth(
    State(app): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<HookQuery>,
    ApiJson(login): ApiJson<BrokerLogin>,
) -> ApiResult<Json<BrokerVerdict>> {
    trusted(&app, &headers, &query)?;
    let hook = &app.cfg.broker_hook;
    let user = login.username.unwrap_or_default();
    let password = login.password.unwrap_or_default();
    let allow = if !hook.bridge_username.is_empty() && user == hook.bridge_username {
        // An empty configured password never lets anyone in as the bridge.
        !password.is_empty() && digest(&password) == digest(&hook.bridge_password)
    } else if user.is_empty() || password.is_empty() {
        false
    } else {
        gateways::authenticate(&app.store, &user, &digest(&password))
            .await?
            .is_some()
    };
    if !allow {
        IngestStats::bump(&app.ingest.stats.auth_failures, 1);
        tracing::info!(%user, clientid = ?login.clientid, "MQTT login refused by the broker hook");
    }
    Ok(verdict(allow, LOGIN_DENIED))
}

/// MQTT 代理主题授权回调: a gateway publishes only to `yj/<its code>/readings`; the bridge
/// subscribes to the readings.
#[utoipa::path(post, path = "/api/mqtt/acl", tag = "重大危险源", request_body = BrokerAccess,
    params(("X-Yingji-Hook-Secret" = Option<String>, Header, description = "[mqtt] auth_hook_secret"), HookQuery),
    responses((status = 200, body = BrokerVerdict), (status = 401, body = crate::error::ErrorBody)))]
pub async fn acl(
    State(app): State<AppState>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<HookQuery>,
    ApiJson(access): ApiJson<BrokerAccess>,
) -> ApiResult<Json<BrokerVerdict>> {
    trusted(&app, &headers, &query)?;
    let hook = &app.cfg.broker_hook;
    let user = access.username.unwrap_or_default();
    let topic = access.topic.unwrap_or_default();
    let Some(action) = BrokerAction::parse(access.action.as_deref(), access.acc) else {
        return Ok(verdict(false, TOPIC_DENIED));
    };
    let allow = if !hook.bridge_username.is_empty() && user == hook.bridge_username {
        bridge_may(action, &topic)
    } else {
        // A switched-off gateway is refused here too, not only at its next login.
        gateway_may(&user, action, &topic) && gateways::by_code(&app.store, &user).await?.is_some()
    };
    if !allow {
        tracing::info!(%user, %topic, ?action, clientid = ?access.clientid, "MQTT topic refused by the broker hook");
    }
    Ok(verdict(allow, TOPIC_DENIED))
}
