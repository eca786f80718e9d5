//! Dispatches of teams, experts and materials to an incident, and their return.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::ctx;
use crate::extract::{ApiJson, Caller};
use crate::routes::response::api::dispatches::Dispatch;
use crate::routes::response::api::dispatches::DispatchInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use yingji_store::response::dispatches;

/// Teams and experts sent to an incident.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/dispatches", tag = "应急响应", responses((status = 200, body = Vec<Dispatch>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_dispatches(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Dispatch>>> {
    Ok(Json(
        dispatches::list(&app.store, &caller.scope, &id, app.clock.now_ms())
            .await?
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>(),
    ))
}

/// 调派 a team (from 待命) or an expert to the incident.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/dispatches", tag = "应急响应", request_body = DispatchInput, responses((status = 201, body = Vec<Dispatch>), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn dispatch(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DispatchInput>,
) -> ApiResult<(StatusCode, Json<Vec<Dispatch>>)> {
    let d = yingji_app::response::dispatches::dispatch(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.into(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(d.into_iter().map(Into::into).collect()),
    ))
}

/// 归队.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/dispatches/{dispatch_id}/return", tag = "应急响应", responses((status = 200, body = Vec<Dispatch>), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn return_back(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, dispatch_id)): Path<(String, String)>,
) -> ApiResult<Json<Vec<Dispatch>>> {
    Ok(Json(
        yingji_app::response::dispatches::return_back(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &dispatch_id,
        )
        .await?
        .into_iter()
        .map(Into::into)
        .collect::<Vec<_>>(),
    ))
}
