//! 灾害过程: list, register, read with its reports, mark stable; the kinds and figures the
//! console's form needs; the district's reporting settings.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::disasters::processes_api::{
    FigureDef, Kind, KindEntry, Meta, Process, ProcessDetail, Settings, Township,
};
use crate::routes::disasters::reports_api::ProcessInput;
use crate::routes::disasters::reports_api::{ReportFigures, StableInput};
use crate::routes::{Limits, ListResponse};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::disasters::processes::KINDS;
use yingji_core::disasters::reports_figures::FIGURES;
use yingji_core::disasters::reports_rules::JumpRule;
use yingji_store::Page;
use yingji_store::disasters::processes::{self as store, ProcessFilter};
use yingji_store::disasters::reports;

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get))
        .routes(routes!(stable))
        .routes(routes!(meta))
        .routes(routes!(settings, save_settings))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProcessQuery {
    /// ongoing / stable / verified
    pub status: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 灾害过程 the caller may read (the district's, or those affecting the caller's township), the
/// latest first, with the next report due.
#[utoipa::path(get, path = "/api/v1/disasters/processes", tag = "灾情报送", params(ProcessQuery), responses((status = 200, body = ListResponse<Process>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ProcessQuery>,
) -> ApiResult<Json<ListResponse<Process>>> {
    let f = ProcessFilter {
        status: q.status,
        span: None,
    };
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

/// 登记灾害过程: its 初报 is due 2 hours after the start.
#[utoipa::path(post, path = "/api/v1/disasters/processes", tag = "灾情报送", request_body = ProcessInput, responses((status = 201, body = Process), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ProcessInput>,
) -> ApiResult<(StatusCode, Json<Process>)> {
    let p = yingji_app::disasters::processes::create(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &input.into(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// 灾害过程详情: the reports as a timeline and the latest district totals.
#[utoipa::path(get, path = "/api/v1/disasters/processes/{id}", tag = "灾情报送", params(("id" = String, Path)), responses((status = 200, body = ProcessDetail), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ProcessDetail>> {
    let p = store::get(&app.store, &ctx(&caller), &id).await?;
    let list = reports::of_process(&app.store, &id).await?;
    let totals: ReportFigures = list.last().map(|r| r.totals).unwrap_or_default().into();
    Ok(Json(ProcessDetail {
        process: p.into(),
        reports: list.into_iter().map(Into::into).collect(),
        totals,
    }))
}

/// 灾情稳定: the 核报 is due 5 days after the stable day.
#[utoipa::path(post, path = "/api/v1/disasters/processes/{id}/stable", tag = "灾情报送", params(("id" = String, Path)), request_body = StableInput, responses((status = 200, body = Process), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn stable(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StableInput>,
) -> ApiResult<Json<Process>> {
    let p = yingji_app::disasters::processes::stable(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.stable_at,
    )
    .await?;
    Ok(Json(p.into()))
}

/// The kinds (灾种/亚灾种), the figures of the 快报表 and the caller's district's townships.
#[utoipa::path(get, path = "/api/v1/disasters/meta", tag = "灾情报送", responses((status = 200, body = Meta), (status = 403, body = crate::error::ErrorBody)))]
pub async fn meta(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<Meta>> {
    let c = ctx(&caller);
    if !yingji_core::disasters::processes::may_read(c.role) {
        return Err(yingji_store::StoreError::Forbidden(
            yingji_core::disasters::processes::NOT_A_READER.into(),
        )
        .into());
    }
    let district =
        yingji_store::directory::regions::district_of_scope(&app.store, &c.scope).await?;
    let townships = store::district_townships(&app.store, &district).await?;
    let entry = |(code, label): &(&str, &str)| KindEntry {
        code: (*code).into(),
        label: (*label).into(),
    };
    Ok(Json(Meta {
        kinds: KINDS
            .iter()
            .map(|(code, label, subs)| Kind {
                code: (*code).into(),
                label: (*label).into(),
                subtypes: subs.iter().map(entry).collect(),
            })
            .collect(),
        figures: FIGURES
            .iter()
            .map(|d| FigureDef {
                key: d.key.into(),
                label: d.label.into(),
                unit: d.unit.into(),
                decimal: d.decimal,
                main: d.main,
            })
            .collect(),
        townships: townships
            .into_iter()
            .map(|(code, name)| Township { code, name })
            .collect(),
    }))
}

fn settings_of(s: yingji_store::disasters::reports_settings::Settings) -> Settings {
    Settings {
        jump_ratio_pct: s.jump.ratio_pct,
        jump_min: s.jump.min,
        city_channel_ids: s.city_channel_ids,
        province_channel_ids: s.province_channel_ids,
    }
}

/// The district's 灾情报送 settings.
#[utoipa::path(get, path = "/api/v1/disasters/report-settings", tag = "灾情报送", responses((status = 200, body = Settings), (status = 403, body = crate::error::ErrorBody)))]
pub async fn settings(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<Settings>> {
    let s = yingji_app::disasters::processes::settings(&app.store, &ctx(&caller)).await?;
    Ok(Json(settings_of(s)))
}

/// Changes the district's settings (局领导, 管理员).
#[utoipa::path(put, path = "/api/v1/disasters/report-settings", tag = "灾情报送", request_body = Settings, responses((status = 200, body = Settings), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn save_settings(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<Settings>,
) -> ApiResult<Json<Settings>> {
    let s = yingji_app::disasters::processes::save_settings(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        JumpRule {
            ratio_pct: input.jump_ratio_pct,
            min: input.jump_min,
        },
        input.city_channel_ids,
        input.province_channel_ids,
    )
    .await?;
    Ok(Json(settings_of(s)))
}
