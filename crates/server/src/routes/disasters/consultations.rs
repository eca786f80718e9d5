//! 会商研判: list (overall, or those of one process, warning or incident), hold a meeting, read
//! one with its actions, complete an action.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use crate::routes::disasters::consultations_api::{CompleteInput, Consultation, ConsultationInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::disasters::consultations::LinkKind;
use yingji_core::kernel::clock::parse_instant;
use yingji_store::disasters::consultations::{self as store, Filter};
use yingji_store::{Page, StoreError};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get))
        .routes(routes!(complete))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ConsultationQuery {
    /// process / warning / incident: the meetings of one record (with `link_id`).
    pub link_kind: Option<String>,
    pub link_id: Option<String>,
    /// Held on or after this day/time (Asia/Shanghai).
    pub from: Option<String>,
    /// Held before this day/time.
    pub to: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

fn filter_of(q: &ConsultationQuery) -> Result<Filter, StoreError> {
    let link = match (q.link_kind.as_deref(), q.link_id.as_deref()) {
        (None, None) => None,
        (Some(k), Some(id)) if LinkKind::parse(k).is_some() && !id.trim().is_empty() => {
            Some((k.to_string(), id.trim().to_string()))
        }
        _ => {
            return Err(StoreError::invalid(
                "link_kind",
                "关联类型应为 process、warning 或 incident，并同时给出 link_id",
            ));
        }
    };
    let at = |field: &str, v: &Option<String>| -> Result<Option<i64>, StoreError> {
        v.as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_instant(s).map_err(|m| StoreError::invalid(field, m)))
            .transpose()
    };
    let (from, to) = (at("from", &q.from)?, at("to", &q.to)?);
    let span = match (from, to) {
        (None, None) => None,
        (f, t) => Some((f.unwrap_or(i64::MIN), t.unwrap_or(i64::MAX))),
    };
    Ok(Filter { link, span })
}

/// 会商研判 the caller may read, the latest first: overall, or those of one linked record.
#[utoipa::path(get, path = "/api/v1/disasters/consultations", tag = "会商研判", params(ConsultationQuery), responses((status = 200, body = ListResponse<Consultation>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ConsultationQuery>,
) -> ApiResult<Json<ListResponse<Consultation>>> {
    let f = filter_of(&q)?;
    let (items, total) = store::list(
        &app.store,
        &ctx(&caller),
        &f,
        Page::new(q.page, q.page_size),
    )
    .await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 组织会商研判 (局领导, 值班员): each action's deadline starts.
#[utoipa::path(post, path = "/api/v1/disasters/consultations", tag = "会商研判", request_body = ConsultationInput, responses((status = 201, body = Consultation), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ConsultationInput>,
) -> ApiResult<(StatusCode, Json<Consultation>)> {
    let c = yingji_app::disasters::consultations::create(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &(&input).into(),
        &input.attachments,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

/// 会商详情: departments, conclusions, actions with their deadlines, material.
#[utoipa::path(get, path = "/api/v1/disasters/consultations/{id}", tag = "会商研判", params(("id" = String, Path)), responses((status = 200, body = Consultation), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Consultation>> {
    Ok(Json(
        store::get(&app.store, &ctx(&caller), &id).await?.into(),
    ))
}

/// 完成会商任务 (the owner department or person, or the bureau): its deadline timer is cancelled.
#[utoipa::path(post, path = "/api/v1/disasters/consultations/{id}/actions/{action_id}/complete", tag = "会商研判", params(("id" = String, Path), ("action_id" = String, Path)), request_body = CompleteInput, responses((status = 200, body = Consultation), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn complete(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, action_id)): Path<(String, String)>,
    ApiJson(input): ApiJson<CompleteInput>,
) -> ApiResult<Json<Consultation>> {
    let c = yingji_app::disasters::consultations::complete(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &action_id,
        input.note.as_deref(),
    )
    .await?;
    Ok(Json(c.into()))
}
