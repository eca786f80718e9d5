//! 隐患月报/季报/年报: the hazards reported in a month, quarter or year, by status, region,
//! 行业领域 (监管类别) and 国民经济行业, as JSON for the print page or as a workbook.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller, string_or_number};
use crate::routes::prevention::api::hazard_report::{
    HazardReport, HazardReportRow, HazardStatusCount,
};
use crate::routes::prevention::hazards::default_region;
use crate::spreadsheet::table::{self, Column, Sheet, Table, label, number};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use yingji_core::prevention::hazard::periodic::{self, Period};
use yingji_store::prevention::hazards;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// month (月报) / quarter (季报) / year (年报).
    pub kind: String,
    /// YYYY-MM, for a month.
    pub month: Option<String>,
    /// For a quarter or a year.
    pub year: Option<i32>,
    /// 1–4, for a quarter.
    pub quarter: Option<u8>,
    /// District, street or community code (default: the caller's area).
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
    /// xlsx: download instead of JSON.
    pub format: Option<String>,
}

/// 隐患月报/季报/年报 (`format=xlsx` downloads it as a workbook).
#[utoipa::path(get, path = "/api/v1/hazards/report", tag = "隐患排查治理", params(ReportQuery), responses((status = 200, body = HazardReport), (status = 400, body = crate::error::ErrorBody)))]
pub async fn report(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult<Response> {
    let period = Period::parse(&q.kind, q.month.as_deref(), q.year, q.quarter)
        .map_err(yingji_store::StoreError::from)?;
    let region = default_region(&app, &caller, q.region.clone()).await?;
    let r = hazards::period_report(&app.store, &caller.scope, &region, period).await?;
    let report = HazardReport::new(period, &region, r);
    match q.format.as_deref() {
        None => Ok(Json(report).into_response()),
        Some("xlsx") => table::respond_all(workbook(report), &period.file_name()).await,
        Some(f) => Err(ApiError::field(
            "format",
            format!("格式“{f}”无效，应为 xlsx 或不填"),
        )),
    }
}

/// A breakdown's columns after its first: 隐患数, 一般, 重大, 已整改, 整改率, 逾期.
fn figure_columns(first: &'static str) -> Vec<Column<HazardReportRow>> {
    vec![
        label(first, |r: &HazardReportRow| r.name.clone()),
        number("隐患数", |r: &HazardReportRow| r.total),
        number("一般隐患", |r: &HazardReportRow| r.general),
        number("重大隐患", |r: &HazardReportRow| r.major),
        number("已整改（已验收销号）", |r: &HazardReportRow| {
            r.closed
        }),
        number("不予立案", |r: &HazardReportRow| r.dismissed),
        number("整改率（%）", |r: &HazardReportRow| r.rate),
        number("逾期未整改", |r: &HazardReportRow| r.overdue),
    ]
}

/// 总体情况 (the figures and the statuses), then one sheet per breakdown.
fn workbook(r: HazardReport) -> Vec<Box<dyn Sheet>> {
    let mut summary: Vec<(String, Option<f64>)> = vec![
        (format!("{}（{}）", r.title, r.period_label), None),
        ("隐患数".into(), Some(r.total.total as f64)),
        ("一般隐患".into(), Some(r.total.general as f64)),
        ("重大隐患".into(), Some(r.total.major as f64)),
        ("已整改（已验收销号）".into(), Some(r.total.closed as f64)),
        ("整改率（%）".into(), r.total.rate),
        ("本期隐患中逾期未整改".into(), Some(r.total.overdue as f64)),
        (
            "当前逾期未整改（全部隐患）".into(),
            Some(r.overdue_now as f64),
        ),
    ];
    summary.extend(
        r.by_status
            .iter()
            .map(|s: &HazardStatusCount| (format!("状态：{}", s.label), Some(s.count as f64))),
    );
    let mut by_region = r.by_region;
    by_region.push(r.total.clone());
    let mut by_industry = r.by_industry;
    by_industry.push(r.total);
    let region_label = periodic::child_region_label(&r.region_code);
    vec![
        Box::new(Table {
            sheet: "总体情况",
            columns: vec![
                label("项目", |s: &(String, Option<f64>)| s.0.clone()),
                number("数值", |s: &(String, Option<f64>)| s.1),
            ],
            rows: summary,
        }),
        Box::new(Table {
            sheet: "按区域",
            columns: figure_columns(region_label),
            rows: by_region,
        }),
        Box::new(Table {
            sheet: "按行业领域",
            columns: figure_columns("行业领域（监管类别）"),
            rows: r.by_category,
        }),
        Box::new(Table {
            sheet: "按国民经济行业",
            columns: figure_columns("国民经济行业（门类）"),
            rows: by_industry,
        }),
    ]
}
