//! 汛期三查 and 群测群防 patrol logs: filed from the phone page, listed per object and street.

use super::flood_api::FloodPatrolLog;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::disasters::flood::FloodPatrolInput;
use yingji_store::disasters::patrol_logs;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, file))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PatrolQuery {
    pub object_id: Option<String>,
    /// Only this street's (9-digit code).
    pub street: Option<String>,
    /// Only 异常.
    #[serde(default)]
    pub abnormal: bool,
}

/// 巡查记录 the caller sees, newest first.
#[utoipa::path(get, path = "/api/v1/disasters/flood/patrols", tag = "防灾减灾", params(PatrolQuery), responses((status = 200, body = ListResponse<FloodPatrolLog>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PatrolQuery>,
) -> ApiResult<Json<ListResponse<FloodPatrolLog>>> {
    let f = patrol_logs::PatrolFilter {
        object_id: q.object_id,
        street: q.street,
        abnormal: q.abnormal,
        ..Default::default()
    };
    let items = patrol_logs::list(&app.store, &ctx(&caller), &f).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// 提交巡查记录 (巡查责任人 / 群测群防员 on the phone, or staff of the area); an 异常 finding
/// notifies the 行政责任人 and 技术责任人.
#[utoipa::path(post, path = "/api/v1/disasters/flood/patrols", tag = "防灾减灾", request_body = FloodPatrolInput, responses((status = 201, body = FloodPatrolLog), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn file(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<FloodPatrolInput>,
) -> ApiResult<(StatusCode, Json<FloodPatrolLog>)> {
    let log = yingji_app::disasters::flood::file_patrol(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(log.into())))
}
