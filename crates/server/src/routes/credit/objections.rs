//! 信用异议: the enterprise objects to its rating; the department answers.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_store::credit::objections::ObjectionRow;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(object))
        .routes(routes!(answer))
}

/// An objection and its answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditObjection {
    pub id: String,
    pub enterprise_id: String,
    pub text: String,
    /// open, upheld, rejected.
    pub status: String,
    pub status_label: String,
    pub answer: Option<String>,
    pub points: Option<i64>,
    pub created_by_name: String,
    pub created_ms: i64,
    pub answered_by_name: Option<String>,
    pub answered_ms: Option<i64>,
}

impl From<ObjectionRow> for CreditObjection {
    fn from(o: ObjectionRow) -> Self {
        let label = match o.status.as_str() {
            "open" => "待答复",
            "upheld" => "异议成立",
            _ => "异议不成立",
        };
        Self {
            status_label: label.into(),
            id: o.id,
            enterprise_id: o.enterprise_id,
            text: o.text,
            status: o.status,
            answer: o.answer,
            points: o.points,
            created_by_name: o.created_by_name,
            created_ms: o.created_ms,
            answered_by_name: o.answered_by_name,
            answered_ms: o.answered_ms,
        }
    }
}

/// An objection's text.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditObjectionInput {
    /// 异议内容.
    pub text: String,
}

/// The department's answer.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditObjectionAnswer {
    /// true: 异议成立 (the rating is adjusted by `points`); false: 不成立.
    pub upheld: bool,
    /// 答复意见.
    pub answer: String,
    /// 调整分值 when upheld.
    #[serde(default)]
    pub points: Option<i32>,
}

/// 提出异议 (the enterprise user, on its own enterprise's rating).
#[utoipa::path(post, path = "/api/v1/credit/ratings/{enterprise_id}/objections", tag = "信用脸谱", request_body = CreditObjectionInput, responses((status = 201, body = CreditObjection), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn object(
    State(app): State<AppState>,
    caller: Caller,
    Path(enterprise_id): Path<String>,
    ApiJson(input): ApiJson<CreditObjectionInput>,
) -> ApiResult<(StatusCode, Json<CreditObjection>)> {
    let o = yingji_app::credit::objections::object(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &enterprise_id,
        &input.text,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(o.into())))
}

/// 答复异议 (departments, for the enterprises they supervise).
#[utoipa::path(post, path = "/api/v1/credit/objections/{id}/answer", tag = "信用脸谱", request_body = CreditObjectionAnswer, responses((status = 200, body = CreditObjection), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn answer(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CreditObjectionAnswer>,
) -> ApiResult<Json<CreditObjection>> {
    let o = yingji_app::credit::objections::answer(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        input.upheld,
        &input.answer,
        input.points,
    )
    .await?;
    Ok(Json(o.into()))
}
