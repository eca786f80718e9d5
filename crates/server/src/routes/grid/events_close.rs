//! 网格事件: 处置, 反馈, 回访.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use crate::routes::grid::events_api::{AnswerInput, GridEventDetail, HandleInput, VisitInput};
use axum::Json;
use axum::extract::{Path, State};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::events_close as uc;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handle))
        .routes(routes!(answer))
        .routes(routes!(visit))
}

/// 处置完成 by the unit (with an answer, the reporter is answered at once).
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/handle", tag = "网格事件", params(("id" = String, Path)), request_body = HandleInput, responses((status = 200, body = GridEventDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn handle(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<HandleInput>,
) -> ApiResult<Json<GridEventDetail>> {
    let c = ctx(&caller);
    let d = uc::handle(
        &app.store,
        &c,
        app.clock.now_ms(),
        &id,
        (&input.result, input.answer.as_deref(), &input.attachments),
    )
    .await?;
    Ok(Json(GridEventDetail::seen_by(d, &c)))
}

/// 反馈 by the unit: the answer to the reporter.
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/answer", tag = "网格事件", params(("id" = String, Path)), request_body = AnswerInput, responses((status = 200, body = GridEventDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn answer(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> ApiResult<Json<GridEventDetail>> {
    let c = ctx(&caller);
    let d = uc::answer(&app.store, &c, app.clock.now_ms(), &id, &input.answer).await?;
    Ok(Json(GridEventDetail::seen_by(d, &c)))
}

/// 回访 by the duty room: 满意 closes; 不满意 reopens once to the same unit, then closes.
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/visit", tag = "网格事件", params(("id" = String, Path)), request_body = VisitInput, responses((status = 200, body = GridEventDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn visit(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<VisitInput>,
) -> ApiResult<Json<GridEventDetail>> {
    let c = ctx(&caller);
    let d = uc::visit(
        &app.store,
        &c,
        app.clock.now_ms(),
        &id,
        input.satisfied,
        input.note.as_deref(),
    )
    .await?;
    Ok(Json(GridEventDetail::seen_by(d, &c)))
}
