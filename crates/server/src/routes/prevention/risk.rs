//! 风险分级管控: the risk register, the grading preview, the regional four-colour map, the
//! enterprise's three lists, and the district's rules.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, string_or_number};
use crate::routes::ListResponse;
use crate::routes::prevention::api::risk_points::RegionRisk;
use crate::routes::prevention::api::risk_points::RiskPoint;
use crate::routes::prevention::api::risk_points::RiskPointInput;
use crate::routes::prevention::api::rules::RulesVersion;
use crate::spreadsheet::table;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use yingji_core::prevention::risk::{
    ACCIDENT_TYPES, Assessment, CONTROL_LEVELS, LEC_C, LEC_E, LEC_L, PUBLIC_SOURCE_KINDS,
    RiskInput, RiskLevel, assess,
};
use yingji_core::prevention::risk_lists;
use yingji_core::prevention::rules::DistrictRules;
use yingji_store::Page;
use yingji_store::prevention::risk_points;
use yingji_store::prevention::risk_points::RiskPointFilter;
use yingji_store::prevention::rules;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RiskPointQuery {
    pub enterprise_id: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
    /// major / large / general / low
    pub level: Option<String>,
    pub q: Option<String>,
    /// true: public risk sources only.
    pub public: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

impl RiskPointQuery {
    pub fn filter(&self) -> ApiResult<RiskPointFilter> {
        if let Some(l) = &self.level {
            RiskLevel::parse(l).map_err(|m| ApiError::field("level", m))?;
        }
        Ok(RiskPointFilter {
            enterprise_id: self.enterprise_id.clone(),
            region: self.region.clone(),
            level: self.level.clone(),
            q: self.q.clone(),
            public_only: self.public.unwrap_or(false),
        })
    }
}

/// 风险点列表 (highest risk first).
#[utoipa::path(get, path = "/api/v1/risk-points", tag = "风险分级管控", params(RiskPointQuery), responses((status = 200, body = ListResponse<RiskPoint>)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RiskPointQuery>,
) -> ApiResult<Json<ListResponse<RiskPoint>>> {
    let f = q.filter()?;
    let (items, total) = risk_points::list(
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

/// 登记风险点: the level is computed from the method's inputs under the district's rules.
#[utoipa::path(post, path = "/api/v1/risk-points", tag = "风险分级管控", request_body = RiskPointInput, responses((status = 201, body = RiskPoint), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<RiskPointInput>,
) -> ApiResult<(StatusCode, Json<RiskPoint>)> {
    let p = yingji_app::prevention::risk_points::create(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &input.try_into()?,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

#[utoipa::path(get, path = "/api/v1/risk-points/{id}", tag = "风险分级管控", params(("id" = String, Path)), responses((status = 200, body = RiskPoint), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<RiskPoint>> {
    Ok(Json(
        risk_points::get(&app.store, &caller.scope, &id)
            .await?
            .into(),
    ))
}

#[utoipa::path(put, path = "/api/v1/risk-points/{id}", tag = "风险分级管控", params(("id" = String, Path)), request_body = RiskPointInput, responses((status = 200, body = RiskPoint), (status = 400, body = crate::error::ErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RiskPointInput>,
) -> ApiResult<Json<RiskPoint>> {
    Ok(Json(
        yingji_app::prevention::risk_points::update(
            &app.store,
            &caller.actor(),
            &caller.scope,
            caller.role(),
            app.clock.now_ms(),
            &id,
            &input.try_into()?,
        )
        .await?
        .into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/risk-points/{id}", tag = "风险分级管控", params(("id" = String, Path)), responses((status = 204)))]
pub async fn delete(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    yingji_app::prevention::risk_points::archive(
        &app.store,
        &caller.actor(),
        &caller.scope,
        caller.role(),
        app.clock.now_ms(),
        &id,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessRequest {
    /// Any region code of the district whose rules apply.
    pub region_code: String,
    pub assessment: RiskInput,
}

/// 风险评价预览: the level the inputs give, without saving.
#[utoipa::path(post, path = "/api/v1/risk/assess", tag = "风险分级管控", request_body = AssessRequest, responses((status = 200, body = Assessment), (status = 400, body = crate::error::ErrorBody)))]
pub async fn preview(
    State(app): State<AppState>,
    _caller: Caller,
    ApiJson(r): ApiJson<AssessRequest>,
) -> ApiResult<Json<Assessment>> {
    let rules = rules::current(&app.store, &r.region_code).await?;
    Ok(Json(
        assess(&r.assessment, &rules.rules.risk).map_err(yingji_store::StoreError::from)?,
    ))
}

/// Score tables and code lists for the forms.
#[utoipa::path(get, path = "/api/v1/risk/meta", tag = "风险分级管控", responses((status = 200, body = Object)))]
pub async fn meta(_caller: Caller) -> Json<serde_json::Value> {
    let pairs = |l: &[(&str, &str)]| {
        l.iter()
            .map(|(v, d)| serde_json::json!({"value": v, "label": d}))
            .collect::<Vec<_>>()
    };
    Json(serde_json::json!({
        "lec": {"l": pairs(LEC_L), "e": pairs(LEC_E), "c": pairs(LEC_C)},
        "control_levels": pairs(CONTROL_LEVELS),
        "accident_types": ACCIDENT_TYPES,
        "public_kinds": pairs(PUBLIC_SOURCE_KINDS),
        "levels": RiskLevel::ALL.iter().map(|l| serde_json::json!({"value": l.as_str(), "label": l.label(), "colour": l.colour()})).collect::<Vec<_>>(),
        "hazard_categories": pairs(yingji_core::prevention::hazard::CATEGORIES),
        "hazard_sources": pairs(yingji_core::prevention::hazard::SOURCES),
        "plan_items": pairs(yingji_core::prevention::hazard::PLAN_ITEMS),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegionRiskQuery {
    /// District, street or community code; its children are returned.
    #[serde(default, deserialize_with = "string_or_number")]
    pub parent: Option<String>,
}

/// 区域风险四色图: each child region's highest active risk and counts per level, and its
/// ranking score and class (weights and basis from the district's rules, `risk.rank`).
#[utoipa::path(get, path = "/api/v1/risk/regions", tag = "风险分级管控", params(RegionRiskQuery), responses((status = 200, body = Vec<RegionRisk>)))]
pub async fn regions(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RegionRiskQuery>,
) -> ApiResult<Json<Vec<RegionRisk>>> {
    let parent = match q.parent.clone().or_else(|| {
        caller
            .scope
            .region_prefix()
            .map(|p| p.get(..6).unwrap_or(p).to_string())
    }) {
        Some(p) => p,
        None => yingji_store::directory::regions::top_code(&app.store)
            .await?
            .ok_or_else(ApiError::not_found)?,
    };
    let rank = rules::current(&app.store, &parent).await?.rules.risk.rank;
    let formula = rank.formula();
    Ok(Json(
        risk_points::region_summary(&app.store, &caller.scope, &parent, &rank)
            .await?
            .into_iter()
            .map(|r| RegionRisk {
                rank_formula: formula.clone(),
                ..r.into()
            })
            .collect::<Vec<_>>(),
    ))
}

/// 三清单: 风险点清单, 管控措施清单, 应急处置清单 of one enterprise, as .xlsx.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}/risk-lists", tag = "风险分级管控", params(("id" = String, Path)), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn risk_lists(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let e = yingji_store::directory::enterprises::get(&app.store, &caller.scope, &id).await?;
    let points = risk_points::of_enterprise(&app.store, &caller.scope, &id).await?;
    let entries: Vec<_> = points.iter().map(|p| p.list_entry()).collect();
    let sheets = risk_lists::risk_lists(&entries)
        .into_iter()
        .map(|(name, headers, rows)| {
            Box::new(table::text_sheet(name, &headers, rows)) as Box<dyn table::Sheet>
        })
        .collect();
    table::respond_all(sheets, &format!("{}-风险三清单.xlsx", e.name)).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RulesQuery {
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
}

fn rules_region(caller: &Caller, q: Option<String>) -> String {
    q.or_else(|| caller.scope.region_prefix().map(str::to_string))
        .unwrap_or_else(|| "360403".into())
}

/// 辖区双重预防规则 (current version; version 0 = national defaults).
#[utoipa::path(get, path = "/api/v1/rules", tag = "风险分级管控", params(RulesQuery), responses((status = 200, body = RulesVersion)))]
pub async fn get_rules(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RulesQuery>,
) -> ApiResult<Json<RulesVersion>> {
    Ok(Json(
        rules::current(&app.store, &rules_region(&caller, q.region))
            .await?
            .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesUpdate {
    pub region: String,
    pub rules: DistrictRules,
    #[serde(default)]
    pub note: Option<String>,
}

/// 修改辖区规则: a new version (administrators and bureau leadership).
#[utoipa::path(put, path = "/api/v1/rules", tag = "风险分级管控", request_body = RulesUpdate, responses((status = 200, body = RulesVersion), (status = 400, body = crate::error::ErrorBody)))]
pub async fn put_rules(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(u): ApiJson<RulesUpdate>,
) -> ApiResult<Json<RulesVersion>> {
    if !yingji_core::prevention::access::may_change_rules(caller.role())
        || !caller.scope.covers_region(&u.region)
    {
        return Err(ApiError::forbidden("仅系统管理员或局领导可修改本辖区规则"));
    }
    Ok(Json(
        yingji_app::prevention::rules::save(
            &app.store,
            &caller.actor(),
            app.clock.now_ms(),
            &u.region,
            &u.rules,
            u.note,
        )
        .await?
        .into(),
    ))
}
