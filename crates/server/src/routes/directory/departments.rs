//! 部门.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller};
use crate::routes::ListResponse;
use crate::routes::directory::api::departments::Department;
use crate::routes::directory::api::departments::DepartmentInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use yingji_store::directory::departments;

/// 部门列表 (within the caller's scope).
#[utoipa::path(get, path = "/api/v1/departments", tag = "部门", responses((status = 200, body = ListResponse<Department>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<Department>>> {
    let items = departments::list(&app.store, &caller.directory_scope()).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// 部门详情.
#[utoipa::path(get, path = "/api/v1/departments/{id}", tag = "部门", params(("id" = String, Path)), responses((status = 200, body = Department), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Department>> {
    Ok(Json(
        departments::get(&app.store, &caller.directory_scope(), &id)
            .await?
            .into(),
    ))
}

/// 新增部门 (administrators).
#[utoipa::path(post, path = "/api/v1/departments", tag = "部门", request_body = DepartmentInput, responses((status = 201, body = Department), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> ApiResult<(StatusCode, Json<Department>)> {
    caller.require_admin()?;
    Ok((
        StatusCode::CREATED,
        Json(
            yingji_app::directory::departments::create(
                &app.store,
                app.clock.now_ms(),
                &caller.actor(),
                &input.into(),
            )
            .await?
            .into(),
        ),
    ))
}

/// 修改部门 (administrators).
#[utoipa::path(put, path = "/api/v1/departments/{id}", tag = "部门", params(("id" = String, Path)), request_body = DepartmentInput, responses((status = 200, body = Department)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DepartmentInput>,
) -> ApiResult<Json<Department>> {
    caller.require_admin()?;
    Ok(Json(
        yingji_app::directory::departments::update(
            &app.store,
            app.clock.now_ms(),
            &caller.actor(),
            &id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}
