//! 整改复查: a task's findings with their hazards (state, deadline, the enterprise's
//! rectification and evidence), the enterprise's 提交整改 and the inspector's 复查 — both steps
//! of the hazard closed loop.

use super::api::TeamMember;
use super::inspection_api::InspectionRecord;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use crate::routes::kernel::api::attachments::Attachment;
use crate::routes::prevention::api::hazards::HazardEvent;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::enforcement::review::{self as app_review, FindingReview, TaskReview};
use yingji_core::enforcement::review::{RectificationInput, ReviewInput};
use yingji_core::kernel::label_of;
use yingji_core::prevention::hazard::CATEGORIES;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(view))
        .routes(routes!(rectify))
        .routes(routes!(review))
}

/// One finding under 复查 with its hazard's state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewFinding {
    pub hazard_id: String,
    pub hazard_code: String,
    pub category_label: String,
    pub description: String,
    pub location: String,
    pub level: String,
    pub level_label: String,
    /// The photos taken at the inspection.
    pub photo_ids: Vec<String>,
    /// The hazard's status (registered, rectifying, pending_acceptance, closed …) and its label.
    pub status: String,
    pub status_label: String,
    /// 整改期限 (YYYY-MM-DD) once graded.
    pub deadline: Option<String>,
    pub overdue: bool,
    /// The latest rectification submitted (its note and photos in `attachments`).
    pub rectification: Option<HazardEvent>,
    /// The latest rejection (复查不合格) with its opinion.
    pub rejection: Option<HazardEvent>,
    /// Every file of the hazard (inspection photos and rectification evidence).
    pub attachments: Vec<Attachment>,
    /// The loop's actions the caller may take now (submit_rectification, accept, reject …).
    pub allowed_actions: Vec<String>,
}

impl From<FindingReview> for ReviewFinding {
    fn from(v: FindingReview) -> Self {
        let h = v.hazard.hazard;
        Self {
            hazard_id: h.id,
            hazard_code: h.code,
            category_label: label_of(CATEGORIES, &v.finding.category)
                .unwrap_or("")
                .into(),
            description: v.finding.description,
            location: v.finding.location,
            level: h.level,
            level_label: h.level_label,
            photo_ids: v.finding.photo_ids,
            status: h.status,
            status_label: h.status_label,
            deadline: h.deadline,
            overdue: h.overdue,
            rectification: v.rectification.map(Into::into),
            rejection: v.rejection.map(Into::into),
            attachments: v.hazard.attachments.into_iter().map(Into::into).collect(),
            allowed_actions: v.hazard.allowed_actions,
        }
    }
}

/// The 责令限期整改指令书 in force for the task.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RectifyOrder {
    pub document_id: String,
    pub number: String,
    pub deadline: Option<String>,
}

/// A task's 复查: the record, who inspected (names and 执法证号), the order and the findings.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TaskReviewView {
    pub record: InspectionRecord,
    pub item_name: String,
    pub team: Vec<TeamMember>,
    pub order: Option<RectifyOrder>,
    pub findings: Vec<ReviewFinding>,
}

impl From<TaskReview> for TaskReviewView {
    fn from(v: TaskReview) -> Self {
        Self {
            record: v.record.into(),
            item_name: v.item_name,
            team: v.team.into_iter().map(Into::into).collect(),
            order: v.order.map(|o| RectifyOrder {
                document_id: o.document_id,
                number: o.number,
                deadline: o.deadline,
            }),
            findings: v.findings.into_iter().map(Into::into).collect(),
        }
    }
}

/// 整改复查 of a task: its findings with their hazards' state, deadline, rectification and
/// evidence (the task's inspectors, their departments, the enterprise inspected).
#[utoipa::path(get, path = "/api/v1/enforcement/tasks/{id}/review", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, body = TaskReviewView), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn view(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TaskReviewView>> {
    let v = app_review::view(&app.store, &ctx(&caller), &id).await?;
    Ok(Json(v.into()))
}

/// 提交整改: the enterprise's rectification of a finding (说明 and photos), the hazard loop's
/// step; a finding not graded yet takes the 责令限期整改指令书's 整改期限.
#[utoipa::path(post, path = "/api/v1/enforcement/tasks/{id}/review/{hazard_id}/rectification", tag = "执法监管", params(("id" = String, Path), ("hazard_id" = String, Path)), request_body = RectificationInput, responses((status = 201, body = ReviewFinding), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn rectify(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, hazard_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<RectificationInput>,
) -> ApiResult<(StatusCode, Json<ReviewFinding>)> {
    let c = ctx(&caller);
    let f =
        app_review::rectify(&app.store, &c, app.clock.now_ms(), &id, &hazard_id, &input).await?;
    Ok((StatusCode::CREATED, Json(f.into())))
}

/// 复查: the task's inspector accepts the rectification (验收, the hazard closed) or rejects it
/// with an opinion (back to 整改中).
#[utoipa::path(post, path = "/api/v1/enforcement/tasks/{id}/review/{hazard_id}/decision", tag = "执法监管", params(("id" = String, Path), ("hazard_id" = String, Path)), request_body = ReviewInput, responses((status = 201, body = ReviewFinding), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn review(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, hazard_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> ApiResult<(StatusCode, Json<ReviewFinding>)> {
    let c = ctx(&caller);
    let f = app_review::review(&app.store, &c, app.clock.now_ms(), &id, &hazard_id, &input).await?;
    Ok((StatusCode::CREATED, Json(f.into())))
}
