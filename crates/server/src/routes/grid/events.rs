//! 网格事件: list and read, file (phone and console), dispatch by hand, 签收, 退回; the catalogue.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, IdempotencyKey, ctx, string_or_number};
use crate::routes::ListResponse;
use crate::routes::grid::events_api::{
    DispatchInput, GridBoard, GridEvent, GridEventDetail, GridEventInput, ReasonInput,
};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::events as uc;
use yingji_core::grid::events::{Source, Status};
use yingji_core::grid::events_config::Category;
use yingji_core::kernel::clock::parse_instant;
use yingji_store::grid::events::{self as store, Filter};
use yingji_store::{Page, StoreError};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get))
        .routes(routes!(dispatch))
        .routes(routes!(accept))
        .routes(routes!(return_event))
        .routes(routes!(categories))
        .routes(routes!(board))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EventQuery {
    /// pending_dispatch / dispatched / accepted / handled / answered / closed / merged
    pub status: Option<String>,
    /// grid / public / hotline / opinion / duty
    pub source: Option<String>,
    pub category: Option<String>,
    /// Only the open ones.
    pub open: Option<bool>,
    /// Only those assigned to the caller's department or street.
    pub mine: Option<bool>,
    /// A code, title or description fragment.
    #[serde(default, deserialize_with = "string_or_number")]
    pub q: Option<String>,
    /// Filed on or after this day/time (Asia/Shanghai).
    pub from: Option<String>,
    /// Filed before this day/time.
    pub to: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

fn filter_of(q: &EventQuery) -> Result<Filter, StoreError> {
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let status = given(&q.status);
    if let Some(s) = &status
        && Status::parse(s).is_none()
    {
        return Err(StoreError::invalid("status", format!("事件状态“{s}”无效")));
    }
    let source = given(&q.source);
    if let Some(s) = &source
        && Source::parse(s).is_none()
    {
        return Err(StoreError::invalid("source", format!("事件来源“{s}”无效")));
    }
    let at = |field: &str, v: &Option<String>| -> Result<Option<i64>, StoreError> {
        given(v)
            .map(|s| parse_instant(&s).map_err(|m| StoreError::invalid(field, m)))
            .transpose()
    };
    let (from, to) = (at("from", &q.from)?, at("to", &q.to)?);
    let span = match (from, to) {
        (None, None) => None,
        (f, t) => Some((f.unwrap_or(i64::MIN), t.unwrap_or(i64::MAX))),
    };
    Ok(Filter {
        status,
        source,
        category: given(&q.category),
        open: q.open.unwrap_or(false),
        mine: q.mine.unwrap_or(false),
        q: given(&q.q),
        span,
    })
}

/// 网格事件 the caller may read, the latest first.
#[utoipa::path(get, path = "/api/v1/grid/events", tag = "网格事件", params(EventQuery), responses((status = 200, body = ListResponse<GridEvent>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<EventQuery>,
) -> ApiResult<Json<ListResponse<GridEvent>>> {
    let f = filter_of(&q)?;
    let c = ctx(&caller);
    let (items, total) = store::list(&app.store, &c, &f, Page::new(q.page, q.page_size)).await?;
    Ok(Json(ListResponse {
        items: items
            .into_iter()
            .map(|e| GridEvent::seen_by(e, &c))
            .collect(),
        total,
    }))
}

/// 上报网格事件 (网格员 and 街道/社区人员 from the phone, the duty room from the console): the
/// dispatch rules send it to its unit at once, or to the duty room.
#[utoipa::path(post, path = "/api/v1/grid/events", tag = "网格事件", params(crate::routes::kernel::api::idempotency::IdempotencyHeader), request_body = GridEventInput, responses((status = 201, body = GridEventDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    ApiJson(input): ApiJson<GridEventInput>,
) -> ApiResult<(StatusCode, Json<GridEventDetail>)> {
    let c = ctx(&caller);
    let event = (&input).into();
    let d = uc::file(
        &app.store,
        &c,
        app.clock.now_ms(),
        (&event, &input.attachments),
        key.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(GridEventDetail::seen_by(d, &c))))
}

/// 事件详情 with its timeline and photos.
#[utoipa::path(get, path = "/api/v1/grid/events/{id}", tag = "网格事件", params(("id" = String, Path)), responses((status = 200, body = GridEventDetail), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<GridEventDetail>> {
    let c = ctx(&caller);
    let d = store::detail(&app.store, &c, &id).await?;
    let officer =
        yingji_app::grid::rewards::is_officer(&app.store, &c, &d.event.district_code).await?;
    Ok(Json(GridEventDetail::seen_by_as(d, &c, officer)))
}

/// 人工分拨 (值班员, 局领导): to a department or a street; its deadlines start again.
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/dispatch", tag = "网格事件", params(("id" = String, Path)), request_body = DispatchInput, responses((status = 200, body = GridEventDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn dispatch(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DispatchInput>,
) -> ApiResult<Json<GridEventDetail>> {
    let c = ctx(&caller);
    let d = uc::dispatch_to(
        &app.store,
        &c,
        app.clock.now_ms(),
        &id,
        &input.unit_kind,
        &input.unit_id,
    )
    .await?;
    Ok(Json(GridEventDetail::seen_by(d, &c)))
}

/// 签收 by the unit.
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/accept", tag = "网格事件", params(("id" = String, Path)), responses((status = 200, body = GridEventDetail), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn accept(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<GridEventDetail>> {
    let c = ctx(&caller);
    let d = uc::accept(&app.store, &c, app.clock.now_ms(), &id).await?;
    Ok(Json(GridEventDetail::seen_by(d, &c)))
}

/// 退回 by the unit, with its reason: back to the duty room (待分拨).
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/return", tag = "网格事件", params(("id" = String, Path)), request_body = ReasonInput, responses((status = 200, body = GridEventDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn return_event(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> ApiResult<Json<GridEventDetail>> {
    let c = ctx(&caller);
    let d =
        uc::return_to_dispatcher(&app.store, &c, app.clock.now_ms(), &id, &input.reason).await?;
    Ok(Json(GridEventDetail::seen_by(d, &c)))
}

/// 事件分类目录 of the caller's district, with the deadlines.
#[utoipa::path(get, path = "/api/v1/grid/categories", tag = "网格事件", responses((status = 200, body = Vec<Category>)))]
pub async fn categories(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<Category>>> {
    let district =
        yingji_store::directory::regions::district_of_scope(&app.store, &ctx(&caller).scope)
            .await?;
    let config = uc::config_of(&app.store, &district).await?;
    Ok(Json(
        config.categories.into_iter().filter(|c| c.active).collect(),
    ))
}

/// 督办看板: the open events in scope per unit, by state and by card, and the carded ones.
#[utoipa::path(get, path = "/api/v1/grid/board", tag = "网格事件", responses((status = 200, body = GridBoard), (status = 403, body = crate::error::ErrorBody)))]
pub async fn board(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<GridBoard>> {
    let c = ctx(&caller);
    let b = yingji_store::grid::events_board::board(&app.store, &c, 100).await?;
    Ok(Json(GridBoard::seen_by(b, &c)))
}
