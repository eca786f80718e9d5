//! 护林员 on the phone page: the areas of their street, patrol logs and 火点 reports; the bureau's
//! 核实 of a 火点 (an incident 森林火灾, linked back).

use super::forest_api::{Area, FirePoint, Patrol};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::disasters::forest_patrols as app_patrols;
use yingji_core::disasters::forest_patrols::{FirePointDecision, FirePointInput, PatrolInput};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_forest_areas))
        .routes(routes!(list_forest_patrols, create_forest_patrol))
        .routes(routes!(list_fire_points, report_fire_point))
        .routes(routes!(get_fire_point))
        .routes(routes!(decide_fire_point))
}

fn list<T, U: From<T>>(items: Vec<T>) -> ListResponse<U> {
    ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }
}

/// The forest areas of the 护林员's street (grid workers).
#[utoipa::path(get, path = "/api/v1/disasters/forest/my-areas", tag = "森林防火", responses((status = 200, body = ListResponse<Area>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn my_forest_areas(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<Area>>> {
    Ok(Json(list(
        app_patrols::my_areas(&app.store, &ctx(&caller)).await?,
    )))
}

/// 护林巡查: a ranger's own, or those of the caller's region.
#[utoipa::path(get, path = "/api/v1/disasters/forest/patrols", tag = "森林防火", responses((status = 200, body = ListResponse<Patrol>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_forest_patrols(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<Patrol>>> {
    Ok(Json(list(
        app_patrols::patrols(&app.store, &ctx(&caller)).await?,
    )))
}

/// 记录巡护 from the phone (护林员: grid workers, in their street's areas).
#[utoipa::path(post, path = "/api/v1/disasters/forest/patrols", tag = "森林防火", request_body = PatrolInput, responses((status = 201, body = Patrol), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_forest_patrol(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PatrolInput>,
) -> ApiResult<(StatusCode, Json<Patrol>)> {
    let p =
        app_patrols::record_patrol(&app.store, &ctx(&caller), app.clock.now_ms(), &input).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// 火点: a ranger's own, or those of the caller's region.
#[utoipa::path(get, path = "/api/v1/disasters/forest/fire-points", tag = "森林防火", responses((status = 200, body = ListResponse<FirePoint>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_fire_points(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<ListResponse<FirePoint>>> {
    Ok(Json(list(
        app_patrols::points(&app.store, &ctx(&caller)).await?,
    )))
}

/// 报告火点 from the phone (护林员).
#[utoipa::path(post, path = "/api/v1/disasters/forest/fire-points", tag = "森林防火", request_body = FirePointInput, responses((status = 201, body = FirePoint), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn report_fire_point(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<FirePointInput>,
) -> ApiResult<(StatusCode, Json<FirePoint>)> {
    let p =
        app_patrols::report_point(&app.store, &ctx(&caller), app.clock.now_ms(), &input).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// One 火点.
#[utoipa::path(get, path = "/api/v1/disasters/forest/fire-points/{id}", tag = "森林防火", params(("id" = String, Path)), responses((status = 200, body = FirePoint), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_fire_point(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<FirePoint>> {
    Ok(Json(
        app_patrols::point(&app.store, &ctx(&caller), &id)
            .await?
            .into(),
    ))
}

/// 核实火点: confirmed, an incident 森林火灾 is opened and linked (with the burnt hectares the
/// 受害率 counts); or 误报.
#[utoipa::path(post, path = "/api/v1/disasters/forest/fire-points/{id}/decision", tag = "森林防火", params(("id" = String, Path)), request_body = FirePointDecision, responses((status = 200, body = FirePoint), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn decide_fire_point(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<FirePointDecision>,
) -> ApiResult<Json<FirePoint>> {
    let p = app_patrols::decide_point(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input)
        .await?;
    Ok(Json(p.into()))
}
