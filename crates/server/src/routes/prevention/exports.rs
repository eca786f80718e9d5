//! Exports of prevention's lists (.xlsx through `spreadsheet::table`): the hazard ledger, the
//! 重大危险源 register and the risk points, each with its list's filters and scope.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiQuery, Caller};
use crate::routes::prevention::hazards::HazardQuery;
use crate::routes::prevention::major_hazards::MajorHazardQuery;
use crate::routes::prevention::risk::RiskPointQuery;
use crate::spreadsheet::table::{
    self, Column, RegionNames, Table, date, datetime, label, number, text,
};
use axum::extract::State;
use axum::response::Response;
use yingji_store::prevention::hazards::{self, Hazard};
use yingji_store::prevention::major_hazards::{self, MajorHazard};
use yingji_store::prevention::risk_points::{self, RiskPoint};

pub fn hazard_columns() -> Vec<Column<Hazard>> {
    vec![
        text("隐患编号", |h: &Hazard| h.code.clone()),
        label("来源", |h: &Hazard| h.source_label.clone()),
        text("企业", |h: &Hazard| h.enterprise_name.clone()),
        label("街道", |h: &Hazard| h.street_name.clone()),
        text("位置", |h: &Hazard| h.location.clone()),
        label("类别", |h: &Hazard| h.category_label.clone()),
        text("描述", |h: &Hazard| h.description.clone()),
        label("等级", |h: &Hazard| h.level_label.clone()),
        label("状态", |h: &Hazard| h.status_label.clone()),
        date("整改期限", |h: &Hazard| {
            table::day(h.deadline.as_deref())
        }),
        label("逾期", |h: &Hazard| h.overdue),
        label("挂牌督办", |h: &Hazard| h.listed),
        text("整改责任人", |h: &Hazard| h.responsible_name.clone()),
        text("上报人", |h: &Hazard| h.reporter_name.clone()),
        datetime("上报时间", |h: &Hazard| h.reported_ms),
        datetime("销号时间", |h: &Hazard| h.closed_ms),
    ]
}

/// 隐患台账导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/hazards/export", tag = "隐患排查治理", params(HazardQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn hazards(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<HazardQuery>,
) -> ApiResult<Response> {
    let f = q.filter()?;
    let rows = table::collect(|p| hazards::list(&app.store, &caller.scope, &f, p)).await?;
    let sheet = Table {
        sheet: "隐患台账",
        columns: hazard_columns(),
        rows,
    };
    table::respond(sheet, "隐患台账.xlsx").await
}

pub fn major_hazard_columns(regions: RegionNames) -> Vec<Column<MajorHazard>> {
    vec![
        text("危险源编码", |m: &MajorHazard| m.code.clone()),
        text("名称", |m: &MajorHazard| m.name.clone()),
        text("企业", |m: &MajorHazard| m.enterprise_name.clone()),
        label("区域", move |m: &MajorHazard| {
            regions.name(&m.region_code)
        }),
        label("单元类型", |m: &MajorHazard| m.unit_type_label.clone()),
        text("危险化学品", |m: &MajorHazard| {
            m.chemicals
                .iter()
                .map(|c| c.chemical.clone())
                .collect::<Vec<_>>()
                .join("、")
        }),
        number("S值", |m: &MajorHazard| m.s_value.parse::<f64>().ok()),
        number("R值", |m: &MajorHazard| {
            m.r_value.as_deref().and_then(|r| r.parse::<f64>().ok())
        }),
        label("级别", |m: &MajorHazard| m.level_label.clone()),
        number("500米内人数", |m: &MajorHazard| m.population_500m),
        text("责任人", |m: &MajorHazard| m.responsible_name.clone()),
        text("联系电话", |m: &MajorHazard| {
            m.responsible_phone.clone()
        }),
        datetime("登记时间", |m: &MajorHazard| m.created_ms),
    ]
}

/// 重大危险源台账导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/major-hazards/export", tag = "重大危险源", params(MajorHazardQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn major_hazards(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<MajorHazardQuery>,
) -> ApiResult<Response> {
    let f = q.filter()?;
    let rows = table::collect(|p| major_hazards::list(&app.store, &caller.scope, &f, p)).await?;
    let sheet = Table {
        sheet: "重大危险源台账",
        columns: major_hazard_columns(table::region_names(&app.store).await?),
        rows,
    };
    crate::spreadsheet::personal::respond(&app, &caller, sheet, "重大危险源台账.xlsx").await
}

pub fn risk_point_columns(regions: RegionNames) -> Vec<Column<RiskPoint>> {
    vec![
        text("风险点", |r: &RiskPoint| r.name.clone()),
        text("企业", |r: &RiskPoint| r.enterprise_name.clone()),
        label("公共风险源类型", |r: &RiskPoint| {
            r.public_kind_label.clone()
        }),
        label("区域", move |r: &RiskPoint| {
            r.region_name
                .clone()
                .unwrap_or_else(|| regions.name(&r.region_code))
        }),
        text("位置", |r: &RiskPoint| r.location.clone()),
        text("危险有害因素", |r: &RiskPoint| {
            r.hazard_factors.clone()
        }),
        label("可能导致的事故类型", |r: &RiskPoint| {
            r.accident_types.join("、")
        }),
        label("评价方法", |r: &RiskPoint| match r.method.as_str() {
            "lec" => "作业条件危险性评价法（LEC）",
            "ls" => "风险矩阵法（LS）",
            _ => "其他",
        }),
        number("风险值", |r: &RiskPoint| r.score.parse::<f64>().ok()),
        label("风险等级", |r: &RiskPoint| r.level_label.clone()),
        label("管控层级", |r: &RiskPoint| {
            r.control_level_label.clone()
        }),
        text("管控措施", |r: &RiskPoint| r.control_measures.clone()),
        text("应急处置措施", |r: &RiskPoint| {
            r.emergency_measures.clone()
        }),
        text("责任人", |r: &RiskPoint| r.responsible_name.clone()),
        text("联系电话", |r: &RiskPoint| r.responsible_phone.clone()),
        date("复评日期", |r: &RiskPoint| {
            table::day(r.review_date.as_deref())
        }),
    ]
}

/// 风险点清单导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/risk-points/export", tag = "风险分级管控", params(RiskPointQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn risk_points(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RiskPointQuery>,
) -> ApiResult<Response> {
    let f = q.filter()?;
    let rows = table::collect(|p| risk_points::list(&app.store, &caller.scope, &f, p)).await?;
    let sheet = Table {
        sheet: "风险点清单",
        columns: risk_point_columns(table::region_names(&app.store).await?),
        rows,
    };
    crate::spreadsheet::personal::respond(&app, &caller, sheet, "风险点清单.xlsx").await
}
