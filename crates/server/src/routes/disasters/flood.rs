//! 防汛责任人: reservoirs, dikes, 山洪危险区 and 地灾隐患点 with their 三个责任人 (and a 地灾隐患点's
//! 群测群防员 and 片区负责人), the 公示牌 PDF, the public 公示 list, and the persons a warning's
//! work orders went to.

use super::flood_api::{FloodDutyObject, FloodOrderPerson, PublicFloodDutyObject};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::disasters::flood::FloodDutyPersonInput;
use yingji_store::disasters::{flood, flood_orders};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get))
        .routes(routes!(save_persons))
        .routes(routes!(board))
        .routes(routes!(orders))
        .routes(routes!(public_list))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DutyQuery {
    /// Only this street's (9-digit code).
    pub street: Option<String>,
    /// reservoir / dike / flash_flood / geohazard
    pub kind: Option<String>,
    /// Only those whose persons are incomplete (before the flood season).
    #[serde(default)]
    pub incomplete: bool,
}

/// 防汛责任人: the duty objects the caller sees with their persons and what they lack.
#[utoipa::path(get, path = "/api/v1/disasters/flood/objects", tag = "防灾减灾", params(DutyQuery), responses((status = 200, body = ListResponse<FloodDutyObject>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DutyQuery>,
) -> ApiResult<Json<ListResponse<FloodDutyObject>>> {
    let f = flood::DutyFilter {
        street: q.street,
        kind: q.kind,
        incomplete: q.incomplete,
    };
    let items = flood::list(&app.store, &ctx(&caller), &f).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// One duty object with its persons.
#[utoipa::path(get, path = "/api/v1/disasters/flood/objects/{id}", tag = "防灾减灾", params(("id" = String, Path)), responses((status = 200, body = FloodDutyObject), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<FloodDutyObject>> {
    Ok(Json(
        flood::get(&app.store, &ctx(&caller), &id).await?.into(),
    ))
}

/// The duty persons of an object, replacing those it had.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FloodPersonsInput {
    pub persons: Vec<FloodDutyPersonInput>,
}

/// 登记责任人: sets an object's duty persons (the roles that keep 承灾体, inside their area).
#[utoipa::path(put, path = "/api/v1/disasters/flood/objects/{id}/persons", tag = "防灾减灾", params(("id" = String, Path)), request_body = FloodPersonsInput, responses((status = 200, body = FloodDutyObject), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn save_persons(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<FloodPersonsInput>,
) -> ApiResult<Json<FloodDutyObject>> {
    let o = yingji_app::disasters::flood::save_duty(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.persons,
    )
    .await?;
    Ok(Json(o.into()))
}

/// 责任人公示牌 of an object, as a printable PDF.
#[utoipa::path(get, path = "/api/v1/disasters/flood/objects/{id}/board", tag = "防灾减灾", params(("id" = String, Path)), responses((status = 200, description = "The board as a PDF.", content(("application/pdf"))), (status = 404, body = crate::error::ErrorBody)))]
pub async fn board(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (_, bytes) =
        yingji_app::disasters::flood::board_pdf(&app.store, &ctx(&caller), app.clock.now_ms(), &id)
            .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline; filename=\"board.pdf\""),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The duty persons the object's recent work orders went to, with their actions.
#[utoipa::path(get, path = "/api/v1/disasters/flood/objects/{id}/orders", tag = "防灾减灾", params(("id" = String, Path)), responses((status = 200, body = ListResponse<FloodOrderPerson>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn orders(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ListResponse<FloodOrderPerson>>> {
    let c = ctx(&caller);
    let o = flood::duty_object(&app.store, &c, &id, "id").await?;
    let ids = flood_orders::order_ids_of_object(&app.store, &o.id).await?;
    let items = flood_orders::persons(&app.store, &c, &ids).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StreetQuery {
    /// Only this street's (9-digit code).
    pub street: Option<String>,
}

/// 防汛责任人公示 (no login): every reservoir, dike, 山洪危险区 and 地灾隐患点 with its persons,
/// by street.
#[utoipa::path(get, path = "/api/public/flood-duty", tag = "公众", params(StreetQuery), responses((status = 200, body = ListResponse<PublicFloodDutyObject>)))]
pub async fn public_list(
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<StreetQuery>,
) -> ApiResult<Json<ListResponse<PublicFloodDutyObject>>> {
    let items = flood::public_list(&app.store, q.street.as_deref()).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}
