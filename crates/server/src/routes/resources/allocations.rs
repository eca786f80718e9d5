//! Allocation orders (物资调拨单) between warehouses.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::ctx;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use crate::routes::resources::api::allocations::Order;
use crate::routes::resources::api::allocations::OrderActionInput;
use crate::routes::resources::api::allocations::OrderInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use yingji_store::Page;
use yingji_store::resources::allocations;
use yingji_store::resources::allocations::OrderFilter;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrderQuery {
    /// requested / approved / shipped / received / rejected / cancelled
    pub status: Option<String>,
    pub incident_id: Option<String>,
    pub warehouse_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 调拨单, newest first.
#[utoipa::path(get, path = "/api/v1/allocation-orders", tag = "应急资源", params(OrderQuery), responses((status = 200, body = ListResponse<Order>)))]
pub async fn list_orders(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<Json<ListResponse<Order>>> {
    let f = OrderFilter {
        status: q.status,
        incident_id: q.incident_id,
        warehouse_id: q.warehouse_id,
    };
    let (items, total) = allocations::list(
        &app.store,
        &caller.scope,
        &f,
        Page::new(q.page, q.page_size),
    )
    .await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 申请调拨.
#[utoipa::path(post, path = "/api/v1/allocation-orders", tag = "应急资源", request_body = OrderInput, responses((status = 201, body = Order), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_order(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<OrderInput>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    let o = yingji_app::resources::allocations::create(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(o.into())))
}

#[utoipa::path(get, path = "/api/v1/allocation-orders/{id}", tag = "应急资源", responses((status = 200, body = Order), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_order(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Order>> {
    Ok(Json(
        allocations::get(&app.store, &caller.scope, &id)
            .await?
            .into(),
    ))
}

/// 审批 / 驳回 / 出库 / 签收 / 撤销, with per-line quantities for partial fulfilment.
#[utoipa::path(post, path = "/api/v1/allocation-orders/{id}/actions", tag = "应急资源", request_body = OrderActionInput, responses((status = 200, body = Order), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn act_order(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<OrderActionInput>,
) -> ApiResult<Json<Order>> {
    Ok(Json(
        yingji_app::resources::allocations::act(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}
