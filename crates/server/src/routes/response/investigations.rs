//! Accident investigations (事故调查) and their follow-up measures.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::ctx;
use crate::extract::{ApiJson, Caller};
use crate::routes::response::api::investigations::FollowupInput;
use crate::routes::response::api::investigations::Investigation;
use crate::routes::response::api::investigations::InvestigationInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use yingji_store::response::investigations;

/// 事故调查: the investigation with its deadlines and follow-up actions (null before it starts).
#[utoipa::path(get, path = "/api/v1/incidents/{id}/investigation", tag = "应急响应", responses((status = 200, body = Option<Investigation>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn investigation(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Option<Investigation>>> {
    Ok(Json(
        investigations::get(&app.store, &caller.scope, &id, app.clock.now_ms())
            .await?
            .map(Into::into),
    ))
}

/// 成立调查组 (start) / 保存 (save) / 提交报告 (submit) / 批复 (approve) / 退回 (return).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/investigation", tag = "应急响应", request_body = InvestigationInput, responses((status = 200, body = Investigation), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn act_investigation(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<InvestigationInput>,
) -> ApiResult<Json<Investigation>> {
    Ok(Json(
        yingji_app::response::investigations::act(
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

/// 整改措施: a follow-up action, optionally registered as a hidden hazard (source 事故调查).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/followups", tag = "应急响应", request_body = FollowupInput, responses((status = 201, body = Investigation), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn add_followup(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<FollowupInput>,
) -> ApiResult<(StatusCode, Json<Investigation>)> {
    let inv = yingji_app::response::investigations::add_followup(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(inv.into())))
}

/// Marks a follow-up without a linked hazard as done.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/followups/{followup_id}/done", tag = "应急响应", responses((status = 200, body = Investigation), (status = 409, body = crate::error::ErrorBody)))]
pub async fn complete_followup(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, followup_id)): Path<(String, String)>,
) -> ApiResult<Json<Investigation>> {
    Ok(Json(
        yingji_app::response::investigations::complete_followup(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &followup_id,
        )
        .await?
        .into(),
    ))
}
