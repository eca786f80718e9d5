//! Incoming CAP warning feeds: configuration, polling, entries.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use yingji_store::Page;

use crate::routes::warning::api::feeds::Feed;
use crate::routes::warning::api::feeds::FeedEntryRecord;
use crate::routes::warning::api::feeds::FeedInput;
use yingji_store::warning::feeds;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// The district's feeds with the outcome of their last poll.
#[utoipa::path(get, path = "/api/v1/warning-feeds", tag = "预警信息", params(FeedQuery), responses((status = 200, body = ListResponse<Feed>)))]
pub async fn list_feeds(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> ApiResult<Json<ListResponse<Feed>>> {
    let (mut items, total) =
        feeds::list(&app.store, &caller.scope, Page::new(q.page, q.page_size)).await?;
    // Feed addresses may carry keys: administrators see them whole.
    if !caller.role().is_admin() {
        for f in &mut items {
            f.url = yingji_core::kernel::validation::redact_url(&f.url);
        }
    }
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 登记订阅源: an Atom or RSS feed whose entries link to CAP messages; polled every
/// `interval_secs`, each new or changed entry taken in as `POST /api/v1/warnings/cap` would.
#[utoipa::path(post, path = "/api/v1/warning-feeds", tag = "预警信息", request_body = FeedInput, responses((status = 201, body = Feed), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_feed(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<FeedInput>,
) -> ApiResult<(StatusCode, Json<Feed>)> {
    let district =
        yingji_store::directory::regions::district_of_scope(&app.store, &caller.scope).await?;
    let f = yingji_app::warning::feeds::create(
        &app.store,
        &caller.actor(),
        caller.role(),
        &district,
        app.clock.now_ms(),
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(f.into())))
}

#[utoipa::path(put, path = "/api/v1/warning-feeds/{id}", tag = "预警信息", request_body = FeedInput, responses((status = 200, body = Feed), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn update_feed(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<FeedInput>,
) -> ApiResult<Json<Feed>> {
    Ok(Json(
        yingji_app::warning::feeds::update(
            &app.store,
            &caller.actor(),
            &caller.scope,
            caller.role(),
            app.clock.now_ms(),
            &id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}

/// 立即轮询: polls the feed now and answers what came of it.
#[utoipa::path(post, path = "/api/v1/warning-feeds/{id}/poll", tag = "预警信息", responses((status = 200, body = yingji_jobs::feeds::PollReport), (status = 409, body = crate::error::ErrorBody)))]
pub async fn poll_feed(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<yingji_jobs::feeds::PollReport>> {
    if !yingji_core::warning::access::may_manage_feeds(caller.role()) {
        return Err(ApiError::forbidden(
            "只有管理员、指挥长和值班员可以轮询订阅源",
        ));
    }
    let f = feeds::get(&app.store, &caller.scope, &id).await?;
    if !feeds::claim(&app.store, &f, app.clock.now_ms()).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "该订阅源正在轮询，请稍后再试",
        ));
    }
    let client = yingji_jobs::feeds::client().map_err(ApiError::internal)?;
    Ok(Json(
        yingji_jobs::feeds::poll(&app.store, &app.clock, &client, &f).await,
    ))
}

/// The newest entries handled from a feed: taken (with the warning) or refused (with why).
#[utoipa::path(get, path = "/api/v1/warning-feeds/{id}/entries", tag = "预警信息", responses((status = 200, body = Vec<FeedEntryRecord>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn feed_entries(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<FeedEntryRecord>>> {
    let mut entries = feeds::entries(&app.store, &caller.scope, &id).await?;
    if !caller.role().is_admin() {
        for e in &mut entries {
            e.cap_url = yingji_core::kernel::validation::redact_url(&e.cap_url);
        }
    }
    Ok(Json(entries.into_iter().map(Into::into).collect()))
}
