//! Emergency shelters (应急避难场所) and their occupancy movements.

use super::catalog::ResourceQuery;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::ctx;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use crate::routes::resources::api::shelters::Shelter;
use crate::routes::resources::api::shelters::ShelterInput;
use crate::routes::resources::api::shelters::ShelterMovementInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use yingji_store::resources;

/// 避难场所.
#[utoipa::path(get, path = "/api/v1/shelters", tag = "应急资源", params(ResourceQuery), responses((status = 200, body = ListResponse<Shelter>)))]
pub async fn list_shelters(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Json<ListResponse<Shelter>>> {
    let (f, page) = q.split();
    let (items, total) = resources::list_shelters(&app.store, &caller.scope, &f, page).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

#[utoipa::path(post, path = "/api/v1/shelters", tag = "应急资源", request_body = ShelterInput, responses((status = 201, body = Shelter), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_shelter(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ShelterInput>,
) -> ApiResult<(StatusCode, Json<Shelter>)> {
    let s = yingji_app::resources::registers::create_shelter(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.try_into()?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(s.into())))
}

#[utoipa::path(get, path = "/api/v1/shelters/{id}", tag = "应急资源", responses((status = 200, body = Shelter), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_shelter(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Shelter>> {
    Ok(Json(
        resources::get_shelter(&app.store, &caller.scope, &id)
            .await?
            .into(),
    ))
}

/// 修改避难场所（开放、关闭和入住由场所动态办理）.
#[utoipa::path(put, path = "/api/v1/shelters/{id}", tag = "应急资源", request_body = ShelterInput, responses((status = 200, body = Shelter), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_shelter(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ShelterInput>,
) -> ApiResult<Json<Shelter>> {
    Ok(Json(
        yingji_app::resources::registers::update_shelter(
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

/// 开放 / 关闭 / 入住 / 离开.
#[utoipa::path(post, path = "/api/v1/shelters/{id}/movements", tag = "应急资源", request_body = ShelterMovementInput, responses((status = 200, body = Shelter), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn shelter_movement(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ShelterMovementInput>,
) -> ApiResult<Json<Shelter>> {
    Ok(Json(
        yingji_app::resources::shelters::shelter_movement(
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
