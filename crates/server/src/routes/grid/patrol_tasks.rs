//! 巡查任务: give a patrol task, read them, record the track and finish.

use super::overlays_api::{PatrolTask, PatrolTaskInput, TrackInput};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::patrol_tasks as cases;
use yingji_store::grid::patrol_tasks::TaskFilter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get))
        .routes(routes!(track))
        .routes(routes!(finish))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TaskQuery {
    /// Only the caller's own (a grid worker always reads only theirs).
    pub mine: Option<bool>,
    pub assignee: Option<String>,
    pub grid_code: Option<String>,
}

/// 巡查任务: the caller's own, or (street staff, 局领导, administrators) those of their area.
#[utoipa::path(get, path = "/api/v1/grid/patrol-tasks", tag = "网格事件", params(TaskQuery), responses((status = 200, body = ListResponse<PatrolTask>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<TaskQuery>,
) -> ApiResult<Json<ListResponse<PatrolTask>>> {
    let f = TaskFilter {
        mine: q.mine.unwrap_or(false),
        assignee: q.assignee,
        grid_code: q.grid_code,
    };
    let items = cases::list(&app.store, &ctx(&caller), app.clock.now_ms(), &f).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Gives a patrol task to a worker for one of their grids (street staff of the grid's street,
/// 局领导, administrators).
#[utoipa::path(post, path = "/api/v1/grid/patrol-tasks", tag = "网格事件", request_body = PatrolTaskInput, responses((status = 201, body = PatrolTask), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PatrolTaskInput>,
) -> ApiResult<(StatusCode, Json<PatrolTask>)> {
    let t = cases::create(&app.store, &ctx(&caller), app.clock.now_ms(), &input.into()).await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

/// One patrol task with its route and track.
#[utoipa::path(get, path = "/api/v1/grid/patrol-tasks/{id}", tag = "网格事件", params(("id" = String, Path)), responses((status = 200, body = PatrolTask), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PatrolTask>> {
    Ok(Json(
        cases::get(&app.store, &ctx(&caller), app.clock.now_ms(), &id)
            .await?
            .into(),
    ))
}

/// The assignee's phone appends track points (the task is then 进行中); a bad point stores
/// nothing and is named (`points[i].lon`).
#[utoipa::path(post, path = "/api/v1/grid/patrol-tasks/{id}/track", tag = "网格事件", params(("id" = String, Path)), request_body = TrackInput, responses((status = 200, body = PatrolTask), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn track(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TrackInput>,
) -> ApiResult<Json<PatrolTask>> {
    let t = cases::progress(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.points(),
        false,
    )
    .await?;
    Ok(Json(t.into()))
}

/// The assignee finishes the task (with its last track points, if any).
#[utoipa::path(post, path = "/api/v1/grid/patrol-tasks/{id}/finish", tag = "网格事件", params(("id" = String, Path)), request_body = TrackInput, responses((status = 200, body = PatrolTask), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn finish(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TrackInput>,
) -> ApiResult<Json<PatrolTask>> {
    let t = cases::progress(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.points(),
        true,
    )
    .await?;
    Ok(Json(t.into()))
}
