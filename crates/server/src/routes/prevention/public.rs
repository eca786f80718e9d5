//! Pages and forms for the public, without login: the hazard report form (群众举报) with its
//! tracking code, and its photo upload. Rate-limited per address.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, client_ip};
use crate::routes::prevention::api::hazards::PublicReportInput;
use crate::routes::prevention::api::hazards::Tracking;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use yingji_store::prevention::hazards;

async fn limited(app: &AppState, parts: &Parts, what: &str) -> ApiResult<Option<String>> {
    let ip = client_ip(parts);
    let key = format!("{what}:{}", crate::extract::rate_key(parts));
    app.public_limiter
        .check(&key, app.clock.now_ms(), "提交过于频繁，请稍后再试")
        .await?;
    Ok(ip)
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReportReceipt {
    pub code: String,
    /// Keep this to follow progress at /public/track.
    pub tracking_code: String,
}

/// 群众举报隐患 (no login).
#[utoipa::path(post, path = "/api/public/hazard-reports", tag = "公众", request_body = PublicReportInput, responses((status = 201, body = ReportReceipt), (status = 400, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn report(
    State(app): State<AppState>,
    parts: Parts,
    ApiJson(input): ApiJson<PublicReportInput>,
) -> ApiResult<(StatusCode, Json<ReportReceipt>)> {
    let ip = limited(&app, &parts, "report").await?;
    let (code, tracking_code) = yingji_app::prevention::hazards::create_public(
        &app.store,
        app.clock.now_ms(),
        ip,
        &input.try_into()?,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ReportReceipt {
            code,
            tracking_code,
        }),
    ))
}

/// 举报进度查询 by tracking code.
#[utoipa::path(get, path = "/api/public/hazard-reports/{tracking}", tag = "公众", params(("tracking" = String, Path)), responses((status = 200, body = Tracking), (status = 404, body = crate::error::ErrorBody)))]
pub async fn track(
    State(app): State<AppState>,
    parts: Parts,
    Path(tracking): Path<String>,
) -> ApiResult<Json<Tracking>> {
    limited(&app, &parts, "track").await?;
    Ok(Json(hazards::track(&app.store, &tracking).await?.into()))
}

/// Public region list for the form's street/community picker.
#[utoipa::path(get, path = "/api/public/regions", tag = "公众", responses((status = 200, body = Object)))]
pub async fn regions(State(app): State<AppState>) -> ApiResult<Json<serde_json::Value>> {
    let f = yingji_store::directory::regions::RegionFilter::default();
    let all = yingji_store::directory::regions::list(
        &app.store,
        &yingji_core::kernel::role::Scope::All,
        &f,
    )
    .await?;
    let items: Vec<_> = all
        .iter()
        .filter(|r| r.code.len() == 9 || r.code.len() == 12)
        .map(|r| serde_json::json!({"code": r.code, "name": r.name, "parent_code": r.parent_code}))
        .collect();
    Ok(Json(serde_json::json!({ "items": items })))
}
