//! 突发事件接报与应急响应: incidents with their reporting deadlines, 续报/补报, 上报, plans and
//! their activation on an incident, the task board.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::ctx;
use crate::extract::{ApiJson, ApiQuery, Caller, string_or_number};
use crate::routes::ListResponse;
use crate::routes::response::api::incidents::CloseInput;
use crate::routes::response::api::incidents::EscalationInput;
use crate::routes::response::api::incidents::Incident;
use crate::routes::response::api::incidents::IncidentDetail;
use crate::routes::response::api::incidents::IncidentInput;
use crate::routes::response::api::incidents::ReportInput;
use crate::routes::response::api::investigations::IncidentStats;
use crate::routes::response::api::plans::ActivationInput;
use crate::routes::response::api::plans::Response;
use crate::routes::response::api::plans::Suggestion;
use crate::routes::response::api::plans::TaskUpdate;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use yingji_core::response::incident::{
    Casualties, Category, SUBTYPES, Severity, Subtype, chain_end, followups_per_day, subtype,
};
use yingji_core::response::plan::KINDS;
use yingji_store::Page;
use yingji_store::response::incidents;
use yingji_store::response::incidents::IncidentFilter;
use yingji_store::response::investigations;
use yingji_store::response::plans;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Labelled {
    pub code: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IncidentMeta {
    pub categories: Vec<Labelled>,
    pub subtypes: Vec<Subtype>,
    pub severities: Vec<Labelled>,
    pub plan_kinds: Vec<Labelled>,
    /// How an 接报 reached the duty room.
    pub report_channels: Vec<Labelled>,
}

/// Categories, subtypes (with whether 493号令 grades them), grades and plan kinds.
#[utoipa::path(get, path = "/api/v1/incidents/meta", tag = "应急响应", responses((status = 200, body = IncidentMeta)))]
pub async fn meta(_caller: Caller) -> Json<IncidentMeta> {
    Json(IncidentMeta {
        categories: Category::ALL
            .iter()
            .map(|c| Labelled {
                code: c.as_str(),
                label: c.label(),
            })
            .collect(),
        subtypes: SUBTYPES.to_vec(),
        severities: Severity::ALL
            .iter()
            .rev()
            .map(|s| Labelled {
                code: s.as_str(),
                label: s.label(),
            })
            .collect(),
        plan_kinds: KINDS
            .iter()
            .map(|(code, label)| Labelled { code, label })
            .collect(),
        report_channels: yingji_core::response::incident::REPORT_CHANNELS
            .iter()
            .map(|(code, label)| Labelled { code, label })
            .collect(),
    })
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessInput {
    pub subtype: String,
    #[serde(default)]
    pub casualties: Casualties,
    #[serde(default)]
    pub larger_risk_judged: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = IncidentAssessment)]
pub struct Assessment {
    /// Whether 493号令 grades this subtype (otherwise the officer assesses).
    pub graded_by_rule: bool,
    pub severity: Option<String>,
    pub severity_label: Option<String>,
    pub larger_risk: bool,
    /// Where the 上报 chain ends.
    pub chain_end_label: Option<String>,
    pub followups_per_day: Option<i64>,
}

/// The grade the intake form will get, while the officer types (nothing is stored).
#[utoipa::path(post, path = "/api/v1/incidents/assess", tag = "应急响应", request_body = AssessInput, responses((status = 200, body = Assessment), (status = 400, body = crate::error::ErrorBody)))]
pub async fn assess(
    _caller: Caller,
    ApiJson(input): ApiJson<AssessInput>,
) -> ApiResult<Json<Assessment>> {
    let st = subtype(&input.subtype).ok_or_else(|| ApiError::field("subtype", "事件类型无效"))?;
    let mut errs = yingji_core::kernel::validation::Errors::default();
    input.casualties.check(&mut errs);
    if !errs.is_empty() {
        return Err(yingji_store::StoreError::from(errs.into_invalid()).into());
    }
    if !st.work_safety {
        return Ok(Json(Assessment {
            graded_by_rule: false,
            severity: None,
            severity_label: None,
            larger_risk: false,
            chain_end_label: None,
            followups_per_day: None,
        }));
    }
    let g = input.casualties.grade();
    Ok(Json(Assessment {
        graded_by_rule: true,
        severity: Some(g.as_str().into()),
        severity_label: Some(g.label().into()),
        larger_risk: input.casualties.is_larger_risk(input.larger_risk_judged),
        chain_end_label: Some(chain_end(g).label().into()),
        followups_per_day: Some(followups_per_day(g)),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IncidentQuery {
    /// open / closed
    pub status: Option<String>,
    pub category: Option<String>,
    /// general / larger / major / extra_major
    pub severity: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
    /// YYYY-MM of occurrence.
    pub month: Option<String>,
    /// Code (exact) or words of the title.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

impl IncidentQuery {
    pub fn filter(&self) -> ApiResult<IncidentFilter> {
        if let Some(s) = &self.status
            && !matches!(s.as_str(), "open" | "closed")
        {
            return Err(ApiError::field(
                "status",
                "状态应为 open（处置中）或 closed（已结束）",
            ));
        }
        if let Some(c) = &self.category {
            Category::parse(c).map_err(|m| ApiError::field("category", m))?;
        }
        let severity = self
            .severity
            .as_deref()
            .map(Severity::parse)
            .transpose()
            .map_err(|m| ApiError::field("severity", m))?;
        if let Some(m) = &self.month {
            crate::routes::prevention::hazards::check_month("month", m)?;
        }
        if let Some(r) = &self.region
            && !r.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(ApiError::field("region", "区划代码应为数字"));
        }
        Ok(IncidentFilter {
            status: self.status.clone(),
            category: self.category.clone(),
            severity,
            region: self.region.clone(),
            month: self.month.clone(),
            received_between: None,
            q: self.q.clone(),
        })
    }
}

/// 事件列表, newest first, each with its next deadline and overdue flag.
#[utoipa::path(get, path = "/api/v1/incidents", tag = "应急响应", params(IncidentQuery), responses((status = 200, body = ListResponse<Incident>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<IncidentQuery>,
) -> ApiResult<Json<ListResponse<Incident>>> {
    let (items, total) = incidents::list(
        &app.store,
        &caller.scope,
        &q.filter()?,
        Page::new(q.page, q.page_size),
        app.clock.now_ms(),
    )
    .await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 接报: records and grades an incident (493号令 for 生产安全事故) with its 初报.
#[utoipa::path(post, path = "/api/v1/incidents", tag = "应急响应", request_body = IncidentInput, responses((status = 201, body = IncidentDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<IncidentInput>,
) -> ApiResult<(StatusCode, Json<IncidentDetail>)> {
    let d = yingji_app::response::incidents::create(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.try_into()?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// 事件详情: the record, the 上报 chain with deadlines, reports and the timeline.
#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "应急响应", params(("id" = String, Path)), responses((status = 200, body = IncidentDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<IncidentDetail>> {
    Ok(Json(
        incidents::detail(&app.store, &caller.scope, &id, app.clock.now_ms())
            .await?
            .into(),
    ))
}

/// 续报 or 补报 with the counts as now known; regrades inside the 补报 window.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/reports", tag = "应急响应", params(("id" = String, Path)), request_body = ReportInput, responses((status = 200, body = IncidentDetail), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn report(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReportInput>,
) -> ApiResult<Json<IncidentDetail>> {
    Ok(Json(
        yingji_app::response::incidents::add_report(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}

/// 上报: records when a level above the county had the report.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/escalations", tag = "应急响应", params(("id" = String, Path)), request_body = EscalationInput, responses((status = 200, body = IncidentDetail), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn escalate(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EscalationInput>,
) -> ApiResult<Json<IncidentDetail>> {
    Ok(Json(
        yingji_app::response::incidents::escalate(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}

/// 应急处置结束.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/close", tag = "应急响应", params(("id" = String, Path)), request_body = CloseInput, responses((status = 200, body = IncidentDetail), (status = 409, body = crate::error::ErrorBody)))]
pub async fn close(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CloseInput>,
) -> ApiResult<Json<IncidentDetail>> {
    Ok(Json(
        yingji_app::response::incidents::close(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}

/// The plan response on an incident: decisions and the task board.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/response", tag = "应急响应", params(("id" = String, Path)), responses((status = 200, body = Response), (status = 404, body = crate::error::ErrorBody)))]
pub async fn response(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Response>> {
    Ok(Json(
        plans::response(&app.store, &caller.scope, &id, app.clock.now_ms())
            .await?
            .into(),
    ))
}

/// The response level each applicable plan's triggers suggest for the incident.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/plan-suggestions", tag = "应急响应", params(("id" = String, Path)), responses((status = 200, body = Vec<Suggestion>)))]
pub async fn suggestions(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Suggestion>>> {
    Ok(Json(
        plans::suggestions(&app.store, &caller.scope, &id, app.clock.now_ms())
            .await?
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>(),
    ))
}

/// 启动 / 升级 / 降级 / 终止 a plan's response; starting a level creates its tasks.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/response", tag = "应急响应", params(("id" = String, Path)), request_body = ActivationInput, responses((status = 200, body = Response), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn decide(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ActivationInput>,
) -> ApiResult<Json<Response>> {
    Ok(Json(
        yingji_app::response::plans::decide(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}

/// A task's progress (处理中 / 已完成).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/tasks/{task_id}", tag = "应急响应", params(("id" = String, Path), ("task_id" = String, Path)), request_body = TaskUpdate, responses((status = 200, body = Response), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_task(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, task_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<TaskUpdate>,
) -> ApiResult<Json<Response>> {
    Ok(Json(
        yingji_app::response::plans::update_task(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &task_id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// Defaults to this year (Beijing).
    #[serde(default, deserialize_with = "string_or_number")]
    pub year: Option<String>,
    /// Defaults to the year before.
    #[serde(default, deserialize_with = "string_or_number")]
    pub baseline_year: Option<String>,
    /// natural / accident / public_health / social_security
    pub category: Option<String>,
}

/// 事故统计: by month, grade and category against a baseline year (同比 over the same months).
#[utoipa::path(get, path = "/api/v1/incidents/stats", tag = "应急响应", params(StatsQuery), responses((status = 200, body = IncidentStats), (status = 400, body = crate::error::ErrorBody)))]
pub async fn stats(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Json<IncidentStats>> {
    Ok(Json(stats_of(&app, &caller, q).await?.into()))
}

/// The figures of 事故统计 for a query (also exported).
pub async fn stats_of(
    app: &AppState,
    caller: &Caller,
    q: StatsQuery,
) -> ApiResult<investigations::IncidentStats> {
    let now = app.clock.now_ms();
    let parse_year = |field: &str, raw: Option<String>| -> ApiResult<Option<i16>> {
        match raw {
            None => Ok(None),
            Some(s) => s.trim().parse::<i16>().map(Some).map_err(|_| {
                ApiError::from(yingji_store::StoreError::invalid(
                    field,
                    format!("年份“{s}”格式不正确，应为 2026"),
                ))
            }),
        }
    };
    let year = parse_year("year", q.year)?
        .unwrap_or_else(|| yingji_core::kernel::clock::today(now).year());
    let baseline = parse_year("baseline_year", q.baseline_year)?;
    Ok(investigations::stats(
        &app.store,
        &caller.scope,
        year,
        baseline,
        q.category.as_deref(),
        now,
    )
    .await?)
}
