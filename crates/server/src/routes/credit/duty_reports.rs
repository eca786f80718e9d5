//! 履职报告: an enterprise submits its report of a period (a returned one again); the supervising
//! departments list, read and review them, and list the enterprises flagged as overdue.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use crate::routes::kernel::api::attachments::Attachment;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::duty_reports::{DutyReportInput, DutyReviewInput, status_label};
use yingji_store::credit::duty_reports as rows;
use yingji_store::kernel::attachments;
use yingji_store::{Page, Store, StoreResult};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, submit))
        .routes(routes!(overdue))
        .routes(routes!(get_one))
        .routes(routes!(review))
}

/// A 履职报告.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DutyReport {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    /// 2026Q3 or 2026.
    pub period: String,
    /// The last day it is on time (YYYY-MM-DD, Asia/Shanghai).
    pub due_day: String,
    /// `submitted` (待审核), `accepted` (已通过) or `returned` (已退回).
    pub status: String,
    pub status_label: String,
    pub text: String,
    pub submitted_ms: i64,
    /// Submitted after the due day.
    pub late: bool,
    pub submitted_by_name: String,
    pub reviewed_ms: Option<i64>,
    pub reviewed_by_name: Option<String>,
    pub return_reason: Option<String>,
    /// Its attachments (in the answers about one report; empty in lists).
    pub attachments: Vec<Attachment>,
}

impl From<rows::DutyReport> for DutyReport {
    fn from(r: rows::DutyReport) -> Self {
        Self {
            status_label: status_label(&r.status).into(),
            id: r.id,
            enterprise_id: r.enterprise_id,
            enterprise_name: r.enterprise_name,
            period: r.period,
            due_day: r.due_day,
            status: r.status,
            text: r.text,
            submitted_ms: r.submitted_ms,
            late: r.late,
            submitted_by_name: r.submitted_by_name,
            reviewed_ms: r.reviewed_ms,
            reviewed_by_name: r.reviewed_by_name,
            return_reason: r.return_reason,
            attachments: Vec::new(),
        }
    }
}

async fn with_attachments(store: &Store, r: rows::DutyReport) -> StoreResult<DutyReport> {
    let files = attachments::list_for(store, &r.id).await?;
    let mut out = DutyReport::from(r);
    out.attachments = files.into_iter().map(Into::into).collect();
    Ok(out)
}

/// Submits a period's 履职报告 (enterprise users for their own enterprise; 管理员 naming one); a
/// returned one is resubmitted in place.
#[utoipa::path(post, path = "/api/v1/credit/duty-reports", tag = "企业信用", request_body = DutyReportInput, responses((status = 201, body = DutyReport), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn submit(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<DutyReportInput>,
) -> ApiResult<(StatusCode, Json<DutyReport>)> {
    let r = yingji_app::credit::duty_reports::submit(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(with_attachments(&app.store, r).await?),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub enterprise_id: Option<String>,
    /// 2026Q3 or 2026.
    pub period: Option<String>,
    /// submitted, accepted or returned.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

fn some(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The reports the caller may see (an enterprise user: its own), newest first.
#[utoipa::path(get, path = "/api/v1/credit/duty-reports", tag = "企业信用", params(ListQuery), responses((status = 200, body = ListResponse<DutyReport>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<ListResponse<DutyReport>>> {
    let filter = rows::Filter {
        enterprise_id: some(&q.enterprise_id),
        period: some(&q.period),
        status: some(&q.status),
    };
    let page = Page::new(q.page, q.page_size);
    let (items, total) = rows::list(&app.store, &ctx(&caller).scope, &filter, page).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// One report with its attachments (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/credit/duty-reports/{id}", tag = "企业信用", params(("id" = String, Path)), responses((status = 200, body = DutyReport), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<DutyReport>> {
    let r = rows::get(&app.store, &ctx(&caller).scope, &id).await?;
    Ok(Json(with_attachments(&app.store, r).await?))
}

/// Reviews a submitted report: accept, or return with a reason (supervising departments).
#[utoipa::path(post, path = "/api/v1/credit/duty-reports/{id}/review", tag = "企业信用", params(("id" = String, Path)), request_body = DutyReviewInput, responses((status = 200, body = DutyReport), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn review(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DutyReviewInput>,
) -> ApiResult<Json<DutyReport>> {
    let r = yingji_app::credit::duty_reports::review(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input,
    )
    .await?;
    Ok(Json(with_attachments(&app.store, r).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OverdueQuery {
    pub enterprise_id: Option<String>,
    /// 2026Q3 or 2026.
    pub period: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// An enterprise flagged after the due day, still without a report.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverdueReport {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub period: String,
    pub flagged_ms: i64,
    /// When the bureau's leaders were told (督办).
    pub escalated_ms: Option<i64>,
}

/// The enterprises flagged for a missing 履职报告 (in the caller's scope), newest first.
#[utoipa::path(get, path = "/api/v1/credit/duty-reports/overdue", tag = "企业信用", params(OverdueQuery), responses((status = 200, body = ListResponse<OverdueReport>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn overdue(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OverdueQuery>,
) -> ApiResult<Json<ListResponse<OverdueReport>>> {
    let page = Page::new(q.page, q.page_size);
    let filter = rows::Filter {
        enterprise_id: some(&q.enterprise_id),
        period: some(&q.period),
        status: None,
    };
    let (items, total) = rows::misses(&app.store, &ctx(&caller).scope, &filter, page).await?;
    Ok(Json(ListResponse {
        items: items
            .into_iter()
            .map(|m| OverdueReport {
                enterprise_id: m.enterprise_id,
                enterprise_name: m.enterprise_name,
                period: m.period,
                flagged_ms: m.flagged_ms,
                escalated_ms: m.escalated_ms,
            })
            .collect(),
        total,
    }))
}
