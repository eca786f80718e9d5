//! Exports of the warning capability (.xlsx through `spreadsheet::table`): warnings, the 叫应
//! figures of a period and the response work orders, each with its list's filters and scope.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiQuery, Caller, ctx};
use crate::routes::warning::targeting::{EffectivenessQuery, OrderQuery};
use crate::routes::warning::warnings::WarningQuery;
use crate::spreadsheet::table::{
    self, Column, RegionNames, Sheet, Table, datetime, label, number, text,
};
use axum::extract::State;
use axum::response::Response;
use yingji_core::warning::target::Effectiveness;
use yingji_store::warning::targeting::{self, Group, OrderFilter, WorkOrder};
use yingji_store::warning::{self, Warning, WarningFilter};

/// 红色预警（Ⅰ级） … 蓝色预警（Ⅳ级）.
pub fn warning_level_label(level: i64) -> &'static str {
    match level {
        1 => "红色预警（Ⅰ级）",
        2 => "橙色预警（Ⅱ级）",
        3 => "黄色预警（Ⅲ级）",
        4 => "蓝色预警（Ⅳ级）",
        _ => "未分级",
    }
}

pub fn warning_columns(regions: RegionNames) -> Vec<Column<Warning>> {
    vec![
        text("标题", |w: &Warning| w.headline.clone()),
        label("预警类型", |w: &Warning| w.event_label.clone()),
        label("预警级别", |w: &Warning| warning_level_label(w.level)),
        label("状态", |w: &Warning| w.status_label.clone()),
        label("来源", |w: &Warning| match w.origin.as_str() {
            "ingested" => "上级接入",
            _ => "本级发布",
        }),
        text("发布单位", |w: &Warning| w.sender_name.clone()),
        label("影响区域", move |w: &Warning| {
            if w.region_codes.is_empty() {
                return w.area_desc.clone();
            }
            w.region_codes
                .iter()
                .map(|c| regions.name(c))
                .collect::<Vec<_>>()
                .join("、")
        }),
        datetime("发布时间", |w: &Warning| w.sent_ms),
        datetime("生效时间", |w: &Warning| w.effective_ms),
        datetime("失效时间", |w: &Warning| w.expires_ms),
        text("防御指南", |w: &Warning| w.instruction.clone()),
        text("起草人", |w: &Warning| w.author.clone()),
        text("审核人", |w: &Warning| w.approver.clone()),
    ]
}

/// 预警信息导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/warnings/export", tag = "预警信息", params(WarningQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn warnings(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<WarningQuery>,
) -> ApiResult<Response> {
    let f = WarningFilter {
        status: q.status,
        current: q.current,
        origin: q.origin,
    };
    let now = app.clock.now_ms();
    let rows = table::collect(|p| warning::list(&app.store, &caller.scope, &f, p, now)).await?;
    let columns = warning_columns(table::region_names(&app.store).await?);
    let sheet = Table {
        sheet: "预警信息",
        columns,
        rows,
    };
    table::respond(sheet, "预警信息.xlsx").await
}

/// The 叫应 figures after a row's own label.
fn figure_columns<T: 'static>(get: fn(&T) -> &Effectiveness) -> Vec<Column<T>> {
    let n = |h: &'static str, f: fn(&Effectiveness) -> i64| number(h, move |r: &T| f(get(r)));
    let x = |h: &'static str, f: fn(&Effectiveness) -> Option<f64>| {
        number(h, move |r: &T| f(get(r)).map(|v| (v * 10.0).round() / 10.0))
    };
    vec![
        n("工单数", |e| e.orders),
        n("按时叫应", |e| e.on_time),
        n("超时叫应", |e| e.late),
        n("未叫应", |e| e.never),
        n("等待中", |e| e.waiting),
        x("叫应率（%）", |e| e.ack_rate.map(|r| r * 100.0)),
        x("平均叫应用时（分钟）", |e| e.mean_ack_minutes),
        x("叫应用时中位数（分钟）", |e| {
            e.median_ack_minutes
        }),
    ]
}

fn group_sheet(sheet: &'static str, first: &'static str, rows: Vec<Group>) -> Box<dyn Sheet> {
    let mut columns = vec![label(first, |g: &Group| g.name.clone())];
    columns.extend(figure_columns(|g: &Group| &g.figures));
    columns.push(number("转移人数", |g: &Group| g.relocated));
    Box::new(Table {
        sheet,
        columns,
        rows,
    })
}

/// 叫应统计导出 (.xlsx): the period's figures overall and by street, person type and object kind.
#[utoipa::path(get, path = "/api/v1/warnings/effectiveness/export", tag = "预警信息", params(EffectivenessQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn effectiveness(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<EffectivenessQuery>,
) -> ApiResult<Response> {
    let now = app.clock.now_ms();
    let (from, to) = crate::routes::day_range(now, q.from.as_deref(), q.to.as_deref())?;
    let r = targeting::effectiveness(&app.store, &ctx(&caller), from, to, now).await?;
    let total = Group {
        code: String::new(),
        name: "合计".into(),
        relocated: r.relocated,
        figures: r.figures.clone(),
    };
    let sheets = vec![
        group_sheet("合计", "范围", vec![total]),
        group_sheet("按街道", "街道", r.by_street),
        group_sheet("按责任人类型", "责任人类型", r.by_person_type),
        group_sheet("按对象类型", "对象类型", r.by_kind),
    ];
    let day = |ms: i64| yingji_core::kernel::clock::to_rfc3339(ms)[..10].to_string();
    let name = format!("叫应统计-{}至{}.xlsx", day(from), day(to - 1));
    table::respond_all(sheets, &name).await
}

pub fn order_columns(regions: RegionNames) -> Vec<Column<WorkOrder>> {
    vec![
        text("预警", |o: &WorkOrder| o.headline.clone()),
        label("预警级别", |o: &WorkOrder| warning_level_label(o.level)),
        text("承灾体", |o: &WorkOrder| o.object.name.clone()),
        label("承灾体类型", |o: &WorkOrder| {
            o.object.kind_label.clone()
        }),
        label("区域", move |o: &WorkOrder| {
            regions.name(&o.object.region_code)
        }),
        text("责任人", |o: &WorkOrder| {
            o.object.responsible_name.clone()
        }),
        label("责任人类型", |o: &WorkOrder| {
            o.object.responsible_type_label.clone()
        }),
        label("状态", |o: &WorkOrder| o.status_label.clone()),
        datetime("叫应时限", |o: &WorkOrder| o.due_ms),
        datetime("叫应时间", |o: &WorkOrder| o.acknowledged_ms),
        label("按时叫应", |o: &WorkOrder| match o.on_time {
            Some(true) => "按时",
            Some(false) => "超时",
            None => "",
        }),
        label("逾期", |o: &WorkOrder| o.overdue),
        number("转移人数", |o: &WorkOrder| o.relocated),
    ]
}

/// 响应工单导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/work-orders/export", tag = "预警信息", params(OrderQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn work_orders(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<Response> {
    let f = OrderFilter {
        warning_id: q.warning_id,
        status: q.status,
        mine: q.mine.unwrap_or(false),
    };
    let now = app.clock.now_ms();
    let c = ctx(&caller);
    let rows = table::collect(|p| targeting::list_orders(&app.store, &c, &f, p, now)).await?;
    let columns = order_columns(table::region_names(&app.store).await?);
    let sheet = Table {
        sheet: "响应工单",
        columns,
        rows,
    };
    table::respond(sheet, "响应工单.xlsx").await
}
