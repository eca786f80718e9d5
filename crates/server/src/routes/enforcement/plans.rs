//! 年度检查计划: drafted by a department, approved or sent back by the bureau's leader; each
//! enterprise of the 重点检查 list with how often and why, and the 双随机 quotas per category.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::directory::enterprise::{CATEGORIES, label_of as category_label};
use yingji_core::enforcement::EXCLUSION_REASONS;
use yingji_core::enforcement::plan::{PLAN_STATUSES, QuotaInput};
use yingji_core::kernel::label_of;
use yingji_store::enforcement::plans;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, draft))
        .routes(routes!(get))
        .routes(routes!(decide))
}

/// A plan to draft.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionPlanInput {
    /// The department (a department's staff: their own, which is the default).
    #[serde(default)]
    pub department_id: Option<String>,
    /// 计划年度.
    pub year: i64,
    /// 计划名称.
    pub title: String,
    /// 双随机 quotas, one per supervision category.
    #[serde(default)]
    pub quotas: Vec<QuotaInput>,
}

/// The leader's decision.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionPlanDecision {
    /// true: 批准; false: 退回 (an opinion is then required).
    pub approve: bool,
    /// 审批意见.
    #[serde(default)]
    pub opinion: Option<String>,
}

/// An enterprise of the 重点检查 list: how often it is inspected this year, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanKeyEntry {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub times: u32,
    pub reasons: Vec<String>,
    pub reason_labels: Vec<String>,
}

/// A category's 双随机 line: each of its `candidates` is drawn with the chance `draws/candidates`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanCategoryLine {
    pub category: String,
    pub category_label: String,
    pub pool: i64,
    pub key: i64,
    pub candidates: i64,
    pub quota: String,
    pub draws: i64,
}

/// An annual plan (its lists only when read one by one).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionPlan {
    pub id: String,
    pub department_id: String,
    pub department_name: String,
    pub year: i64,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub rules_version: i64,
    pub key_count: i64,
    pub key_inspections: i64,
    pub random_inspections: i64,
    pub key: Vec<PlanKeyEntry>,
    pub categories: Vec<PlanCategoryLine>,
    pub drafted_by_name: String,
    pub drafted_ms: i64,
    pub decided_by_name: Option<String>,
    pub decided_ms: Option<i64>,
    pub opinion: Option<String>,
}

impl From<plans::Plan> for InspectionPlan {
    fn from(p: plans::Plan) -> Self {
        let key = p.content.key.into_iter().map(|e| PlanKeyEntry {
            reason_labels: e
                .reasons
                .iter()
                .map(|r| {
                    label_of(&EXCLUSION_REASONS, r)
                        .map(str::to_string)
                        .or_else(|| yingji_core::credit::rating::plan_reason_label(r))
                        .unwrap_or_else(|| r.clone())
                })
                .collect(),
            enterprise_id: e.enterprise_id,
            enterprise_name: e.enterprise_name,
            times: e.times,
            reasons: e.reasons,
        });
        let categories = p.content.categories.into_iter().map(|c| PlanCategoryLine {
            category_label: category_label(CATEGORIES, &c.category)
                .unwrap_or(&c.category)
                .to_string(),
            category: c.category,
            pool: c.pool,
            key: c.key,
            candidates: c.candidates,
            quota: c.quota,
            draws: c.draws,
        });
        Self {
            status_label: label_of(&PLAN_STATUSES, &p.status)
                .unwrap_or("")
                .to_string(),
            id: p.id,
            department_id: p.department_id,
            department_name: p.department_name,
            year: p.year,
            title: p.title,
            status: p.status,
            rules_version: p.rules_version,
            key_count: p.key_count,
            key_inspections: p.key_inspections,
            random_inspections: p.random_inspections,
            key: key.collect(),
            categories: categories.collect(),
            drafted_by_name: p.drafted_by_name,
            drafted_ms: p.drafted_ms,
            decided_by_name: p.decided_by_name,
            decided_ms: p.decided_ms,
            opinion: p.opinion,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    /// Only this year's.
    pub year: Option<i64>,
}

/// 年度检查计划 of the departments the caller may see, newest year first (without their lists).
#[utoipa::path(get, path = "/api/v1/enforcement/plans", tag = "执法监管", params(PlanQuery), responses((status = 200, body = ListResponse<InspectionPlan>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PlanQuery>,
) -> ApiResult<Json<ListResponse<InspectionPlan>>> {
    let items = plans::list(&app.store, &ctx(&caller), q.year).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Drafts a department's annual plan (局领导, 部门人员 for their own, 管理员): the 重点检查 list
/// from the district's rule, and the 双随机 quotas per category.
#[utoipa::path(post, path = "/api/v1/enforcement/plans", tag = "执法监管", request_body = InspectionPlanInput, responses((status = 201, body = InspectionPlan), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn draft(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<InspectionPlanInput>,
) -> ApiResult<(StatusCode, Json<InspectionPlan>)> {
    let req = yingji_core::enforcement::plan::PlanInput {
        year: input.year,
        title: input.title,
        quotas: input.quotas,
    };
    let p = yingji_app::enforcement::plans::draft(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        input.department_id.as_deref(),
        &req,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// One plan with its 重点检查 list and category lines.
#[utoipa::path(get, path = "/api/v1/enforcement/plans/{id}", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, body = InspectionPlan), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<InspectionPlan>> {
    Ok(Json(
        plans::get(&app.store, &ctx(&caller), &id).await?.into(),
    ))
}

/// The bureau leader's decision on a drafted plan: 批准 (the plan is then fixed) or 退回.
#[utoipa::path(post, path = "/api/v1/enforcement/plans/{id}/decision", tag = "执法监管", params(("id" = String, Path)), request_body = InspectionPlanDecision, responses((status = 200, body = InspectionPlan), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn decide(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<InspectionPlanDecision>,
) -> ApiResult<Json<InspectionPlan>> {
    let p = yingji_app::enforcement::plans::decide(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        d.approve,
        d.opinion.as_deref(),
    )
    .await?;
    Ok(Json(p.into()))
}
