//! A hook for end-to-end tests: moves the server's clock. It exists only when the server was
//! started with `--test-clock` (never in production) and only administrators may call it.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, Caller};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use yingji_core::kernel::clock::{Clock, to_rfc3339};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveClock {
    #[serde(default)]
    pub advance_days: i64,
    /// For deadlines counted in minutes (叫应).
    #[serde(default)]
    pub advance_minutes: i64,
}

pub async fn move_clock(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(m): ApiJson<MoveClock>,
) -> ApiResult<Json<serde_json::Value>> {
    let Some(clock) = &app.test_clock else {
        return Err(ApiError::not_found());
    };
    caller.require_admin()?;
    if !(0..=400).contains(&m.advance_days) {
        return Err(ApiError::field("advance_days", "天数应为 0 至 400"));
    }
    if !(0..=1440).contains(&m.advance_minutes) {
        return Err(ApiError::field("advance_minutes", "分钟数应为 0 至 1440"));
    }
    clock.advance(m.advance_days * 86_400_000 + m.advance_minutes * 60_000);
    app.timer_wake.notify_one();
    Ok(Json(
        serde_json::json!({ "now": to_rfc3339(clock.now_ms()) }),
    ))
}
