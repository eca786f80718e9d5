//! 联合检查: one visit of several departments to an enterprise, and the separate tasks that could be
//! merged into one.

use super::api::TeamMember;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::enforcement::joint as app_joint;
use yingji_core::kernel::clock::today;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(suggestions))
}

/// A joint inspection to arrange.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JointTaskInput {
    pub enterprise_id: String,
    /// 计划月份, YYYY-MM.
    pub planned_month: String,
    /// One 执法事项 of each department taking part (two or more departments).
    pub item_ids: Vec<String>,
    /// The team (at least two), from the taking part departments' pools.
    pub inspector_ids: Vec<String>,
}

/// One department's part of a joint inspection.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JointPart {
    pub department_name: String,
    pub item_name: String,
}

/// An arranged joint inspection: one task.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JointTask {
    pub task_id: String,
    pub enterprise_name: String,
    pub planned_month: String,
    pub parts: Vec<JointPart>,
    pub team: Vec<TeamMember>,
}

/// Separate open tasks of one enterprise in one month from two or more departments.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MergeSuggestion {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub month: String,
    pub departments: Vec<String>,
    pub task_ids: Vec<String>,
}

/// Arranges a 联合检查 (局领导 and 管理员, over the departments they see): one task with each
/// department's item, one team without 回避 and with valid 执法证.
#[utoipa::path(post, path = "/api/v1/enforcement/joint-tasks", tag = "执法监管", request_body = JointTaskInput, responses((status = 201, body = JointTask), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<JointTaskInput>,
) -> ApiResult<(StatusCode, Json<JointTask>)> {
    let req = yingji_core::enforcement::joint::JointInput {
        enterprise_id: input.enterprise_id,
        planned_month: input.planned_month,
        item_ids: input.item_ids,
        inspector_ids: input.inspector_ids,
    };
    let j = app_joint::create(&app.store, &ctx(&caller), app.clock.now_ms(), &req).await?;
    Ok((
        StatusCode::CREATED,
        Json(JointTask {
            task_id: j.task_id,
            enterprise_name: j.enterprise_name,
            planned_month: j.planned_month,
            parts: j
                .parts
                .into_iter()
                .map(|(department_name, item_name)| JointPart {
                    department_name,
                    item_name,
                })
                .collect(),
            team: j.team.into_iter().map(Into::into).collect(),
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    /// The year (default: this year).
    pub year: Option<i64>,
}

/// 联检建议: enterprises that two or more of the caller's departments would visit separately in the
/// same month (open tasks; a draw's task counts in the month it was made).
#[utoipa::path(get, path = "/api/v1/enforcement/joint-suggestions", tag = "执法监管", params(YearQuery), responses((status = 200, body = ListResponse<MergeSuggestion>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn suggestions(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<ListResponse<MergeSuggestion>>> {
    let year = q
        .year
        .unwrap_or_else(|| i64::from(today(app.clock.now_ms()).year()));
    let items = app_joint::suggestions(&app.store, &ctx(&caller), year).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items
            .into_iter()
            .map(|s| MergeSuggestion {
                enterprise_id: s.enterprise_id,
                enterprise_name: s.enterprise_name,
                month: s.month,
                departments: s.departments,
                task_ids: s.task_ids,
            })
            .collect(),
    }))
}
