//! 两单两卡: an enterprise keeps its posts with their four items; departments read them and the
//! completeness per enterprise.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::credit::post_cards::{PostInput, ResponseCard, RiskCard, missing};
use yingji_store::Page;
use yingji_store::credit::post_cards as rows;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(completeness))
        .routes(routes!(get_one, update, delete))
}

/// A post (岗位) with its 两单两卡.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditPost {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub name: String,
    pub people: i64,
    /// 责任清单.
    pub duties: Vec<String>,
    /// 日常工作清单.
    pub daily_tasks: Vec<String>,
    pub risk_card: RiskCard,
    pub response_card: ResponseCard,
    /// The items it lacks (责任清单, 日常工作清单, 岗位风险告知卡, 应急处置卡); empty when complete.
    pub missing: Vec<String>,
    pub updated_ms: i64,
    pub updated_by_name: String,
}

impl From<rows::Post> for CreditPost {
    fn from(p: rows::Post) -> Self {
        let lacks = missing(&p.duties, &p.daily_tasks, &p.risk_card, &p.response_card);
        Self {
            missing: lacks.into_iter().map(str::to_string).collect(),
            id: p.id,
            enterprise_id: p.enterprise_id,
            enterprise_name: p.enterprise_name,
            name: p.name,
            people: p.people,
            duties: p.duties,
            daily_tasks: p.daily_tasks,
            risk_card: p.risk_card,
            response_card: p.response_card,
            updated_ms: p.updated_ms,
            updated_by_name: p.updated_by_name,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub enterprise_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// The posts the caller may see (an enterprise user: its own).
#[utoipa::path(get, path = "/api/v1/credit/posts", tag = "企业信用", params(ListQuery), responses((status = 200, body = ListResponse<CreditPost>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<ListResponse<CreditPost>>> {
    let e = q
        .enterprise_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let page = Page::new(q.page, q.page_size);
    let (items, total) = rows::list(&app.store, &ctx(&caller).scope, e, page).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// Adds a post with its 两单两卡 (enterprise users for their own enterprise; 管理员 naming one).
#[utoipa::path(post, path = "/api/v1/credit/posts", tag = "企业信用", request_body = PostInput, responses((status = 201, body = CreditPost), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PostInput>,
) -> ApiResult<(StatusCode, Json<CreditPost>)> {
    let c = ctx(&caller);
    let p =
        yingji_app::credit::post_cards::create(&app.store, &c, app.clock.now_ms(), &input).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// One post (404 outside the caller's scope).
#[utoipa::path(get, path = "/api/v1/credit/posts/{id}", tag = "企业信用", params(("id" = String, Path)), responses((status = 200, body = CreditPost), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CreditPost>> {
    Ok(Json(
        rows::get(&app.store, &ctx(&caller).scope, &id)
            .await?
            .into(),
    ))
}

/// Replaces a post's content (the enterprise's own users).
#[utoipa::path(put, path = "/api/v1/credit/posts/{id}", tag = "企业信用", params(("id" = String, Path)), request_body = PostInput, responses((status = 200, body = CreditPost), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<PostInput>,
) -> ApiResult<Json<CreditPost>> {
    let c = ctx(&caller);
    let p = yingji_app::credit::post_cards::update(&app.store, &c, app.clock.now_ms(), &id, &input)
        .await?;
    Ok(Json(p.into()))
}

/// Deletes a post (the enterprise's own users).
#[utoipa::path(delete, path = "/api/v1/credit/posts/{id}", tag = "企业信用", params(("id" = String, Path)), responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn delete(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let c = ctx(&caller);
    yingji_app::credit::post_cards::delete(&app.store, &c, app.clock.now_ms(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An enterprise's 两单两卡 completeness.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PostCompleteness {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub posts: i64,
    /// Posts missing any of the four items.
    pub incomplete: i64,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CompletenessQuery {
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// Completeness per enterprise with posts in the caller's scope (most incomplete first).
#[utoipa::path(get, path = "/api/v1/credit/posts/completeness", tag = "企业信用", params(CompletenessQuery), responses((status = 200, body = ListResponse<PostCompleteness>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn completeness(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<CompletenessQuery>,
) -> ApiResult<Json<ListResponse<PostCompleteness>>> {
    let page = Page::new(q.page, q.page_size);
    let (items, total) = rows::completeness(&app.store, &ctx(&caller).scope, page).await?;
    Ok(Json(ListResponse {
        items: items
            .into_iter()
            .map(|c| PostCompleteness {
                enterprise_id: c.enterprise_id,
                enterprise_name: c.enterprise_name,
                posts: c.posts,
                incomplete: c.incomplete,
            })
            .collect(),
        total,
    }))
}
