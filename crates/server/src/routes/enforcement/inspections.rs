//! 现场检查: a task's dossier and checklist, recording the inspection (findings become hazards,
//! source 执法检查), the signatures, and the records (inspectors their tasks', managers their
//! departments', an enterprise its own).

use super::inspection_api::{Dossier, InspectionDetail, InspectionRecord};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::enforcement::inspections as app_inspections;
use yingji_core::enforcement::inspection::{CheckItem, InspectionInput, SignatureInput};
use yingji_store::enforcement::inspections::{self, Record};
use yingji_store::{Page, Store, StoreResult};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dossier))
        .routes(routes!(checklist))
        .routes(routes!(get_by_task, record))
        .routes(routes!(sign))
        .routes(routes!(list))
        .routes(routes!(get))
}

async fn detail(store: &Store, record: Record) -> StoreResult<InspectionDetail> {
    let parts = inspections::parts(store, &record.id).await?;
    Ok(InspectionDetail::of(record, parts))
}

/// The dossier of a task's enterprise: risk points, open hazards, sensors, past inspections.
#[utoipa::path(get, path = "/api/v1/enforcement/tasks/{id}/dossier", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, body = Dossier), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn dossier(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Dossier>> {
    let c = ctx(&caller);
    let task = inspections::task(&app.store, &c, &id).await?;
    let d = app_inspections::dossier(&app.store, &c, &id).await?;
    Ok(Json(Dossier::of(task.into(), d)))
}

/// The checklist of a task: the 重大隐患判定标准 items of the enterprise's industry, then the
/// bureau's items (the 执法事项's 检查内容).
#[utoipa::path(get, path = "/api/v1/enforcement/tasks/{id}/checklist", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, body = ListResponse<CheckItem>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn checklist(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ListResponse<CheckItem>>> {
    let items = app_inspections::checklist(&app.store, &ctx(&caller), &id).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items,
    }))
}

/// The inspection recorded for a task (404 before it is recorded).
#[utoipa::path(get, path = "/api/v1/enforcement/tasks/{id}/inspection", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, body = InspectionDetail), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_by_task(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InspectionDetail>> {
    let r = inspections::by_task(&app.store, &ctx(&caller), &id).await?;
    Ok(Json(detail(&app.store, r).await?))
}

/// Records the inspection of a task (its inspectors only): checklist, findings — each a hazard
/// (source 执法检查; 重大 at once when it meets a criterion) in the same transaction — and the
/// task done. A bad row stores nothing.
#[utoipa::path(post, path = "/api/v1/enforcement/tasks/{id}/inspection", tag = "执法监管", params(("id" = String, Path)), request_body = InspectionInput, responses((status = 201, body = InspectionDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn record(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<InspectionInput>,
) -> ApiResult<(StatusCode, Json<InspectionDetail>)> {
    let c = ctx(&caller);
    let r = app_inspections::record(&app.store, &c, app.clock.now_ms(), &id, &input).await?;
    Ok((StatusCode::CREATED, Json(detail(&app.store, r).await?)))
}

/// A signature on a task's inspection: an inspector of the task (drawn, a PNG uploaded first)
/// or the enterprise's representative (drawn, or refused with why).
#[utoipa::path(post, path = "/api/v1/enforcement/tasks/{id}/signatures", tag = "执法监管", params(("id" = String, Path)), request_body = SignatureInput, responses((status = 201, body = InspectionDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn sign(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<SignatureInput>,
) -> ApiResult<(StatusCode, Json<InspectionDetail>)> {
    let c = ctx(&caller);
    let r = app_inspections::sign(&app.store, &c, app.clock.now_ms(), &id, &input).await?;
    Ok((StatusCode::CREATED, Json(detail(&app.store, r).await?)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InspectionQuery {
    /// Only this enterprise's.
    pub enterprise: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 现场检查记录: an inspector's tasks', a department's, an enterprise's own; newest first.
#[utoipa::path(get, path = "/api/v1/enforcement/inspections", tag = "执法监管", params(InspectionQuery), responses((status = 200, body = ListResponse<InspectionRecord>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<InspectionQuery>,
) -> ApiResult<Json<ListResponse<InspectionRecord>>> {
    let page = Page::new(q.page, q.page_size);
    let c = ctx(&caller);
    let (items, total) = inspections::list(&app.store, &c, q.enterprise.as_deref(), page).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// One inspection record with its checklist, findings and signatures.
#[utoipa::path(get, path = "/api/v1/enforcement/inspections/{id}", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, body = InspectionDetail), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InspectionDetail>> {
    let r = inspections::get(&app.store, &ctx(&caller), &id).await?;
    Ok(Json(detail(&app.store, r).await?))
}
