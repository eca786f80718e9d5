//! 隐患排查治理: reports, the closed loop's actions, 挂牌督办, statistics and the dashboard.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, IdempotencyKey, ctx, string_or_number};
use crate::routes::ListResponse;
use crate::routes::prevention::api::criteria::CriterionRow;
use crate::routes::prevention::api::hazards::Dashboard;
use crate::routes::prevention::api::hazards::Hazard;
use crate::routes::prevention::api::hazards::HazardDetail;
use crate::routes::prevention::api::hazards::HazardInput;
use crate::routes::prevention::api::hazards::StatRow;
use crate::routes::prevention::api::hazards::TransitionInput;
use crate::spreadsheet::table::{self, Table};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use yingji_core::prevention::hazard::{Action, HazardLevel, SOURCES, Status, label_of};
use yingji_store::Page;
use yingji_store::prevention::criteria;
use yingji_store::prevention::hazards;
use yingji_store::prevention::hazards::HazardFilter;
use yingji_store::prevention::hazards::StatRow as StatCount;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HazardQuery {
    /// Hazard code (exact).
    pub q: Option<String>,
    /// registered / rectifying / pending_acceptance / closed / dismissed / open
    pub status: Option<String>,
    /// general / major
    pub level: Option<String>,
    pub source: Option<String>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
    pub enterprise_id: Option<String>,
    pub overdue: Option<bool>,
    pub listed: Option<bool>,
    /// YYYY-MM (reported in that month)
    pub month: Option<String>,
    /// reported (newest first, the default) / deadline (earliest deadline first)
    pub sort: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

pub(crate) fn check_month(field: &str, m: &str) -> ApiResult<()> {
    let ok = m.len() == 7 && format!("{m}-01").parse::<jiff::civil::Date>().is_ok();
    if ok {
        Ok(())
    } else {
        Err(ApiError::field(
            field,
            format!("月份“{m}”格式不正确，应为 2026-11"),
        ))
    }
}

impl HazardQuery {
    pub fn filter(&self) -> ApiResult<HazardFilter> {
        if let Some(s) = self.status.as_deref().filter(|s| *s != "open") {
            Status::parse(s).map_err(|m| ApiError::field("status", m))?;
        }
        if let Some(l) = &self.level {
            HazardLevel::parse(l).map_err(|m| ApiError::field("level", m))?;
        }
        if let Some(s) = &self.source
            && label_of(SOURCES, s).is_none()
        {
            return Err(ApiError::field("source", format!("隐患来源“{s}”无效")));
        }
        if let Some(m) = &self.month {
            check_month("month", m)?;
        }
        if let Some(r) = &self.region
            && !r.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(ApiError::field("region", "区划代码应为数字"));
        }
        Ok(HazardFilter {
            q: self.q.clone(),
            status: self.status.clone(),
            level: self.level.clone(),
            source: self.source.clone(),
            region: self.region.clone(),
            enterprise_id: self.enterprise_id.clone(),
            overdue: self.overdue,
            listed: self.listed,
            month: self.month.clone(),
            by_deadline: match self.sort.as_deref() {
                None | Some("reported") => false,
                Some("deadline") => true,
                Some(_) => {
                    return Err(ApiError::field(
                        "sort",
                        "排序方式应为 reported（上报时间）或 deadline（整改期限）",
                    ));
                }
            },
        })
    }
}

/// 隐患列表, newest first, within the caller's scope.
#[utoipa::path(get, path = "/api/v1/hazards", tag = "隐患排查治理", params(HazardQuery), responses((status = 200, body = ListResponse<Hazard>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<HazardQuery>,
) -> ApiResult<Json<ListResponse<Hazard>>> {
    let (items, total) = hazards::list(
        &app.store,
        &caller.scope,
        &q.filter()?,
        Page::new(q.page, q.page_size),
    )
    .await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 上报隐患 (企业自查 / 执法检查 / 网格巡查). With `deadline` it is graded at once.
#[utoipa::path(post, path = "/api/v1/hazards", tag = "隐患排查治理", params(crate::routes::kernel::api::idempotency::IdempotencyHeader), request_body = HazardInput, responses((status = 201, body = HazardDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    ApiJson(input): ApiJson<HazardInput>,
) -> ApiResult<(StatusCode, Json<HazardDetail>)> {
    let d = yingji_app::prevention::hazards::create(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.try_into()?,
        key.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// 隐患详情: the record, its timeline, listings, attachments and the caller's allowed actions.
#[utoipa::path(get, path = "/api/v1/hazards/{id}", tag = "隐患排查治理", params(("id" = String, Path)), responses((status = 200, body = HazardDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<HazardDetail>> {
    Ok(Json(
        hazards::detail(&app.store, &ctx(&caller), &id)
            .await?
            .into(),
    ))
}

/// 闭环操作: grade, submit_plan, evaluate, submit_rectification, accept, reject,
/// request_extension, decide_extension, escalate, transfer, dismiss, list (挂牌督办).
/// 409 with the reason when the state or the configured rules do not allow it.
#[utoipa::path(post, path = "/api/v1/hazards/{id}/actions/{action}", tag = "隐患排查治理", params(("id" = String, Path), ("action" = String, Path)), request_body = TransitionInput,
    responses((status = 200, body = HazardDetail), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn act(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, action)): Path<(String, String)>,
    ApiJson(t): ApiJson<TransitionInput>,
) -> ApiResult<Json<HazardDetail>> {
    let action = Action::parse(&action).map_err(|m| ApiError::field("action", m))?;
    let d = yingji_app::prevention::hazards::transition(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        action,
        &t.into(),
    )
    .await?;
    if action == Action::List || action == Action::Grade || action == Action::DecideExtension {
        app.timer_wake.notify_one();
    }
    Ok(Json(d.into()))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// YYYY-MM
    pub month: String,
    /// District, street or community code (default: the caller's district).
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
    /// xlsx: download instead of JSON.
    pub format: Option<String>,
}

