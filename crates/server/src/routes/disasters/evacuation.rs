//! 转移: evacuation plans, 转移 orders with answers per person and the check-in at the shelter,
//! and the totals by township for the 灾情 report.

use super::evacuation_api::{EvacuationOrder, EvacuationPlan, EvacuationTotals};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::disasters::evacuation as app_evacuation;
use yingji_core::disasters::evacuation::{EvacuationAnswerInput, EvacuationPlanInput};
use yingji_store::disasters::evacuation_totals::{TotalsOf, totals_for};
use yingji_store::disasters::{evacuation, processes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_plans, create_plan))
        .routes(routes!(get_plan))
        .routes(routes!(list_orders, issue))
        .routes(routes!(get_order))
        .routes(routes!(answer))
        .routes(routes!(check_in))
        .routes(routes!(totals))
}

/// 转移预案 the caller sees (without their name lists).
#[utoipa::path(get, path = "/api/v1/disasters/evacuation/plans", tag = "防灾减灾", responses((status = 200, body = ListResponse<EvacuationPlan>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_plans(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<EvacuationPlan>>> {
    let items = evacuation::list_plans(&app.store, &ctx(&caller)).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// 编制转移预案: a hazard point's and community's name list, shelter and route.
#[utoipa::path(post, path = "/api/v1/disasters/evacuation/plans", tag = "防灾减灾", request_body = EvacuationPlanInput, responses((status = 201, body = EvacuationPlan), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_plan(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<EvacuationPlanInput>,
) -> ApiResult<(StatusCode, Json<EvacuationPlan>)> {
    let p =
        app_evacuation::create_plan(&app.store, &ctx(&caller), app.clock.now_ms(), &input).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// One plan with its name list.
#[utoipa::path(get, path = "/api/v1/disasters/evacuation/plans/{id}", tag = "防灾减灾", params(("id" = String, Path)), responses((status = 200, body = EvacuationPlan), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_plan(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<EvacuationPlan>> {
    Ok(Json(
        evacuation::get_plan(&app.store, &ctx(&caller), &id)
            .await?
            .into(),
    ))
}

/// 转移 orders the caller sees, newest first, with their progress.
#[utoipa::path(get, path = "/api/v1/disasters/evacuation/orders", tag = "防灾减灾", responses((status = 200, body = ListResponse<EvacuationOrder>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_orders(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<EvacuationOrder>>> {
    let items = evacuation::list_orders(&app.store, &ctx(&caller)).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// A 转移 order to issue from a plan.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvacuationOrderInput {
    pub plan_id: String,
    /// The warning it answers.
    #[serde(default)]
    pub warning_id: Option<String>,
    /// The incident (response) it belongs to.
    #[serde(default)]
    pub incident_id: Option<String>,
}

/// 下达转移指令 from a plan: its name list, every answer waiting.
#[utoipa::path(post, path = "/api/v1/disasters/evacuation/orders", tag = "防灾减灾", request_body = EvacuationOrderInput, responses((status = 201, body = EvacuationOrder), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn issue(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<EvacuationOrderInput>,
) -> ApiResult<(StatusCode, Json<EvacuationOrder>)> {
    let o = app_evacuation::issue(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.plan_id,
        input.warning_id.as_deref(),
        input.incident_id.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(o.into())))
}

/// One 转移 order with its name list and answers.
#[utoipa::path(get, path = "/api/v1/disasters/evacuation/orders/{id}", tag = "防灾减灾", params(("id" = String, Path)), responses((status = 200, body = EvacuationOrder), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_order(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<EvacuationOrder>> {
    Ok(Json(
        evacuation::get_order(&app.store, &ctx(&caller), &id)
            .await?
            .into(),
    ))
}

/// 登记回复: one person 到达, 拒绝 or 失联.
#[utoipa::path(post, path = "/api/v1/disasters/evacuation/orders/{id}/answers", tag = "防灾减灾", params(("id" = String, Path)), request_body = EvacuationAnswerInput, responses((status = 200, body = EvacuationOrder), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn answer(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EvacuationAnswerInput>,
) -> ApiResult<Json<EvacuationOrder>> {
    let o =
        app_evacuation::answer(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input).await?;
    Ok(Json(o.into()))
}

/// A person to check in.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvacuationCheckIn {
    pub person_id: String,
}

/// 入住安置点: an arrived person checks in at the order's shelter (its occupancy goes up by one;
/// refused beyond its capacity).
#[utoipa::path(post, path = "/api/v1/disasters/evacuation/orders/{id}/check-ins", tag = "防灾减灾", params(("id" = String, Path)), request_body = EvacuationCheckIn, responses((status = 200, body = EvacuationOrder), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn check_in(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EvacuationCheckIn>,
) -> ApiResult<Json<EvacuationOrder>> {
    let o = app_evacuation::check_in(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.person_id,
    )
    .await?;
    Ok(Json(o.into()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TotalsQuery {
    /// The orders answering this warning.
    pub warning_id: Option<String>,
    /// The orders of this incident.
    pub incident_id: Option<String>,
    /// The orders of this 灾害过程: its linked incident's, else those issued from its start to
    /// its stable mark (or now), for its 灾情 report's 紧急转移安置.
    pub process_id: Option<String>,
    /// Else the orders issued from this day (YYYY-MM-DD) …
    pub from: Option<String>,
    /// … to this day, inclusive (default: the 30 days up to today).
    pub to: Option<String>,
    /// One township (9-digit code).
    pub township: Option<String>,
}

/// 转移人数, 到达 and 安置 by township, for the 灾情 report: of a 灾害过程, a warning, an
/// incident, or the orders issued in a period.
#[utoipa::path(get, path = "/api/v1/disasters/evacuation/totals", tag = "防灾减灾", params(TotalsQuery), responses((status = 200, body = ListResponse<EvacuationTotals>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn totals(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<TotalsQuery>,
) -> ApiResult<Json<ListResponse<EvacuationTotals>>> {
    let process = match &q.process_id {
        Some(id) => Some(processes::get(&app.store, &ctx(&caller), id).await?),
        None => None,
    };
    let of = match (&process, &q.warning_id, &q.incident_id) {
        (Some(p), None, None) => match &p.incident_id {
            Some(i) => TotalsOf::Incident(i),
            None => TotalsOf::Period {
                from_ms: p.started_ms,
                to_ms: p.stable_ms.unwrap_or(i64::MAX),
            },
        },
        (None, Some(w), None) => TotalsOf::Warning(w),
        (None, None, Some(i)) => TotalsOf::Incident(i),
        (None, None, None) => {
            let (from_ms, to_ms) =
                crate::routes::day_range(app.clock.now_ms(), q.from.as_deref(), q.to.as_deref())?;
            TotalsOf::Period { from_ms, to_ms }
        }
        _ => {
            return Err(ApiError::field(
                "process_id",
                "灾害过程、预警和突发事件只能选择一个",
            ));
        }
    };
    let items = totals_for(&app.store, &ctx(&caller), &of, q.township.as_deref()).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}
