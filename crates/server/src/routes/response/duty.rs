//! 值班值守: roster, log and the 值班日报.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::ctx;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::response::api::duty::DailyReport;
use crate::routes::response::api::duty::LogEntry;
use crate::routes::response::api::duty::LogInput;
use crate::routes::response::api::duty::Shift;
use crate::routes::response::api::duty::ShiftInput;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use yingji_store::response::duty;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RosterQuery {
    /// YYYY-MM-DD (inclusive).
    pub from: String,
    /// YYYY-MM-DD (inclusive), at most 62 days after `from`.
    pub to: String,
}

/// 值班表 of the caller's district for a range of days.
#[utoipa::path(get, path = "/api/v1/duty/shifts", tag = "值班值守", params(RosterQuery), responses((status = 200, body = Vec<Shift>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn shifts(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RosterQuery>,
) -> ApiResult<Json<Vec<Shift>>> {
    Ok(Json(
        duty::shifts(&app.store, &ctx(&caller), &q.from, &q.to)
            .await?
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>(),
    ))
}

/// 排班: sets who is on one shift of one day.
#[utoipa::path(put, path = "/api/v1/duty/shifts", tag = "值班值守", request_body = ShiftInput, responses((status = 200, body = Shift), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn set_shift(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ShiftInput>,
) -> ApiResult<Json<Shift>> {
    Ok(Json(
        yingji_app::response::duty::set_shift(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &input.into(),
        )
        .await?
        .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DayQuery {
    /// YYYY-MM-DD (Beijing).
    pub day: String,
}

/// 值班日志 of a day.
#[utoipa::path(get, path = "/api/v1/duty/log", tag = "值班值守", params(DayQuery), responses((status = 200, body = Vec<LogEntry>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn log(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> ApiResult<Json<Vec<LogEntry>>> {
    Ok(Json(
        duty::log_of_day(&app.store, &ctx(&caller), &q.day)
            .await?
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>(),
    ))
}

/// 记值班日志 (now).
#[utoipa::path(post, path = "/api/v1/duty/log", tag = "值班值守", request_body = LogInput, responses((status = 201, body = LogEntry), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn add_log(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<LogInput>,
) -> ApiResult<(StatusCode, Json<LogEntry>)> {
    let e = yingji_app::response::duty::add_log(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(e.into())))
}

/// 值班日报: the roster, the log, the incidents received that day and those still open.
#[utoipa::path(get, path = "/api/v1/duty/daily", tag = "值班值守", params(DayQuery), responses((status = 200, body = DailyReport), (status = 400, body = crate::error::ErrorBody)))]
pub async fn daily(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> ApiResult<Json<DailyReport>> {
    Ok(Json(
        duty::daily(&app.store, &ctx(&caller), &q.day, app.clock.now_ms())
            .await?
            .into(),
    ))
}
