//! 网格事件 turned into a hazard (转隐患) or an incident (转接报).

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use crate::routes::grid::events_api::GridEventDetail;
use crate::routes::response::api::incidents::IncidentInput;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::grid::conversions as uc;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(to_hazard))
        .routes(routes!(to_incident))
}

/// What the unit says of the hazard; place, enterprise and coordinates come from the event.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = GridToHazardInput)]
pub struct ToHazardInput {
    /// A hazard category (GET /api/v1/hazards/meta).
    pub category: String,
    /// general / major.
    #[serde(default)]
    pub level: Option<String>,
    /// Defaults to the event's description.
    #[serde(default)]
    pub description: Option<String>,
    /// YYYY-MM-DD: the 整改期限, grading the hazard at once.
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub responsible_name: Option<String>,
    #[serde(default)]
    pub responsible_phone: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
}

/// 转隐患 by the unit that has the event in hand: the hazard enters the closed loop, linked, and
/// the event is 已处置 (its 反馈 still due), in one transaction.
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/hazard", tag = "网格事件", params(("id" = String, Path)), request_body = ToHazardInput, responses((status = 200, body = GridEventDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn to_hazard(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ToHazardInput>,
) -> ApiResult<Json<GridEventDetail>> {
    let c = ctx(&caller);
    let fields = uc::HazardFields {
        category: input.category,
        level: input.level,
        description: input.description,
        deadline: input.deadline,
        responsible_name: input.responsible_name,
        responsible_phone: input.responsible_phone,
        measures: input.measures,
    };
    let d = uc::to_hazard(&app.store, &c, app.clock.now_ms(), &id, fields).await?;
    Ok(Json(GridEventDetail::seen_by(d, &c)))
}

/// 转接报 by the duty room: the 接报 form as for any incident; what it leaves empty (place,
/// enterprise, reporter, channel) comes from the event, which is closed with the incident linked.
#[utoipa::path(post, path = "/api/v1/grid/events/{id}/incident", tag = "网格事件", params(("id" = String, Path)), request_body = IncidentInput, responses((status = 200, body = GridEventDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn to_incident(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<IncidentInput>,
) -> ApiResult<Json<GridEventDetail>> {
    let c = ctx(&caller);
    let d = uc::to_incident(&app.store, &c, app.clock.now_ms(), &id, input.try_into()?).await?;
    Ok(Json(GridEventDetail::seen_by(d, &c)))
}
