//! 疑似重复: the events that may be the same as one, and the duty room's merge.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use crate::routes::grid::events_api::{GridEvent, GridEventDetail};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::duplicates as uc;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(duplicates))
        .routes(routes!(merge))
}

/// The main event a duplicate is merged into.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeInput {
    /// The main event's id.
    pub into: String,
}

/// 疑似重复: events of the same category within the district's radius and window.
#[utoipa::path(get, path = "/api/v1/grid/events/{id}/duplicates", tag = "网格事件", params(("id" = String, Path)), responses((status = 200, body = Vec<GridEvent>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn duplicates(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<GridEvent>>> {
    let c = ctx(&caller);
    let found = uc::duplicates(&app.store, &c, &id).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|e| GridEvent::seen_by(e, &c))
            .collect(),
    ))
}

/// 合并重复事件 (值班室): the event becomes 已合并 into the main one; its deadlines stop.
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/merge", tag = "网格事件", params(("id" = String, Path)), request_body = MergeInput, responses((status = 200, body = GridEventDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn merge(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<MergeInput>,
) -> ApiResult<Json<GridEventDetail>> {
    let c = ctx(&caller);
    let d = uc::merge(&app.store, &c, app.clock.now_ms(), &id, &input.into).await?;
    Ok(Json(GridEventDetail::seen_by(d, &c)))
}
