//! 巡查打卡: check in on a patrol (grid workers, street staff), the caller's check-ins of a day,
//! and a supervisor's view of their area.

pub mod api;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, IdempotencyKey, ctx, string_or_number};
use crate::routes::{Limits, ListResponse};
use api::{Patrol, PatrolInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_store::Page;
use yingji_store::patrols::{self, PatrolFilter};

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, check_in))
        .routes(routes!(get))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PatrolQuery {
    /// YYYY-MM-DD (Asia/Shanghai); today by default.
    pub day: Option<String>,
    /// Only the caller's own check-ins (a grid worker always reads only theirs).
    pub mine: Option<bool>,
    /// A grid, community or street inside the caller's area.
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 巡查记录 of a day, newest first: the caller's own, or (street staff, commanders,
/// administrators) those of their area.
#[utoipa::path(get, path = "/api/v1/patrols", tag = "巡查打卡", params(PatrolQuery), responses((status = 200, body = ListResponse<Patrol>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PatrolQuery>,
) -> ApiResult<Json<ListResponse<Patrol>>> {
    if let Some(r) = &q.region
        && !r.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(ApiError::field("region", "区划代码应为数字"));
    }
    let span = yingji_core::patrols::day_span("day", q.day.as_deref(), app.clock.now_ms())
        .map_err(yingji_store::StoreError::from)?;
    let filter = PatrolFilter {
        span: Some(span),
        mine: q.mine.unwrap_or(false),
        region: q.region,
    };
    let page = Page::new(q.page, q.page_size);
    let (items, total) = patrols::list(&app.store, &ctx(&caller), &filter, page).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 巡查打卡 at the caller's location (grid workers and street staff, in their own area). Send an
/// `Idempotency-Key`: a check-in sent again after a dropped connection is recorded once.
#[utoipa::path(post, path = "/api/v1/patrols", tag = "巡查打卡", params(crate::routes::kernel::api::idempotency::IdempotencyHeader), request_body = PatrolInput, responses((status = 201, body = Patrol), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn check_in(
    State(app): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    ApiJson(input): ApiJson<PatrolInput>,
) -> ApiResult<(StatusCode, Json<Patrol>)> {
    let p = yingji_app::patrols::check_in(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.try_into()?,
        key.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// 巡查记录详情, with its photos.
#[utoipa::path(get, path = "/api/v1/patrols/{id}", tag = "巡查打卡", params(("id" = String, Path)), responses((status = 200, body = Patrol), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Patrol>> {
    Ok(Json(
        patrols::get(&app.store, &ctx(&caller), &id).await?.into(),
    ))
}
