//! workbench: the caller's 工作台 (待办, figures) and the 大屏 综合态势, read-only.

pub mod api;

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{Caller, ctx};
use crate::routes::Limits;
use api::{Screen, Workbench};
use axum::Json;
use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(workbench))
        .routes(routes!(screen))
}

/// 工作台: the caller's 待办 by kind (each the first few of its role's kinds, with the total and
/// a link to the full list) and its four figures, all in the caller's scope.
#[utoipa::path(get, path = "/api/v1/workbench", tag = "工作台", responses((status = 200, body = Workbench)))]
pub async fn workbench(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<Workbench>> {
    let now_ms = app.clock.now_ms();
    let w = yingji_app::workbench::workbench(&app.store, &ctx(&caller), now_ms).await?;
    Ok(Json(Workbench::of(w, caller.role(), now_ms)))
}

/// 大屏 综合态势: alarm and incident feeds, warnings in force, hazards by status and the
/// resources ready, in the caller's scope. For leaders, the duty room and departments (403 else).
#[utoipa::path(get, path = "/api/v1/screen", tag = "工作台", responses((status = 200, body = Screen)))]
pub async fn screen(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<Screen>> {
    let now_ms = app.clock.now_ms();
    let s = yingji_app::workbench::screen(&app.store, &ctx(&caller), now_ms).await?;
    Ok(Json(Screen::of(s, now_ms)))
}
