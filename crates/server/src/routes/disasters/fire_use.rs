//! 野外用火: the public form (no login, rate-limited, a tracking code) and its tracking page; the
//! console's list, detail and the forest authority's decision.

use super::forest_api::{Application, ApplicationDetail, PublicArea, Receipt, Tracking};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, client_ip, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::disasters::fire_use as app_fire_use;
use yingji_core::disasters::fire_use::{ApplicationInput, DecisionInput, PURPOSES, Status};
use yingji_core::kernel::clock::today;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_fire_use))
        .routes(routes!(get_fire_use))
        .routes(routes!(decide_fire_use))
        .routes(routes!(fire_use_form))
        .routes(routes!(apply_fire_use))
        .routes(routes!(track_fire_use))
}

/// The public limiter, per address and form.
async fn limited(app: &AppState, parts: &Parts, what: &str) -> ApiResult<Option<String>> {
    let ip = client_ip(parts);
    let key = format!("{what}:{}", ip.as_deref().unwrap_or("?"));
    app.public_limiter
        .check(&key, app.clock.now_ms(), "提交过于频繁，请稍后再试")
        .await?;
    Ok(ip)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// pending / approved / refused / suspended.
    pub status: Option<String>,
}

/// 野外用火 applications of the caller's region, latest days first.
#[utoipa::path(get, path = "/api/v1/disasters/forest/fire-use", tag = "森林防火", params(ListQuery), responses((status = 200, body = ListResponse<Application>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_fire_use(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<ListResponse<Application>>> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            Status::parse(s)
                .ok_or_else(|| crate::error::ApiError::field("status", format!("状态“{s}”无效")))?,
        ),
        None => None,
    };
    let items = app_fire_use::list(&app.store, &ctx(&caller), status).await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items.into_iter().map(Into::into).collect(),
    }))
}

/// One application with its steps and the texts sent to the applicant.
#[utoipa::path(get, path = "/api/v1/disasters/forest/fire-use/{id}", tag = "森林防火", params(("id" = String, Path)), responses((status = 200, body = ApplicationDetail), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_fire_use(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ApplicationDetail>> {
    Ok(Json(
        app_fire_use::detail(&app.store, &ctx(&caller), &id)
            .await?
            .into(),
    ))
}

/// 审批: approve, or refuse with a reason; refused when a day's level stops fire use or the days
/// are past. The applicant is texted.
#[utoipa::path(post, path = "/api/v1/disasters/forest/fire-use/{id}/decision", tag = "森林防火", params(("id" = String, Path)), request_body = DecisionInput, responses((status = 200, body = ApplicationDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn decide_fire_use(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> ApiResult<Json<ApplicationDetail>> {
    let d =
        app_fire_use::decide(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input).await?;
    Ok(Json(d.into()))
}

/// A purpose of 野外用火.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = FireUsePurpose)]
pub struct Purpose {
    pub code: String,
    pub label: String,
}

/// What the public form offers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = FireUseForm)]
pub struct PublicForm {
    pub areas: Vec<PublicArea>,
    pub purposes: Vec<Purpose>,
    /// The 防火期 (e.g. 10月1日至次年4月30日).
    pub season_label: String,
    /// Today (Asia/Shanghai): earlier days are refused.
    pub today: String,
}

/// 野外用火申请 form: the forest areas, the purposes, the 防火期 (no login).
#[utoipa::path(get, path = "/api/public/fire-use/form", tag = "公众", responses((status = 200, body = PublicForm)))]
pub async fn fire_use_form(State(app): State<AppState>) -> ApiResult<Json<PublicForm>> {
    let areas = app_fire_use::public_areas(&app.store).await?;
    let district = match areas.first() {
        Some(a) => a.district_code.clone(),
        None => {
            yingji_app::disasters::forest::district_for(
                &app.store,
                &yingji_core::kernel::role::Scope::All,
            )
            .await?
        }
    };
    let config = yingji_app::disasters::forest::config_of(&app.store, &district).await?;
    Ok(Json(PublicForm {
        areas: areas
            .into_iter()
            .map(|a| PublicArea {
                id: a.id,
                name: a.name,
                street_name: a.street_name,
            })
            .collect(),
        purposes: PURPOSES
            .iter()
            .map(|(c, l)| Purpose {
                code: (*c).into(),
                label: (*l).into(),
            })
            .collect(),
        season_label: config.season_label(),
        today: today(app.clock.now_ms()).to_string(),
    }))
}

/// 野外用火申请 (no login, rate-limited): refused for a day already past (Asia/Shanghai), outside
/// the 防火期, or outside any forest area.
#[utoipa::path(post, path = "/api/public/fire-use", tag = "公众", request_body = ApplicationInput, responses((status = 201, body = Receipt), (status = 400, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn apply_fire_use(
    State(app): State<AppState>,
    parts: Parts,
    ApiJson(input): ApiJson<ApplicationInput>,
) -> ApiResult<(StatusCode, Json<Receipt>)> {
    let ip = limited(&app, &parts, "fire_use").await?;
    let (code, tracking_code) =
        app_fire_use::apply(&app.store, app.clock.now_ms(), ip, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(Receipt {
            code,
            tracking_code,
        }),
    ))
}

/// 野外用火申请进度 by tracking code.
#[utoipa::path(get, path = "/api/public/fire-use/{tracking}", tag = "公众", params(("tracking" = String, Path)), responses((status = 200, body = Tracking), (status = 404, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn track_fire_use(
    State(app): State<AppState>,
    parts: Parts,
    Path(tracking): Path<String>,
) -> ApiResult<Json<Tracking>> {
    limited(&app, &parts, "fire_use_track").await?;
    Ok(Json(
        app_fire_use::track(&app.store, &tracking).await?.into(),
    ))
}