pub(crate) async fn default_region(
    app: &AppState,
    caller: &Caller,
    region: Option<String>,
) -> ApiResult<String> {
    if let Some(r) = region {
        return Ok(r);
    }
    if let Some(p) = caller.scope.region_prefix() {
        return Ok(p.to_string());
    }
    yingji_store::directory::regions::top_code(&app.store)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// 隐患统计: region × status × level counts of a month's hazards.
#[utoipa::path(get, path = "/api/v1/hazards/stats", tag = "隐患排查治理", params(StatsQuery), responses((status = 200, body = Vec<StatRow>)))]
pub async fn stats(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Response> {
    use axum::response::IntoResponse;
    check_month("month", &q.month)?;
    let region = default_region(&app, &caller, q.region.clone()).await?;
    let rows = hazards::stats(&app.store, &caller.scope, &q.month, &region).await?;
    if q.format.as_deref() == Some("xlsx") {
        let sheet = Table {
            sheet: "隐患统计",
            columns: vec![
                table::label("区域", |r: &StatCount| {
                    r.region_name.clone().unwrap_or_else(|| "未知区域".into())
                }),
                table::label("状态", |r: &StatCount| {
                    Status::parse(&r.status).map(|s| s.label()).ok()
                }),
                table::label("等级", |r: &StatCount| {
                    HazardLevel::parse(&r.level).map(|l| l.label()).ok()
                }),
                table::number("数量", |r: &StatCount| r.count),
            ],
            rows,
        };
        return table::respond(sheet, &format!("隐患统计-{}.xlsx", q.month)).await;
    }
    Ok(Json(rows).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DashboardQuery {
    pub year: Option<i32>,
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
}

/// 隐患治理驾驶舱: 存量/增量 of 重大隐患, rates, sources, industries, regions, overdue list. The
/// year's figures (months, rates, sources, industries) are at most a minute old
/// (`figures_at`); the open, overdue and listed counts and the lists are read at every call.
#[utoipa::path(get, path = "/api/v1/hazards/dashboard", tag = "隐患排查治理", params(DashboardQuery), responses((status = 200, body = Dashboard)))]
pub async fn dashboard(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DashboardQuery>,
) -> ApiResult<Json<Dashboard>> {
    let year = q
        .year
        .unwrap_or_else(|| yingji_core::kernel::clock::today(app.clock.now_ms()).year() as i32);
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::field("year", "年份应在 2000 至 2100 之间"));
    }
    let region = q.region.as_deref();
    let key = format!("{:?}|{region:?}|{year}", caller.scope);
    let load = hazards::year_figures(&app.store, &caller.scope, region, year);
    let (at, figures) = app
        .hazard_figures
        .get_or_load(key, app.clock.now_ms(), load)
        .await?;
    let d = hazards::dashboard(&app.store, &caller.scope, region, &figures).await?;
    Ok(Json(Dashboard::from_parts(d, at)))
}

/// How long a node keeps a dashboard's year figures (one pass over the year's hazards, 0.4 s
/// at city scale): the page shows when they were taken; what stands now is read every time.
pub const FIGURES_TTL_MS: i64 = 60_000;

/// 重大隐患判定标准 (化工、烟花爆竹、工贸、房屋市政、城镇燃气、道路运输、金属非金属矿山、GB 35181), editable by the district.
#[utoipa::path(get, path = "/api/v1/hazard-criteria", tag = "隐患排查治理", responses((status = 200, body = Vec<CriterionRow>)))]
pub async fn list_criteria(
    State(app): State<AppState>,
    _caller: Caller,
) -> ApiResult<Json<Vec<CriterionRow>>> {
    Ok(Json(
        criteria::list(&app.store, false)
            .await?
            .into_iter()
            .map(Into::into)
            .collect::<Vec<_>>(),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionUpdate {
    pub text: String,
    pub active: bool,
}

#[utoipa::path(put, path = "/api/v1/hazard-criteria/{code}", tag = "隐患排查治理", params(("code" = String, Path)), request_body = CriterionUpdate, responses((status = 200, body = CriterionRow)))]
pub async fn update_criterion(
    State(app): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(u): ApiJson<CriterionUpdate>,
) -> ApiResult<Json<CriterionRow>> {
    caller.require_admin()?;
    Ok(Json(
        yingji_app::prevention::criteria::update(
            &app.store,
            &caller.actor(),
            app.clock.now_ms(),
            &code,
            &u.text,
            u.active,
        )
        .await?
        .into(),
    ))
}
