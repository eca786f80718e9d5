//! 严重失信主体名单 (应急管理部令第11号): proposals to the deciding department, the steps (告知,
//! 陈述申辩, decision, publication, 信用修复, restoration) and the timeline.

use super::listing_criteria::ListingSubject;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::listing_criteria::Criterion;
use yingji_core::credit::listings::{Status, StepInput as CoreStep};
use yingji_core::kernel::clock::{to_rfc3339, today};
use yingji_store::credit::listings::{self, Case};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, propose))
        .routes(routes!(get_one))
        .routes(routes!(take_step))
}

/// A proposal: an entered record, or an enterprise whose accidents qualify.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingProposalInput {
    #[serde(default)]
    pub enterprise_id: Option<String>,
    #[serde(default)]
    pub record_id: Option<String>,
    /// The 主要负责人's ID number, when known.
    #[serde(default)]
    pub principal_code: Option<String>,
}

/// A step: notice (number, day, statement_days), statement (text), decide (listed, number, day
/// or reason), publish, request_repair (reason), decide_repair (approve, reason), restore (reason).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListingStepInput {
    pub step: String,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub day: Option<String>,
    #[serde(default)]
    pub statement_days: Option<i64>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub listed: Option<bool>,
    #[serde(default)]
    pub approve: Option<bool>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A deadline with its colour: red past or today, orange within 3 days, blue otherwise.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListingDeadline {
    pub label: String,
    pub day: String,
    pub days_left: i64,
    pub colour: String,
}

/// A listing case with its subjects.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditListing {
    pub id: String,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub department_id: String,
    pub department_name: String,
    pub criterion: String,
    pub criterion_label: String,
    pub basis: String,
    pub record_id: Option<String>,
    pub status: String,
    pub status_label: String,
    pub subjects: Vec<ListingSubject>,
    pub proposed_day: String,
    pub notice_number: Option<String>,
    pub notice_day: Option<String>,
    pub statement_until: Option<String>,
    pub statement: Option<String>,
    pub decision_number: Option<String>,
    pub decided_day: Option<String>,
    pub decision_reason: Option<String>,
    pub listed_day: Option<String>,
    pub expires_day: Option<String>,
    pub early_removal_eligible_day: Option<String>,
    pub published_day: Option<String>,
    pub repair_reason: Option<String>,
    pub repair_requested_day: Option<String>,
    pub repair_decision: Option<String>,
    pub removed_day: Option<String>,
    /// repaired 信用修复 or expired 期满.
    pub removal_kind: Option<String>,
    pub restored_day: Option<String>,
    pub restore_reason: Option<String>,
    pub deadline: Option<ListingDeadline>,
}

fn deadline(c: &Case, now_ms: i64) -> Option<ListingDeadline> {
    let (label, day) = match Status::parse(&c.status)? {
        Status::Noticed if c.statement.is_none() => ("陈述申辩期限", c.statement_until.clone()?),
        Status::Listed | Status::RepairRequested => ("管理期限届满", c.expires_day.clone()?),
        _ => return None,
    };
    let d: jiff::civil::Date = day.parse().ok()?;
    let left = (d - today(now_ms)).get_days() as i64;
    let colour = match left {
        l if l <= 0 => "red",
        l if l <= 3 => "orange",
        _ => "blue",
    };
    Some(ListingDeadline {
        label: label.into(),
        day,
        days_left: left,
        colour: colour.into(),
    })
}

