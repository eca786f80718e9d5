//! 报送灾情: a 初报, 续报 or 核报 of a process (from the console or the 信息员's phone).

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, IdempotencyKey, ctx};
use crate::routes::Limits;
use crate::routes::disasters::reports_api::{Report, ReportInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(file))
}

/// 报送灾情: one row per township (the caller's own for street staff and 信息员); the district
/// totals are the sum. A report after its deadline is marked late; a jump of a main figure
/// needs `explanation`; 10 or more dead and missing reach the higher levels at once. Send an
/// `Idempotency-Key` from the phone: a report sent again is recorded once.
#[utoipa::path(post, path = "/api/v1/disasters/processes/{id}/reports", tag = "灾情报送", params(("id" = String, Path), crate::routes::kernel::api::idempotency::IdempotencyHeader), request_body = ReportInput, responses((status = 201, body = Report), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn file(
    State(app): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReportInput>,
) -> ApiResult<(StatusCode, Json<Report>)> {
    let r = yingji_app::disasters::reports::file(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.into(),
        key.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}
