//! 灾情统计: the district's summary over years (per year, kind and township, with the plan's
//! indicators), its .xlsx, and the yearbook (GDP and population per year) the indicators use.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, ctx, string_or_number};
use crate::routes::disasters::summary_api::{Summary, SummaryLine, YearbookInput, YearbookLine};
use crate::spreadsheet::{write_xlsx, xlsx_response};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::disasters::summary as app;
use yingji_core::disasters::reports_figures::FIGURES;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(summary))
        .routes(routes!(export))
        .routes(routes!(yearbook, save_yearbook))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// 起始年份 (default: nine years before the end year).
    #[serde(default, deserialize_with = "string_or_number")]
    #[param(value_type = Option<String>)]
    pub from_year: Option<String>,
    /// 截止年份 (default: this year, Asia/Shanghai).
    #[serde(default, deserialize_with = "string_or_number")]
    #[param(value_type = Option<String>)]
    pub to_year: Option<String>,
    /// 灾害种类 (a key of the kinds table).
    pub kind: Option<String>,
}

async fn report(app: &AppState, caller: &Caller, q: &SummaryQuery) -> ApiResult<Summary> {
    let r = app::summary(
        &app.store,
        &ctx(caller),
        app.clock.now_ms(),
        q.from_year.as_deref(),
        q.to_year.as_deref(),
        q.kind.as_deref(),
    )
    .await?;
    Ok(r.into())
}

/// The 灾情 summary of the processes the caller may read, by the latest report of each (the
/// 核报 once verified): per year of the start, per kind, per township (a street's staff see
/// their township's rows), with the plan's indicators over the years with yearbook figures.
#[utoipa::path(get, path = "/api/v1/disasters/summary", tag = "灾情报送", params(SummaryQuery), responses((status = 200, body = Summary), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn summary(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<SummaryQuery>,
) -> ApiResult<Json<Summary>> {
    Ok(Json(report(&app, &caller, &q).await?))
}

fn sheet_rows(s: &Summary) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut add = |section: &str, l: &SummaryLine| {
        let f = serde_json::to_value(&l.figures).unwrap_or_default();
        let mut row = vec![
            section.to_string(),
            l.label.clone(),
            l.processes.to_string(),
        ];
        row.extend(FIGURES.iter().map(|d| match &f[d.key] {
            serde_json::Value::String(v) => v.clone(),
            v => v.to_string(),
        }));
        rows.push(row);
    };
    add("合计", &s.total);
    for l in &s.by_year {
        add("年度", l);
    }
    for l in &s.by_kind {
        add("灾种", l);
    }
    for l in &s.by_township {
        add("乡镇（街道）", l);
    }
    rows
}

/// The summary as .xlsx: one line per year, kind and township, and a sheet of indicators.
#[utoipa::path(get, path = "/api/v1/disasters/summary/export", tag = "灾情报送", params(SummaryQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn export(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<SummaryQuery>,
) -> ApiResult<Response> {
    let s = report(&app, &caller, &q).await?;
    let labels: Vec<String> = FIGURES
        .iter()
        .map(|d| format!("{}（{}）", d.label, d.unit))
        .collect();
    let mut headers = vec!["分组", "名称", "灾害过程数"];
    headers.extend(labels.iter().map(String::as_str));
    let mut notes = vec![vec![
        "指标".to_string(),
        "数值 / 目标 / 是否达标 / 统计年度".to_string(),
    ]];
    notes.extend(s.indicators.iter().map(|i| {
        let years: Vec<String> = i.years.iter().map(i32::to_string).collect();
        let verdict = match i.met {
            Some(true) => "达标",
            Some(false) => "未达标",
            None => "无年度统计",
        };
        vec![
            i.label.clone(),
            format!(
                "{} / {} / {verdict} / {}",
                i.value.as_deref().unwrap_or("—"),
                i.target,
                years.join("、")
            ),
        ]
    }));
    let bytes = write_xlsx("灾情统计", &headers, &sheet_rows(&s), Some(("指标", notes)))
        .map_err(ApiError::internal)?;
    Ok(xlsx_response(
        bytes,
        &format!("灾情统计_{}-{}.xlsx", s.from_year, s.to_year),
    ))
}

/// The district's yearbook: GDP and resident population per year.
#[utoipa::path(get, path = "/api/v1/disasters/yearbook", tag = "灾情报送", responses((status = 200, body = Vec<YearbookLine>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn yearbook(
    State(app): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<YearbookLine>>> {
    let v = app::yearbook(&app.store, &ctx(&caller)).await?;
    Ok(Json(v.into_iter().map(YearbookLine::from).collect()))
}

/// Replaces the district's yearbook (局领导, 管理员); errors name the line.
#[utoipa::path(put, path = "/api/v1/disasters/yearbook", tag = "灾情报送", request_body = YearbookInput, responses((status = 200, body = Vec<YearbookLine>), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn save_yearbook(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<YearbookInput>,
) -> ApiResult<Json<Vec<YearbookLine>>> {
    let lines: Vec<_> = input.years.into_iter().map(Into::into).collect();
    let v = app::save_yearbook(&app.store, &ctx(&caller), app.clock.now_ms(), &lines).await?;
    Ok(Json(v.into_iter().map(YearbookLine::from).collect()))
}