// Long because: one field per column.
pub fn listing(c: Case, now_ms: i64) -> CreditListing {
    let deadline = deadline(&c, now_ms);
    CreditListing {
        criterion_label: Criterion::parse(&c.criterion)
            .map(Criterion::label)
            .unwrap_or_default()
            .into(),
        status_label: Status::parse(&c.status)
            .map(Status::label)
            .unwrap_or_default()
            .into(),
        subjects: c.subjects.into_iter().map(|s| s.subject.into()).collect(),
        id: c.case_id,
        enterprise_id: c.enterprise_id,
        enterprise_name: c.enterprise_name,
        department_id: c.department_id,
        department_name: c.department_name,
        criterion: c.criterion,
        basis: c.basis,
        record_id: c.record_id,
        status: c.status,
        proposed_day: c.proposed_day,
        notice_number: c.notice_number,
        notice_day: c.notice_day,
        statement_until: c.statement_until,
        statement: c.statement,
        decision_number: c.decision_number,
        decided_day: c.decided_day,
        decision_reason: c.decision_reason,
        listed_day: c.listed_day,
        expires_day: c.expires_day,
        early_removal_eligible_day: c.early_removal_eligible_day,
        published_day: c.published_day,
        repair_reason: c.repair_reason,
        repair_requested_day: c.repair_requested_day,
        repair_decision: c.repair_decision,
        removed_day: c.removed_day,
        removal_kind: c.removal_kind,
        restored_day: c.restored_day,
        restore_reason: c.restore_reason,
        deadline,
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// proposed, noticed, not_listed, listed, repair_requested, removed.
    pub status: Option<String>,
}

/// The listings the caller may see (a department its own, an enterprise its own).
#[utoipa::path(get, path = "/api/v1/credit/listings", tag = "企业信用", params(ListQuery), responses((status = 200, body = ListResponse<CreditListing>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<ListResponse<CreditListing>>> {
    let now = app.clock.now_ms();
    let items = listings::list(&app.store, &ctx(&caller), q.status.as_deref()).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(|c| listing(c, now)).collect(),
    }))
}

/// Proposes listing to the department that decides (谁处罚、谁决定); without a qualifying record,
/// 400 and nothing stored.
#[utoipa::path(post, path = "/api/v1/credit/listings", tag = "企业信用", request_body = ListingProposalInput, responses((status = 201, body = CreditListing), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn propose(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ListingProposalInput>,
) -> ApiResult<(StatusCode, Json<CreditListing>)> {
    let now = app.clock.now_ms();
    let input = yingji_app::credit::listings::ProposalInput {
        enterprise_id: input.enterprise_id,
        record_id: input.record_id,
        principal_code: input.principal_code,
    };
    let c = yingji_app::credit::listings::propose(&app.store, &ctx(&caller), now, &input).await?;
    Ok((StatusCode::CREATED, Json(listing(c, now))))
}

/// One step of the timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListingTimelineEntry {
    pub step: String,
    pub status: String,
    pub note: String,
    pub actor_name: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditListingDetail {
    #[serde(flatten)]
    pub listing: CreditListing,
    pub timeline: Vec<ListingTimelineEntry>,
}

/// A listing with its timeline.
#[utoipa::path(get, path = "/api/v1/credit/listings/{id}", tag = "企业信用", params(("id" = String, Path)), responses((status = 200, body = CreditListingDetail), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CreditListingDetail>> {
    let c = listings::get(&app.store, &ctx(&caller), &id).await?;
    let timeline = listings::timeline(&app.store, &c.case_id)
        .await?
        .into_iter()
        .map(|s| ListingTimelineEntry {
            step: s.step,
            status: s.status,
            note: s.note,
            actor_name: s.actor_name,
            at: to_rfc3339(s.created_ms),
        })
        .collect();
    Ok(Json(CreditListingDetail {
        listing: listing(c, app.clock.now_ms()),
        timeline,
    }))
}

/// Takes a step (the deciding department; the subject its statement and its repair request).
#[utoipa::path(post, path = "/api/v1/credit/listings/{id}/steps", tag = "企业信用", params(("id" = String, Path)), request_body = ListingStepInput, responses((status = 200, body = CreditListing), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn take_step(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ListingStepInput>,
) -> ApiResult<Json<CreditListing>> {
    let now = app.clock.now_ms();
    let input = CoreStep {
        step: input.step,
        number: input.number,
        day: input.day,
        statement_days: input.statement_days,
        text: input.text,
        listed: input.listed,
        approve: input.approve,
        reason: input.reason,
    };
    let c = yingji_app::credit::listings::step(&app.store, &ctx(&caller), now, &id, &input).await?;
    Ok(Json(listing(c, now)))
}
