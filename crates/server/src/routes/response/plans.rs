//! Emergency plans (应急预案).

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::ctx;
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use crate::routes::response::api::plans::Plan;
use crate::routes::response::api::plans::PlanInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use yingji_store::Page;
use yingji_store::response::plans;
use yingji_store::response::plans::PlanFilter;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    pub kind: Option<String>,
    /// Plans that apply to this incident subtype.
    pub subtype: Option<String>,
    pub review_overdue: Option<bool>,
    pub q: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 预案库 (current versions).
#[utoipa::path(get, path = "/api/v1/plans", tag = "应急响应", params(PlanQuery), responses((status = 200, body = ListResponse<Plan>)))]
pub async fn list_plans(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PlanQuery>,
) -> ApiResult<Json<ListResponse<Plan>>> {
    let f = PlanFilter {
        kind: q.kind,
        subtype: q.subtype,
        review_overdue: q.review_overdue,
        q: q.q,
    };
    let (items, total) = plans::list(
        &app.store,
        &caller.scope,
        &f,
        Page::new(q.page, q.page_size),
        app.clock.now_ms(),
    )
    .await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 登记预案 (a new version of an existing code supersedes the earlier one).
#[utoipa::path(post, path = "/api/v1/plans", tag = "应急响应", request_body = PlanInput, responses((status = 201, body = Plan), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create_plan(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PlanInput>,
) -> ApiResult<(StatusCode, Json<Plan>)> {
    let p = yingji_app::response::plans::create(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "应急响应", params(("id" = String, Path)), responses((status = 200, body = Plan), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_plan(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Plan>> {
    Ok(Json(
        plans::get(&app.store, &caller.scope, &id, app.clock.now_ms())
            .await?
            .into(),
    ))
}
