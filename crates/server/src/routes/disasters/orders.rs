//! 断、禁、停、撤、疏 orders: issued with their scope in a warning's or incident's response, then
//! reported carried out.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::disasters::orders::{DisasterOrderCarryOut, DisasterOrderInput};
use yingji_store::disasters::orders;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, issue))
        .routes(routes!(carry_out))
}

/// A 断禁停撤疏 order.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DisasterOrder {
    pub id: String,
    /// road_closure / activity_ban / suspension / withdrawal / dispersal
    pub kind: String,
    pub kind_label: String,
    pub scope_text: String,
    pub object_ids: Vec<String>,
    pub region_code: String,
    pub region_name: String,
    pub warning_id: Option<String>,
    pub incident_id: Option<String>,
    pub issued_by: String,
    pub issued_ms: i64,
    /// issued / done
    pub status: String,
    pub carried_out_by: Option<String>,
    pub carried_out_ms: Option<i64>,
    pub carried_out_note: Option<String>,
}

impl From<orders::DisasterOrder> for DisasterOrder {
    fn from(o: orders::DisasterOrder) -> Self {
        Self {
            id: o.id,
            kind: o.kind,
            kind_label: o.kind_label,
            scope_text: o.scope_text,
            object_ids: o.object_ids,
            region_code: o.region_code,
            region_name: o.region_name,
            warning_id: o.warning_id,
            incident_id: o.incident_id,
            issued_by: o.issued_by,
            issued_ms: o.issued_ms,
            status: o.status,
            carried_out_by: o.carried_out_by,
            carried_out_ms: o.carried_out_ms,
            carried_out_note: o.carried_out_note,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrderQuery {
    pub warning_id: Option<String>,
    pub incident_id: Option<String>,
}

/// 断禁停撤疏指令 the caller sees, newest first.
#[utoipa::path(get, path = "/api/v1/disasters/orders", tag = "防灾减灾", params(OrderQuery), responses((status = 200, body = ListResponse<DisasterOrder>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<Json<ListResponse<DisasterOrder>>> {
    let items = orders::list(
        &app.store,
        &ctx(&caller),
        q.warning_id.as_deref(),
        q.incident_id.as_deref(),
    )
    .await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// 下达断禁停撤疏指令 (command, duty, department and street staff, inside their area).
#[utoipa::path(post, path = "/api/v1/disasters/orders", tag = "防灾减灾", request_body = DisasterOrderInput, responses((status = 201, body = DisasterOrder), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn issue(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<DisasterOrderInput>,
) -> ApiResult<(StatusCode, Json<DisasterOrder>)> {
    let o =
        yingji_app::disasters::orders::issue(&app.store, &ctx(&caller), app.clock.now_ms(), &input)
            .await?;
    Ok((StatusCode::CREATED, Json(o.into())))
}

/// 执行完毕: who carried the order out (now).
#[utoipa::path(post, path = "/api/v1/disasters/orders/{id}/carry-out", tag = "防灾减灾", params(("id" = String, Path)), request_body = DisasterOrderCarryOut, responses((status = 200, body = DisasterOrder), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn carry_out(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DisasterOrderCarryOut>,
) -> ApiResult<Json<DisasterOrder>> {
    let o = yingji_app::disasters::orders::carry_out(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input,
    )
    .await?;
    Ok(Json(o.into()))
}
