//! Exports of response's lists (.xlsx through `spreadsheet::table`): incidents, 事故统计 and the
//! plan library, each with its list's filters and scope.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiQuery, Caller};
use crate::routes::response::incidents::{IncidentQuery, StatsQuery, stats_of};
use crate::routes::response::plans::PlanQuery;
use crate::spreadsheet::table::{
    self, Column, RegionNames, Sheet, Table, date, datetime, label, number, text,
};
use axum::extract::State;
use axum::response::Response;
use yingji_store::response::incidents::{self, Incident};
use yingji_store::response::investigations::{Figures, GroupRow, MonthRow};
use yingji_store::response::plans::{self, Plan, PlanFilter};

pub fn incident_columns(regions: RegionNames) -> Vec<Column<Incident>> {
    vec![
        text("事件编号", |i: &Incident| i.code.clone()),
        text("事件名称", |i: &Incident| i.title.clone()),
        label("类别", |i: &Incident| i.category_label.clone()),
        label("类型", |i: &Incident| i.subtype_label.clone()),
        label("等级", |i: &Incident| i.severity_label.clone()),
        label("状态", |i: &Incident| i.status_label.clone()),
        datetime("发生时间", |i: &Incident| i.occurred_ms),
        datetime("接报时间", |i: &Incident| i.received_ms),
        label("区域", move |i: &Incident| regions.name(&i.region_code)),
        text("地点", |i: &Incident| i.location.clone()),
        text("事发单位", |i: &Incident| i.enterprise_name.clone()),
        number("死亡", |i: &Incident| i.casualties.deaths),
        number("失踪", |i: &Incident| i.casualties.missing),
        number("重伤", |i: &Incident| i.casualties.serious_injuries),
        number("轻伤", |i: &Incident| i.casualties.minor_injuries),
        number("直接经济损失（元）", |i: &Incident| {
            i.casualties.loss_yuan
        }),
        label("响应级别", |i: &Incident| i.response_label.clone()),
        label("逾期", |i: &Incident| i.overdue),
        datetime("最近报告时间", |i: &Incident| i.last_report_ms),
        datetime("结束时间", |i: &Incident| i.closed_ms),
    ]
}

/// 事件列表导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/incidents/export", tag = "应急响应", params(IncidentQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn incidents(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<IncidentQuery>,
) -> ApiResult<Response> {
    let f = q.filter()?;
    let now = app.clock.now_ms();
    let rows = table::collect(|p| incidents::list(&app.store, &caller.scope, &f, p, now)).await?;
    let sheet = Table {
        sheet: "突发事件",
        columns: incident_columns(table::region_names(&app.store).await?),
        rows,
    };
    table::respond(sheet, "突发事件.xlsx").await
}

/// The figures of a year and its baseline, as columns after the row's own label.
fn figure_columns<T: 'static>(get: fn(&T) -> (&Figures, &Figures)) -> Vec<Column<T>> {
    let y = |h: &'static str, f: fn(&Figures) -> i64| number(h, move |r: &T| f(get(r).0));
    let b = |h: &'static str, f: fn(&Figures) -> i64| number(h, move |r: &T| f(get(r).1));
    vec![
        y("起数", |f| f.incidents),
        y("死亡", |f| f.deaths),
        y("重伤", |f| f.serious_injuries),
        y("直接经济损失（元）", |f| f.loss_yuan),
        y("较大及以上", |f| f.larger_or_above),
        b("同期起数", |f| f.incidents),
        b("同期死亡", |f| f.deaths),
        b("同期重伤", |f| f.serious_injuries),
        b("同期直接经济损失（元）", |f| f.loss_yuan),
    ]
}

fn group_sheet(sheet: &'static str, first: &'static str, rows: Vec<GroupRow>) -> Table<GroupRow> {
    let mut columns = vec![label(first, |g: &GroupRow| g.label.clone())];
    columns.extend(figure_columns(|g: &GroupRow| (&g.year, &g.baseline)));
    Table {
        sheet,
        columns,
        rows,
    }
}

/// 事故统计导出 (.xlsx): by month, grade and category against the baseline year.
#[utoipa::path(get, path = "/api/v1/incidents/stats/export", tag = "应急响应", params(StatsQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn incident_stats(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Response> {
    let s = stats_of(&app, &caller, q).await?;
    let (year, base) = (s.year, s.baseline_year);
    let mut month_columns = vec![label("月份", |m: &MonthRow| format!("{}月", m.month))];
    month_columns.extend(figure_columns(|m: &MonthRow| (&m.year, &m.baseline)));
    let sheets: Vec<Box<dyn Sheet>> = vec![
        Box::new(Table {
            sheet: "按月",
            columns: month_columns,
            rows: s.months,
        }),
        Box::new(group_sheet("按等级", "等级", s.by_severity)),
        Box::new(group_sheet("按类别", "类别", s.by_category)),
    ];
    table::respond_all(sheets, &format!("事故统计-{year}年（对比{base}年）.xlsx")).await
}

pub fn plan_columns() -> Vec<Column<Plan>> {
    vec![
        text("预案编号", |p: &Plan| p.code.clone()),
        text("预案名称", |p: &Plan| p.name.clone()),
        label("预案类型", |p: &Plan| p.kind_label.clone()),
        text("编制单位", |p: &Plan| p.owner.clone()),
        text("版本", |p: &Plan| p.version.clone()),
        date("生效日期", |p: &Plan| {
            table::day(Some(&p.effective_date))
        }),
        number("评估周期（月）", |p: &Plan| p.review_cycle_months),
        date("下次评估", |p: &Plan| {
            table::day(p.review_due.as_deref())
        }),
        label("评估逾期", |p: &Plan| p.review_overdue),
        datetime("更新时间", |p: &Plan| p.updated_ms),
    ]
}

/// 预案库导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/plans/export", tag = "应急响应", params(PlanQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn plans(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PlanQuery>,
) -> ApiResult<Response> {
    let f = PlanFilter {
        kind: q.kind,
        subtype: q.subtype,
        review_overdue: q.review_overdue,
        q: q.q,
    };
    let now = app.clock.now_ms();
    let rows = table::collect(|p| plans::list(&app.store, &caller.scope, &f, p, now)).await?;
    let sheet = Table {
        sheet: "预案库",
        columns: plan_columns(),
        rows,
    };
    table::respond(sheet, "预案库.xlsx").await
}
