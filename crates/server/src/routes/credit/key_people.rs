//! 关键岗位人员 of an enterprise: kept by the enterprise itself and its supervising department.

use super::api::licences::KeyPerson;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::credit::key_people as app;
use yingji_core::credit::key_people::KeyPersonInput;
use yingji_core::kernel::clock::today;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(update, remove))
}

/// Adds a key person of an enterprise.
#[utoipa::path(post, path = "/api/v1/credit/enterprises/{id}/key-people", tag = "企业信用", params(("id" = String, Path)), request_body = KeyPersonInput, responses((status = 201, body = KeyPerson), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<KeyPersonInput>,
) -> ApiResult<(StatusCode, Json<KeyPerson>)> {
    let now = app.clock.now_ms();
    let p = app::save(&app.store, now, &ctx(&caller), &id, None, &input).await?;
    Ok((StatusCode::CREATED, Json(KeyPerson::of(p, today(now)))))
}

/// Changes a key person of an enterprise.
#[utoipa::path(put, path = "/api/v1/credit/enterprises/{id}/key-people/{person_id}", tag = "企业信用", params(("id" = String, Path), ("person_id" = String, Path)), request_body = KeyPersonInput, responses((status = 200, body = KeyPerson), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, person_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<KeyPersonInput>,
) -> ApiResult<Json<KeyPerson>> {
    let now = app.clock.now_ms();
    let p = app::save(
        &app.store,
        now,
        &ctx(&caller),
        &id,
        Some(&person_id),
        &input,
    )
    .await?;
    Ok(Json(KeyPerson::of(p, today(now))))
}

/// Removes a key person of an enterprise.
#[utoipa::path(delete, path = "/api/v1/credit/enterprises/{id}/key-people/{person_id}", tag = "企业信用", params(("id" = String, Path), ("person_id" = String, Path)), responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn remove(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, person_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    app::delete(
        &app.store,
        app.clock.now_ms(),
        &ctx(&caller),
        &id,
        &person_id,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
