//! 区划与网格.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, string_or_number};
use crate::routes::ListResponse;
use crate::routes::directory::api::regions::Region;
use crate::routes::directory::api::regions::RegionInput;
use crate::routes::directory::api::regions::RegionUpdate;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use yingji_store::directory::regions;
use yingji_store::directory::regions::RegionFilter;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegionQuery {
    /// Children of this region code.
    #[serde(default, deserialize_with = "string_or_number")]
    pub parent: Option<String>,
    /// district / street / community / grid
    pub level: Option<String>,
    /// Name contains, or exact code.
    #[serde(default, deserialize_with = "string_or_number")]
    pub q: Option<String>,
    /// Only the top regions of the caller's scope.
    pub roots: Option<bool>,
}

/// 区划列表 (within the caller's scope).
#[utoipa::path(get, path = "/api/v1/regions", tag = "区划", params(RegionQuery), responses((status = 200, body = ListResponse<Region>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RegionQuery>,
) -> ApiResult<Json<ListResponse<Region>>> {
    let f = RegionFilter {
        parent: q.parent,
        level: q.level,
        q: q.q,
        roots: q.roots.unwrap_or(false),
    };
    let items = regions::list(&app.store, &caller.directory_scope(), &f).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// 区划详情.
#[utoipa::path(get, path = "/api/v1/regions/{code}", tag = "区划", params(("code" = String, Path)), responses((status = 200, body = Region), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<Region>> {
    Ok(Json(
        regions::get(&app.store, &caller.directory_scope(), &code)
            .await?
            .into(),
    ))
}

/// 区划边界 (GeoJSON geometry, or null).
#[utoipa::path(get, path = "/api/v1/regions/{code}/boundary", tag = "区划", params(("code" = String, Path)), responses((status = 200, body = Object)))]
pub async fn boundary(
    State(app): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(
        regions::boundary(&app.store, &caller.directory_scope(), &code)
            .await?
            .unwrap_or(serde_json::Value::Null),
    ))
}

/// 新增区划 (administrators).
#[utoipa::path(post, path = "/api/v1/regions", tag = "区划", request_body = RegionInput,
    responses((status = 201, body = Region), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<RegionInput>,
) -> ApiResult<(StatusCode, Json<Region>)> {
    caller.require_admin()?;
    Ok((
        StatusCode::CREATED,
        Json(
            yingji_app::directory::regions::create(
                &app.store,
                app.clock.now_ms(),
                &caller.actor(),
                &input.into(),
            )
            .await?
            .into(),
        ),
    ))
}

/// 修改区划名称或边界 (administrators).
#[utoipa::path(put, path = "/api/v1/regions/{code}", tag = "区划", params(("code" = String, Path)), request_body = RegionUpdate, responses((status = 200, body = Region)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(input): ApiJson<RegionUpdate>,
) -> ApiResult<Json<Region>> {
    caller.require_admin()?;
    Ok(Json(
        yingji_app::directory::regions::update(
            &app.store,
            app.clock.now_ms(),
            &caller.actor(),
            &code,
            &input.into(),
        )
        .await?
        .into(),
    ))
}

/// 删除区划 (administrators; only when nothing hangs on it).
#[utoipa::path(delete, path = "/api/v1/regions/{code}", tag = "区划", params(("code" = String, Path)), responses((status = 204), (status = 409, body = crate::error::ErrorBody)))]
pub async fn delete(
    State(app): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_admin()?;
    yingji_app::directory::regions::delete(&app.store, app.clock.now_ms(), &caller.actor(), &code)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
