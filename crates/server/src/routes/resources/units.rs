//! Rescue teams (救援队伍) and experts (专家库).

use super::catalog::ResourceQuery;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::ctx;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use crate::routes::resources::api::experts::Expert;
use crate::routes::resources::api::experts::ExpertInput;
use crate::routes::resources::api::teams::Team;
use crate::routes::resources::api::teams::TeamInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use yingji_store::resources;

/// 救援队伍.
#[utoipa::path(get, path = "/api/v1/teams", tag = "应急资源", params(ResourceQuery), responses((status = 200, body = ListResponse<Team>)))]
pub async fn list_teams(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Json<ListResponse<Team>>> {
    let (f, page) = q.split();
    let (items, total) = resources::list_teams(&app.store, &caller.scope, &f, page).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 登记救援队伍.
#[utoipa::path(post, path = "/api/v1/teams", tag = "应急资源", request_body = TeamInput, responses((status = 201, body = Team), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_team(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<(StatusCode, Json<Team>)> {
    let t = yingji_app::resources::registers::create_team(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.try_into()?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "应急资源", responses((status = 200, body = Team), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_team(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Team>> {
    Ok(Json(
        resources::get_team(&app.store, &caller.scope, &id)
            .await?
            .into(),
    ))
}

/// 修改救援队伍 (a team out on an incident stays 出动 until it returns).
#[utoipa::path(put, path = "/api/v1/teams/{id}", tag = "应急资源", request_body = TeamInput, responses((status = 200, body = Team), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn update_team(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<Json<Team>> {
    Ok(Json(
        yingji_app::resources::registers::update_team(
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

/// 专家库.
#[utoipa::path(get, path = "/api/v1/experts", tag = "应急资源", params(ResourceQuery), responses((status = 200, body = ListResponse<Expert>)))]
pub async fn list_experts(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Json<ListResponse<Expert>>> {
    let (f, page) = q.split();
    let (items, total) = resources::list_experts(&app.store, &caller.scope, &f, page).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 专家入库.
#[utoipa::path(post, path = "/api/v1/experts", tag = "应急资源", request_body = ExpertInput, responses((status = 201, body = Expert), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_expert(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ExpertInput>,
) -> ApiResult<(StatusCode, Json<Expert>)> {
    let e = yingji_app::resources::registers::create_expert(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.try_into()?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

#[utoipa::path(get, path = "/api/v1/experts/{id}", tag = "应急资源", responses((status = 200, body = Expert), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_expert(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Expert>> {
    Ok(Json(
        resources::get_expert(&app.store, &caller.scope, &id)
            .await?
            .into(),
    ))
}

/// 修改专家信息.
#[utoipa::path(put, path = "/api/v1/experts/{id}", tag = "应急资源", request_body = ExpertInput, responses((status = 200, body = Expert), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_expert(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ExpertInput>,
) -> ApiResult<Json<Expert>> {
    Ok(Json(
        yingji_app::resources::registers::update_expert(
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
