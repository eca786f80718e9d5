//! Warehouses (物资储备库), stock lines and their movements.

use super::catalog::ResourceQuery;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::ctx;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use crate::routes::resources::api::stock::Movement;
use crate::routes::resources::api::stock::MovementInput;
use crate::routes::resources::api::stock::StockEdit;
use crate::routes::resources::api::stock::StockInput;
use crate::routes::resources::api::stock::StockLine;
use crate::routes::resources::api::warehouses::Warehouse;
use crate::routes::resources::api::warehouses::WarehouseInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use yingji_store::resources;

/// 储备库, with counts of their lines below minimum and expiring.
#[utoipa::path(get, path = "/api/v1/warehouses", tag = "应急资源", params(ResourceQuery), responses((status = 200, body = ListResponse<Warehouse>)))]
pub async fn list_warehouses(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Json<ListResponse<Warehouse>>> {
    let (f, page) = q.split();
    let (items, total) =
        resources::list_warehouses(&app.store, &caller.scope, &f, page, app.clock.now_ms()).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

#[utoipa::path(post, path = "/api/v1/warehouses", tag = "应急资源", request_body = WarehouseInput, responses((status = 201, body = Warehouse), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_warehouse(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<WarehouseInput>,
) -> ApiResult<(StatusCode, Json<Warehouse>)> {
    let w = yingji_app::resources::registers::create_warehouse(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.try_into()?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(w.into())))
}

#[utoipa::path(get, path = "/api/v1/warehouses/{id}", tag = "应急资源", responses((status = 200, body = Warehouse), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_warehouse(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Warehouse>> {
    Ok(Json(
        resources::get_warehouse(&app.store, &caller.scope, &id, app.clock.now_ms())
            .await?
            .into(),
    ))
}

/// 修改储备库.
#[utoipa::path(put, path = "/api/v1/warehouses/{id}", tag = "应急资源", request_body = WarehouseInput, responses((status = 200, body = Warehouse), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_warehouse(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<WarehouseInput>,
) -> ApiResult<Json<Warehouse>> {
    Ok(Json(
        yingji_app::resources::registers::update_warehouse(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &input.try_into()?,
        )
        .await?
        .into(),
    ))
}

/// 库存: stock lines with available, reserved, minimum and expiry alerts.
#[utoipa::path(get, path = "/api/v1/stock", tag = "应急资源", params(ResourceQuery), responses((status = 200, body = ListResponse<StockLine>)))]
pub async fn list_stock(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Json<ListResponse<StockLine>>> {
    let (f, page) = q.split();
    let (items, total) =
        resources::list_stock(&app.store, &caller.scope, &f, page, app.clock.now_ms()).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 建立库存行 (the opening quantity is the first 入库 of its ledger).
#[utoipa::path(post, path = "/api/v1/stock", tag = "应急资源", request_body = StockInput, responses((status = 201, body = StockLine), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create_stock(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<StockInput>,
) -> ApiResult<(StatusCode, Json<StockLine>)> {
    let s = yingji_app::resources::registers::create_stock(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(s.into())))
}

#[utoipa::path(get, path = "/api/v1/stock/{id}", tag = "应急资源", responses((status = 200, body = StockLine), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_stock(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<StockLine>> {
    Ok(Json(
        resources::get_stock(&app.store, &caller.scope, &id, app.clock.now_ms())
            .await?
            .into(),
    ))
}

/// 修改库存行（储备方式、最低库存、有效期、供应单位；数量只随台账变化）.
#[utoipa::path(put, path = "/api/v1/stock/{id}", tag = "应急资源", request_body = StockEdit, responses((status = 200, body = StockLine), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_stock(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StockEdit>,
) -> ApiResult<Json<StockLine>> {
    Ok(Json(
        yingji_app::resources::stock::update_stock(
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

/// 台账: the movements of a stock line, oldest first, with the balance after each.
#[utoipa::path(get, path = "/api/v1/stock/{id}/movements", tag = "应急资源", responses((status = 200, body = Vec<Movement>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_movements(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Movement>>> {
    Ok(Json(
        resources::movements(&app.store, &caller.scope, &id, app.clock.now_ms())
            .await?
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>(),
    ))
}

/// 入库 / 出库 / 盘点 / 报损.
#[utoipa::path(post, path = "/api/v1/stock/{id}/movements", tag = "应急资源", request_body = MovementInput, responses((status = 201, body = StockLine), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn add_movement(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<MovementInput>,
) -> ApiResult<(StatusCode, Json<StockLine>)> {
    let s = yingji_app::resources::stock::add_movement(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(s.into())))
}
