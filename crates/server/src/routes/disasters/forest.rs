//! 森林防火 in the console: the configuration in force, forest areas (林区) with today's level,
//! the daily 森林火险气象等级 (entering one at the stop level suspends the day's approved 野外用火,
//! R05), and the indicators.

use super::forest_api::{Area, Areas, DayLevel};
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::disasters::forest as app_forest;
use yingji_core::disasters::forest::{AreaInput, ForestConfig, Indicator, LevelInput};
use yingji_core::kernel::clock::today;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(forest_setting))
        .routes(routes!(list_forest_areas, create_forest_area))
        .routes(routes!(update_forest_area))
        .routes(routes!(list_forest_levels, set_forest_level))
        .routes(routes!(forest_indicators))
}

/// The district's 森林防火 configuration in force (a section of the district rules, changed with
/// PUT /api/v1/rules under `forest`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ForestSetting)]
pub struct Setting {
    pub district: String,
    pub config: ForestConfig,
    /// 10月1日至次年4月30日.
    pub season_label: String,
    pub today: String,
    pub in_season_today: bool,
    pub authority_department_name: Option<String>,
    /// Whether the caller keeps the registers and decides applications.
    pub may_keep: bool,
}

/// 森林防火 configuration in force.
#[utoipa::path(get, path = "/api/v1/disasters/forest/setting", tag = "森林防火", responses((status = 200, body = Setting), (status = 403, body = crate::error::ErrorBody)))]
pub async fn forest_setting(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Setting>> {
    let c = ctx(&caller);
    let (district, config) = app_forest::reader(&app.store, &c).await?;
    let day = today(app.clock.now_ms());
    let authority_department_name = match &config.authority_department_id {
        Some(id) => yingji_store::directory::departments::get(
            &app.store,
            &yingji_core::kernel::role::Scope::All,
            id,
        )
        .await
        .ok()
        .map(|d| d.name),
        None => None,
    };
    let may_keep = app_forest::keeper(&app.store, &c).await.is_ok();
    Ok(Json(Setting {
        district,
        season_label: config.season_label(),
        in_season_today: config.in_season(day),
        today: day.to_string(),
        config,
        authority_department_name,
        may_keep,
    }))
}

/// 林区 of the caller's region, with today's level of the district.
#[utoipa::path(get, path = "/api/v1/disasters/forest/areas", tag = "森林防火", responses((status = 200, body = Areas), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_forest_areas(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Areas>> {
    let c = ctx(&caller);
    let now = app.clock.now_ms();
    let (list, level) = app_forest::areas(&app.store, &c, now).await?;
    let (_, config) = app_forest::reader(&app.store, &c).await?;
    Ok(Json(Areas {
        total: list.len() as i64,
        items: list.into_iter().map(Into::into).collect(),
        today: today(now).to_string(),
        today_level: level.map(|l| DayLevel::new(l, config.stop_level)),
    }))
}

/// 新建林区 (the forest authority, 局领导, administrators).
#[utoipa::path(post, path = "/api/v1/disasters/forest/areas", tag = "森林防火", request_body = AreaInput, responses((status = 201, body = Area), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_forest_area(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<AreaInput>,
) -> ApiResult<(StatusCode, Json<Area>)> {
    let a = app_forest::create_area(&app.store, &ctx(&caller), app.clock.now_ms(), &input).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// 修改林区.
#[utoipa::path(put, path = "/api/v1/disasters/forest/areas/{id}", tag = "森林防火", params(("id" = String, Path)), request_body = AreaInput, responses((status = 200, body = Area), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn update_forest_area(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<AreaInput>,
) -> ApiResult<Json<Area>> {
    let a =
        app_forest::update_area(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input).await?;
    Ok(Json(a.into()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LevelQuery {
    /// YYYY-MM-DD (default: 30 days before today).
    pub from: Option<String>,
    /// YYYY-MM-DD (default: 30 days after today).
    pub to: Option<String>,
}

/// 森林火险气象等级 of the district (the calendar).
#[utoipa::path(get, path = "/api/v1/disasters/forest/levels", tag = "森林防火", params(LevelQuery), responses((status = 200, body = ListResponse<DayLevel>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_forest_levels(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<LevelQuery>,
) -> ApiResult<Json<ListResponse<DayLevel>>> {
    use yingji_core::disasters::forest::parse_day;
    let t = today(app.clock.now_ms());
    let span = jiff::Span::new().days(30);
    let day = |field: &str, label: &str, v: Option<&str>, default: jiff::civil::Date| match v {
        Some(s) => parse_day(label, s).map_err(|m| crate::error::ApiError::field(field, m)),
        None => Ok(default),
    };
    let from = day(
        "from",
        "开始日期",
        q.from.as_deref(),
        t.saturating_sub(span),
    )?;
    let to = day("to", "结束日期", q.to.as_deref(), t.saturating_add(span))?;
    let (items, config) = app_forest::levels(
        &app.store,
        &ctx(&caller),
        &from.to_string(),
        &to.to_string(),
    )
    .await?;
    Ok(Json(ListResponse {
        total: items.len() as i64,
        items: items
            .into_iter()
            .map(|l| DayLevel::new(l, config.stop_level))
            .collect(),
    }))
}

/// What entering a level did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ForestLevelResult)]
pub struct LevelResult {
    pub level: DayLevel,
    pub previous_level: Option<u8>,
    /// Codes of the approved applications of that day now suspended (their applicants texted).
    pub suspended: Vec<String>,
}

/// 录入森林火险气象等级 of a day; at the stop level the day's approved 野外用火 are suspended at
/// once and their applicants texted (the forest authority, the duty officer, 局领导).
#[utoipa::path(post, path = "/api/v1/disasters/forest/levels", tag = "森林防火", request_body = LevelInput, responses((status = 201, body = LevelResult), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn set_forest_level(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<LevelInput>,
) -> ApiResult<(StatusCode, Json<LevelResult>)> {
    let c = ctx(&caller);
    let out = app_forest::set_level(&app.store, &c, app.clock.now_ms(), &input).await?;
    let (_, config) = app_forest::reader(&app.store, &c)
        .await
        .unwrap_or_else(|_| (String::new(), ForestConfig::default()));
    Ok((
        StatusCode::CREATED,
        Json(LevelResult {
            level: DayLevel::new(out.level, config.stop_level),
            previous_level: out.previous,
            suspended: out.suspended,
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    /// Default: this year.
    pub year: Option<i64>,
}

/// The two indicators of the caller's region.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ForestIndicators)]
pub struct Indicators {
    pub year: i64,
    /// 森林火灾受害率 (‰, target ≤ 0.3‰) from the burnt hectares of confirmed 火点 of the year.
    pub damage: Indicator,
    /// 森林火险感知面积覆盖率 (%, target ≥ 55%).
    pub coverage: Indicator,
}

/// 森林火灾受害率 and 森林火险感知面积覆盖率, exact.
#[utoipa::path(get, path = "/api/v1/disasters/forest/indicators", tag = "森林防火", params(YearQuery), responses((status = 200, body = Indicators), (status = 403, body = crate::error::ErrorBody)))]
pub async fn forest_indicators(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<Indicators>> {
    let year = q
        .year
        .unwrap_or_else(|| i64::from(today(app.clock.now_ms()).year()));
    let (damage, coverage) = app_forest::indicators(&app.store, &ctx(&caller), year).await?;
    Ok(Json(Indicators {
        year,
        damage,
        coverage,
    }))
}
