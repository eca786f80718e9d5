//! Major hazard installations (重大危险源): register, identification per GB 18218, tables.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, string_or_number};
use crate::routes::ListResponse;
use crate::routes::prevention::api::major_hazards::MajorHazard;
use crate::routes::prevention::api::major_hazards::MajorHazardInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use yingji_core::prevention::major_hazard::{UnitChemical, figure, identify};
use yingji_store::Page;
use yingji_store::prevention::major_hazards;
use yingji_store::prevention::major_hazards::MajorHazardFilter;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MajorHazardQuery {
    pub enterprise_id: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
    /// 1 (一级) … 4 (四级)
    pub level: Option<i64>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

impl MajorHazardQuery {
    pub fn filter(&self) -> ApiResult<MajorHazardFilter> {
        if self.level.is_some_and(|l| !(1..=4).contains(&l)) {
            return Err(ApiError::field("level", "级别应为 1（一级）至 4（四级）"));
        }
        Ok(MajorHazardFilter {
            enterprise_id: self.enterprise_id.clone(),
            region: self.region.clone(),
            level: self.level,
        })
    }
}

/// 重大危险源列表, 一级 first.
#[utoipa::path(get, path = "/api/v1/major-hazards", tag = "重大危险源", params(MajorHazardQuery), responses((status = 200, body = ListResponse<MajorHazard>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<MajorHazardQuery>,
) -> ApiResult<Json<ListResponse<MajorHazard>>> {
    let f = q.filter()?;
    let (items, total) = major_hazards::list(
        &app.store,
        &caller.scope,
        &f,
        Page::new(q.page, q.page_size),
    )
    .await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 登记重大危险源单元: S, R and the level are computed from the chemicals and the population.
#[utoipa::path(post, path = "/api/v1/major-hazards", tag = "重大危险源", request_body = MajorHazardInput, responses((status = 201, body = MajorHazard), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<MajorHazardInput>,
) -> ApiResult<(StatusCode, Json<MajorHazard>)> {
    let m = yingji_app::prevention::major_hazards::create(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &input.try_into()?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

#[utoipa::path(get, path = "/api/v1/major-hazards/{id}", tag = "重大危险源", params(("id" = String, Path)), responses((status = 200, body = MajorHazard), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<MajorHazard>> {
    Ok(Json(
        major_hazards::get(&app.store, &caller.scope, &id)
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifyInput {
    pub chemicals: Vec<UnitChemical>,
    pub population_500m: u32,
}

/// 辨识与分级试算 (nothing is stored): S, whether it is a 重大危险源, α, R and the level.
#[utoipa::path(post, path = "/api/v1/major-hazards/identify", tag = "重大危险源", request_body = IdentifyInput, responses((status = 200, body = Object), (status = 400, body = crate::error::ErrorBody)))]
pub async fn preview(
    _caller: Caller,
    ApiJson(input): ApiJson<IdentifyInput>,
) -> ApiResult<Json<serde_json::Value>> {
    let i = identify(&input.chemicals, input.population_500m)
        .map_err(yingji_store::StoreError::from)?;
    Ok(Json(serde_json::json!({
        "s_value": figure(i.s),
        "is_major": i.is_major,
        "alpha": i.alpha.to_decimal(1),
        "r_value": i.r.map(figure),
        "level": i.level.map(|l| l.number()),
        "level_label": i.level.map(|l| l.label()),
    })))
}

/// GB 18218-2018 tables: 表1 (节选) chemicals with Q and β, 表3, 表4 categories, α and level bands.
#[utoipa::path(get, path = "/api/v1/major-hazards/tables", tag = "重大危险源", responses((status = 200, body = Object)))]
pub async fn tables(_caller: Caller) -> Json<serde_json::Value> {
    Json(yingji_core::prevention::major_hazard::tables())
}
