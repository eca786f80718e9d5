//! 采集网关: the device credentials of MQTT and HTTP ingest, and what ingest has counted.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use crate::routes::monitoring::api::gateways::Gateway;
use crate::routes::monitoring::api::gateways::GatewayInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use yingji_ingest::StatsSnapshot;
use yingji_store::Page;
use yingji_store::monitoring::gateways;
use yingji_store::monitoring::gateways::GatewayChange;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GatewayView {
    #[serde(flatten)]
    pub gateway: Gateway,
    /// The topic it publishes to.
    pub topic: String,
    /// The last fault ingest saw from it on this node (time, message).
    pub last_error_ms: Option<i64>,
    pub last_error: Option<String>,
}

/// A gateway with its secret, answered once: at registration and when the secret is reset.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GatewaySecret {
    #[serde(flatten)]
    pub gateway: GatewayView,
    /// MQTT password / HTTP Basic password. Shown only now; only its digest is kept.
    pub secret: String,
}

fn view(app: &AppState, gateway: Gateway) -> GatewayView {
    let last = app.ingest.stats.last_error(&gateway.code);
    GatewayView {
        topic: yingji_ingest::mqtt::readings_topic(&gateway.code),
        last_error_ms: last.as_ref().map(|l| l.0),
        last_error: last.map(|l| l.1),
        gateway,
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GatewayQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 采集网关列表, with each gateway's last ingest fault.
#[utoipa::path(get, path = "/api/v1/gateways", tag = "重大危险源", params(GatewayQuery), responses((status = 200, body = ListResponse<GatewayView>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<GatewayQuery>,
) -> ApiResult<Json<ListResponse<GatewayView>>> {
    let (items, total) =
        gateways::list(&app.store, &caller.scope, Page::new(q.page, q.page_size)).await?;
    let items = items.into_iter().map(|g| view(&app, g.into())).collect();
    Ok(Json(ListResponse { items, total }))
}

/// 登记采集网关. The answer carries the secret, once.
#[utoipa::path(post, path = "/api/v1/gateways", tag = "重大危险源", request_body = GatewayInput, responses((status = 201, body = GatewaySecret), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<GatewayInput>,
) -> ApiResult<(StatusCode, Json<GatewaySecret>)> {
    let secret = crate::auth::random_token();
    let g = yingji_app::monitoring::gateways::create(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &input.into(),
        &crate::auth::digest(&secret),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(GatewaySecret {
            gateway: view(&app, g.into()),
            secret,
        }),
    ))
}

/// 重置密钥: the old secret stops working at once (connected sessions keep running until they
/// reconnect).
#[utoipa::path(post, path = "/api/v1/gateways/{id}/secret", tag = "重大危险源", params(("id" = String, Path)), responses((status = 200, body = GatewaySecret), (status = 404, body = crate::error::ErrorBody)))]
pub async fn rotate(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<GatewaySecret>> {
    let secret = crate::auth::random_token();
    let digest = crate::auth::digest(&secret);
    let g = yingji_app::monitoring::gateways::change(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &id,
        GatewayChange::Secret(&digest),
    )
    .await?;
    Ok(Json(GatewaySecret {
        gateway: view(&app, g.into()),
        secret,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewayPatch {
    pub active: bool,
}

/// 启用/停用采集网关.
#[utoipa::path(patch, path = "/api/v1/gateways/{id}", tag = "重大危险源", params(("id" = String, Path)), request_body = GatewayPatch, responses((status = 200, body = GatewayView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<GatewayPatch>,
) -> ApiResult<Json<GatewayView>> {
    let g = yingji_app::monitoring::gateways::change(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &id,
        GatewayChange::Active(patch.active),
    )
    .await?;
    Ok(Json(view(&app, g.into())))
}

/// 接入统计: what ingest on this node took in and turned away since it started.
#[utoipa::path(get, path = "/api/v1/ingest/stats", tag = "重大危险源", responses((status = 200, body = StatsSnapshot)))]
pub async fn stats(State(app): State<AppState>, _caller: Caller) -> Json<StatsSnapshot> {
    Json(app.ingest.stats.snapshot())
}
