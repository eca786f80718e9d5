//! 双随机 draws: run, list, read, 复核, publish; the tasks they make; and the public page of the
//! published ones (一公开: enterprise, item, and the inspectors' names and 执法证号 only).

use super::api::{Draw, DrawInput, Task, Verification};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::enforcement::draws as app_draws;
use yingji_store::Page;
use yingji_store::enforcement::draws;
use yingji_store::enforcement::tasks::{self, TaskFilter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, run))
        .routes(routes!(get))
        .routes(routes!(verify))
        .routes(routes!(publish))
        .routes(routes!(list_tasks))
        .routes(routes!(public_list))
        .routes(routes!(public_get))
        .routes(routes!(public_verify))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 双随机 draws of the caller's departments, newest first.
#[utoipa::path(get, path = "/api/v1/enforcement/draws", tag = "执法监管", params(PageQuery), responses((status = 200, body = ListResponse<Draw>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<ListResponse<Draw>>> {
    let c = ctx(&caller);
    let (items, total) = draws::list(&app.store, Some(&c), Page::new(q.page, q.page_size)).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// Runs a 双随机 draw: enterprises from the item's department's pool (minus the 重点检查 list and
/// those with a task this year), at least two inspectors each without 回避 and with a valid
/// 执法证; records the seed and every input, and makes a task per enterprise.
#[utoipa::path(post, path = "/api/v1/enforcement/draws", tag = "执法监管", request_body = DrawInput, responses((status = 201, body = Draw), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn run(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<DrawInput>,
) -> ApiResult<(StatusCode, Json<Draw>)> {
    let (req, seed) = input.into_request()?;
    let seed = seed.unwrap_or_else(random_seed);
    let d = app_draws::run(&app.store, &ctx(&caller), app.clock.now_ms(), &req, seed).await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// A seed from the operating system's random source.
fn random_seed() -> u64 {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).expect("the operating system's random source is available");
    u64::from_le_bytes(b)
}

/// One draw with its result.
#[utoipa::path(get, path = "/api/v1/enforcement/draws/{id}", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, body = Draw), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Draw>> {
    let c = ctx(&caller);
    Ok(Json(draws::get(&app.store, Some(&c), &id).await?.into()))
}

/// 复核: runs the draw again on its recorded seed and inputs and compares with the record.
#[utoipa::path(post, path = "/api/v1/enforcement/draws/{id}/verify", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, body = Verification), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn verify(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Verification>> {
    let c = ctx(&caller);
    Ok(Json(
        app_draws::verify(&app.store, Some(&c), &id).await?.into(),
    ))
}

/// 一公开: publishes a draw and its result on the public page.
#[utoipa::path(post, path = "/api/v1/enforcement/draws/{id}/publish", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, body = Draw), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn publish(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Draw>> {
    let d = app_draws::publish(&app.store, &ctx(&caller), app.clock.now_ms(), &id).await?;
    Ok(Json(d.into()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TaskQuery {
    /// Only the tasks of this draw.
    pub draw: Option<String>,
    /// assigned, in_progress, done, cancelled.
    pub status: Option<String>,
    pub year: Option<i64>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 检查任务: an inspector's own, a department's all.
#[utoipa::path(get, path = "/api/v1/enforcement/tasks", tag = "执法监管", params(TaskQuery), responses((status = 200, body = ListResponse<Task>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_tasks(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<TaskQuery>,
) -> ApiResult<Json<ListResponse<Task>>> {
    let f = TaskFilter {
        draw_id: q.draw,
        status: q.status,
        year: q.year,
    };
    let page = Page::new(q.page, q.page_size);
    let (items, total) = tasks::list(&app.store, &ctx(&caller), &f, page).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 一公开: the published draws (no session).
#[utoipa::path(get, path = "/api/public/enforcement/draws", tag = "公众", params(PageQuery), responses((status = 200, body = ListResponse<Draw>)))]
pub async fn public_list(
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<ListResponse<Draw>>> {
    let (items, total) = draws::list(&app.store, None, Page::new(q.page, q.page_size)).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(public).collect(),
        total,
    }))
}

/// One published draw (no session).
#[utoipa::path(get, path = "/api/public/enforcement/draws/{id}", tag = "公众", params(("id" = String, Path)), responses((status = 200, body = Draw), (status = 404, body = crate::error::ErrorBody)))]
pub async fn public_get(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Draw>> {
    Ok(Json(public(draws::get(&app.store, None, &id).await?)))
}

/// 复核 of a published draw by anyone (no session).
#[utoipa::path(post, path = "/api/public/enforcement/draws/{id}/verify", tag = "公众", params(("id" = String, Path)), responses((status = 200, body = Verification), (status = 404, body = crate::error::ErrorBody)))]
pub async fn public_verify(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Verification>> {
    Ok(Json(app_draws::verify(&app.store, None, &id).await?.into()))
}

/// A draw as the public sees it: no account ids, no names of who ran it.
fn public(d: yingji_store::enforcement::draws::Draw) -> Draw {
    let mut d: Draw = d.into();
    d.drawn_by_name = String::new();
    d.department_id = String::new();
    for p in &mut d.result {
        for m in &mut p.team {
            m.user_id = String::new();
        }
    }
    d
}
