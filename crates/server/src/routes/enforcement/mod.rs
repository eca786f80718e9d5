//! 执法监管: the 执法事项目录, the 执法检查人员名录库 with 回避, 双随机 draws (run, 复核, publish),
//! the inspection tasks, and the public page of published draws (一公开).

pub mod api;
mod cases;
mod documents;
mod draws;
mod inspection_api;
mod inspections;
mod joint;
mod outcomes;
mod plans;
mod receipts;
mod review;
mod stats;

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::{Limits, ListResponse};
use api::{ConflictInput, Inspector, InspectorInput, Item, ItemInput, PoolPerson};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_store::enforcement::{inspectors, items};

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_items, create_item))
        .routes(routes!(list_inspectors, register_inspector))
        .routes(routes!(add_conflict))
        .routes(routes!(list_people))
        .merge(draws::router())
        .merge(plans::router())
        .merge(joint::router())
        .merge(outcomes::router())
        .merge(inspections::router())
        .merge(cases::router())
        .merge(documents::router())
        .merge(stats::router())
        .merge(receipts::router())
        .merge(review::router())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DepartmentQuery {
    /// Only this department's.
    pub department: Option<String>,
}

/// 执法事项目录 of the departments the caller may see.
#[utoipa::path(get, path = "/api/v1/enforcement/items", tag = "执法监管", params(DepartmentQuery), responses((status = 200, body = ListResponse<Item>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_items(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DepartmentQuery>,
) -> ApiResult<Json<ListResponse<Item>>> {
    let items = items::list(&app.store, &ctx(&caller), q.department.as_deref()).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Adds an item to a department's 执法事项目录 (局领导, 部门人员 for their own, 管理员).
#[utoipa::path(post, path = "/api/v1/enforcement/items", tag = "执法监管", request_body = ItemInput, responses((status = 201, body = Item), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_item(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ItemInput>,
) -> ApiResult<(StatusCode, Json<Item>)> {
    let department = input.department_id.clone();
    let item = yingji_app::enforcement::registry::create_item(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        department.as_deref(),
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(item.into())))
}

/// 执法检查人员名录库: the inspectors with their 执法证 and 回避.
#[utoipa::path(get, path = "/api/v1/enforcement/inspectors", tag = "执法监管", params(DepartmentQuery), responses((status = 200, body = ListResponse<Inspector>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_inspectors(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DepartmentQuery>,
) -> ApiResult<Json<ListResponse<Inspector>>> {
    let items = inspectors::list(&app.store, &ctx(&caller), q.department.as_deref(), false).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Enters an inspector in their department's pool with their 执法证 (again: renews it).
#[utoipa::path(post, path = "/api/v1/enforcement/inspectors", tag = "执法监管", request_body = InspectorInput, responses((status = 201, body = Inspector), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn register_inspector(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<InspectorInput>,
) -> ApiResult<(StatusCode, Json<Inspector>)> {
    let i = yingji_app::enforcement::registry::register_inspector(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(i.into())))
}

/// 回避: records an enterprise the inspector must not inspect.
#[utoipa::path(post, path = "/api/v1/enforcement/inspectors/{user_id}/conflicts", tag = "执法监管", params(("user_id" = String, Path)), request_body = ConflictInput, responses((status = 200, body = Inspector), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn add_conflict(
    State(app): State<AppState>,
    caller: Caller,
    Path(user_id): Path<String>,
    ApiJson(input): ApiJson<ConflictInput>,
) -> ApiResult<Json<Inspector>> {
    let i = yingji_app::enforcement::registry::add_conflict(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &user_id,
        &input.enterprise_id,
        &input.reason,
    )
    .await?;
    Ok(Json(i.into()))
}

/// The people the caller may enter in their departments' 执法检查人员名录库 (执法人员 and department
/// staff, active), each with whether they are in it already (局领导, 部门人员, 管理员).
#[utoipa::path(get, path = "/api/v1/enforcement/people", tag = "执法监管", responses((status = 200, body = ListResponse<PoolPerson>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_people(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<PoolPerson>>> {
    let items = yingji_app::enforcement::registry::people(&app.store, &ctx(&caller)).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}
