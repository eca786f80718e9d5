//! 应急格 and 安监格: list, create, change and import overlay grids, their members, and locate
//! the grids containing a point.

use super::overlays_api::{GridRef, MemberCandidate, MemberInput, Overlay, OverlayInput};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::overlays as cases;
use yingji_store::grid::overlays::{self, OverlayFilter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(import))
        .routes(routes!(get, update))
        .routes(routes!(add_member))
        .routes(routes!(remove_member))
        .routes(routes!(candidates))
        .routes(routes!(locate))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OverlayQuery {
    /// `emergency` or `safety`.
    pub kind: Option<String>,
    /// A street (or district) code.
    pub street: Option<String>,
    /// Only active ones.
    pub active: Option<bool>,
}

/// 应急格、安监格 the caller may read (a grid worker: those they belong to), with boundaries and
/// members.
#[utoipa::path(get, path = "/api/v1/grid/overlays", tag = "网格事件", params(OverlayQuery), responses((status = 200, body = ListResponse<Overlay>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OverlayQuery>,
) -> ApiResult<Json<ListResponse<Overlay>>> {
    let f = OverlayFilter {
        kind: q.kind,
        street: q.street,
        active: q.active.unwrap_or(false),
    };
    let items = overlays::list(&app.store, &ctx(&caller), &f).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// Creates an overlay grid inside its street, not overlapping another active one of its kind
/// (administrators, 局领导, the street's staff).
#[utoipa::path(post, path = "/api/v1/grid/overlays", tag = "网格事件", request_body = OverlayInput, responses((status = 201, body = Overlay), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<OverlayInput>,
) -> ApiResult<(StatusCode, Json<Overlay>)> {
    let o = cases::create(&app.store, &ctx(&caller), app.clock.now_ms(), &input.into()).await?;
    Ok((StatusCode::CREATED, Json(o.into())))
}

/// Imports a GeoJSON FeatureCollection of overlay grids (properties `code`, `name`, `kind`,
/// `street_code`, optional `active`): all are stored, or — if one is bad — none, with an error
/// per bad feature (`features[i].field`).
#[utoipa::path(post, path = "/api/v1/grid/overlays/import", tag = "网格事件", request_body = Object, responses((status = 201, body = ListResponse<Overlay>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn import(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(fc): ApiJson<serde_json::Value>,
) -> ApiResult<(StatusCode, Json<ListResponse<Overlay>>)> {
    let items = cases::import(&app.store, &ctx(&caller), app.clock.now_ms(), &fc).await?;
    Ok((
        StatusCode::CREATED,
        Json(ListResponse {
            total: items.len() as i64,
            items: items.into_iter().map(Into::into).collect(),
        }),
    ))
}

/// One overlay grid.
#[utoipa::path(get, path = "/api/v1/grid/overlays/{id}", tag = "网格事件", params(("id" = String, Path)), responses((status = 200, body = Overlay), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Overlay>> {
    Ok(Json(
        overlays::get(&app.store, &ctx(&caller), &id).await?.into(),
    ))
}

/// Changes an overlay grid (its street's managers).
#[utoipa::path(put, path = "/api/v1/grid/overlays/{id}", tag = "网格事件", params(("id" = String, Path)), request_body = OverlayInput, responses((status = 200, body = Overlay), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<OverlayInput>,
) -> ApiResult<Json<Overlay>> {
    let o = cases::update(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.into(),
    )
    .await?;
    Ok(Json(o.into()))
}

/// Adds a member: a grid worker or street staff member of the overlay's street.
#[utoipa::path(post, path = "/api/v1/grid/overlays/{id}/members", tag = "网格事件", params(("id" = String, Path)), request_body = MemberInput, responses((status = 200, body = Overlay), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn add_member(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<MemberInput>,
) -> ApiResult<Json<Overlay>> {
    let o = cases::set_member(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.user_id,
        true,
    )
    .await?;
    Ok(Json(o.into()))
}

/// Removes a member.
#[utoipa::path(delete, path = "/api/v1/grid/overlays/{id}/members/{user_id}", tag = "网格事件", params(("id" = String, Path), ("user_id" = String, Path)), responses((status = 200, body = Overlay), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn remove_member(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, user_id)): Path<(String, String)>,
) -> ApiResult<Json<Overlay>> {
    let o = cases::set_member(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &user_id,
        false,
    )
    .await?;
    Ok(Json(o.into()))
}

/// The grid workers and street staff of the overlay's street, who may become its members (for its
/// managers).
#[utoipa::path(get, path = "/api/v1/grid/overlays/{id}/candidates", tag = "网格事件", params(("id" = String, Path)), responses((status = 200, body = ListResponse<MemberCandidate>), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn candidates(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ListResponse<MemberCandidate>>> {
    let items = cases::candidates(&app.store, &ctx(&caller), &id).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items
            .into_iter()
            .map(|c| MemberCandidate {
                role_label: yingji_core::kernel::role::Role::parse(&c.role)
                    .map(|r| r.label())
                    .unwrap_or("")
                    .to_string(),
                user_id: c.id,
                name: c.name,
                role: c.role,
                region_code: c.region_code,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LocateQuery {
    pub lon: Option<f64>,
    pub lat: Option<f64>,
}

/// The grids containing a point: the comprehensive grid and at most one active overlay of each
/// kind (as far as the caller may see them).
#[utoipa::path(get, path = "/api/v1/grid/locate", tag = "网格事件", params(LocateQuery), responses((status = 200, body = ListResponse<GridRef>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn locate(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<LocateQuery>,
) -> ApiResult<Json<ListResponse<GridRef>>> {
    let mut errs = yingji_core::kernel::validation::Errors::default();
    if q.lon.is_none() {
        errs.add("lon", "请提供经度 lon");
    }
    if q.lat.is_none() {
        errs.add("lat", "请提供纬度 lat");
    }
    yingji_core::kernel::validation::coordinates(&mut errs, q.lon, q.lat);
    let (Some(lon), Some(lat), true) = (q.lon, q.lat, errs.is_empty()) else {
        return Err(ApiError::from(yingji_store::StoreError::from(
            errs.into_invalid(),
        )));
    };
    let items = cases::locate_for(&app.store, &ctx(&caller), lon, lat).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}
