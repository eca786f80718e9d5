//! 每日安全承诺: an enterprise submits today's; the departments read the day's board (who must
//! commit, who has, who was flagged at the deadline) and the commitments themselves.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::commitments::{
    CommitmentInput, SpecialWorkCount, hazard_status_label, special_work_label,
};
use yingji_store::Page;
use yingji_store::credit::commitments as rows;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, submit))
        .routes(routes!(board))
        .routes(routes!(get_one))
}

/// One special work's count, with its label.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SpecialWork {
    pub kind: String,
    pub label: String,
    pub count: i64,
}

impl From<SpecialWorkCount> for SpecialWork {
    fn from(w: SpecialWorkCount) -> Self {
        Self {
            label: special_work_label(&w.kind).unwrap_or("").into(),
            kind: w.kind,
            count: w.count,
        }
    }
}

/// A daily 安全承诺.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Commitment {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    /// YYYY-MM-DD (Asia/Shanghai).
    pub day: String,
    pub submitted_ms: i64,
    /// Submitted after the deadline.
    pub late: bool,
    pub units_running: i64,
    pub units_stopped: i64,
    pub units_overhaul: i64,
    pub major_hazard_status: Option<String>,
    pub major_hazard_status_label: Option<String>,
    pub major_hazard_note: Option<String>,
    /// All 8 special works with today's count.
    pub special_works: Vec<SpecialWork>,
    pub duty_person: String,
    pub duty_phone: Option<String>,
    pub principal_name: String,
    pub note: Option<String>,
    pub submitted_by_name: String,
}

impl From<rows::Commitment> for Commitment {
    fn from(c: rows::Commitment) -> Self {
        Self {
            major_hazard_status_label: c
                .major_hazard_status
                .as_deref()
                .and_then(hazard_status_label)
                .map(str::to_string),
            id: c.id,
            enterprise_id: c.enterprise_id,
            enterprise_name: c.enterprise_name,
            day: c.day,
            submitted_ms: c.submitted_ms,
            late: c.late,
            units_running: c.units_running,
            units_stopped: c.units_stopped,
            units_overhaul: c.units_overhaul,
            major_hazard_status: c.major_hazard_status,
            major_hazard_note: c.major_hazard_note,
            special_works: c.special_works.into_iter().map(Into::into).collect(),
            duty_person: c.duty_person,
            duty_phone: c.duty_phone,
            principal_name: c.principal_name,
            note: c.note,
            submitted_by_name: c.submitted_by_name,
        }
    }
}

/// Submits today's 安全承诺 (enterprise users for their own enterprise; 管理员 naming one).
#[utoipa::path(post, path = "/api/v1/credit/commitments", tag = "企业信用", request_body = CommitmentInput, responses((status = 201, body = Commitment), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn submit(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<CommitmentInput>,
) -> ApiResult<(StatusCode, Json<Commitment>)> {
    let c = yingji_app::credit::commitments::submit(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub enterprise_id: Option<String>,
    /// YYYY-MM-DD.
    pub day: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// The commitments the caller may see (an enterprise user: its own), newest first.
#[utoipa::path(get, path = "/api/v1/credit/commitments", tag = "企业信用", params(ListQuery), responses((status = 200, body = ListResponse<Commitment>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<ListResponse<Commitment>>> {
    let (items, total) = rows::list(
        &app.store,
        &ctx(&caller).scope,
        q.enterprise_id.as_deref(),
        q.day.as_deref(),
        Page::new(q.page, q.page_size),
    )
    .await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// One commitment (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/credit/commitments/{id}", tag = "企业信用", params(("id" = String, Path)), responses((status = 200, body = Commitment), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Commitment>> {
    let c = rows::get(&app.store, &ctx(&caller).scope, &id).await?;
    Ok(Json(c.into()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BoardQuery {
    /// YYYY-MM-DD; default today (Asia/Shanghai).
    pub day: Option<String>,
    /// A street's 9-digit code.
    pub street: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// An enterprise on the board.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoardRow {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub street_code: String,
    pub street_name: Option<String>,
    /// `submitted`, `late` (after the deadline), `flagged` (missing at the deadline),
    /// `escalated` (still missing at the later step) or `pending` (before the deadline).
    pub status: String,
    pub status_label: String,
    pub commitment_id: Option<String>,
    pub submitted_ms: Option<i64>,
}

impl From<rows::BoardRow> for BoardRow {
    fn from(r: rows::BoardRow) -> Self {
        let (status, label) = match (&r.commitment_id, r.late, r.flagged, r.escalated) {
            (Some(_), false, _, _) => ("submitted", "已承诺"),
            (Some(_), true, _, _) => ("late", "逾期补交"),
            (None, _, _, true) => ("escalated", "未承诺（已督办）"),
            (None, _, true, _) => ("flagged", "未承诺"),
            (None, _, false, _) => ("pending", "待提交"),
        };
        Self {
            enterprise_id: r.enterprise_id,
            enterprise_name: r.enterprise_name,
            street_code: r.street_code,
            street_name: r.street_name,
            status: status.into(),
            status_label: label.into(),
            commitment_id: r.commitment_id,
            submitted_ms: r.submitted_ms,
        }
    }
}

/// 承诺公告板: the day's enterprises that must commit and their status.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Board {
    pub day: String,
    /// Enterprises that must commit (in scope and street).
    pub required: i64,
    pub submitted: i64,
    /// Not submitted (yet).
    pub missing: i64,
    /// Recorded as missing at the deadline.
    pub flagged: i64,
    pub items: Vec<BoardRow>,
}

/// The 承诺公告板 of a day (missing first).
#[utoipa::path(get, path = "/api/v1/credit/commitments/board", tag = "企业信用", params(BoardQuery), responses((status = 200, body = Board), (status = 400, body = crate::error::ErrorBody)))]
pub async fn board(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> ApiResult<Json<Board>> {
    let (day, items, counts) = yingji_app::credit::commitments::board(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        q.day.as_deref(),
        q.street.as_deref(),
        Page::new(q.page, q.page_size),
    )
    .await?;
    Ok(Json(Board {
        day,
        required: counts.required,
        submitted: counts.submitted,
        missing: counts.required - counts.submitted,
        flagged: counts.flagged,
        items: items.into_iter().map(Into::into).collect(),
    }))
}
