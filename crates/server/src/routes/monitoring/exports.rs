//! Exports of monitoring's lists (.xlsx through `spreadsheet::table`): the alarms, with the list's
//! filter and scope.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiQuery, Caller};
use crate::routes::monitoring::alarms::AlarmQuery;
use crate::spreadsheet::table::{self, Column, Table, datetime, label, number, text};
use axum::extract::State;
use axum::response::Response;
use yingji_store::monitoring::{self, Alarm};

/// A shown value as a number cell (it is already rounded to the unit's precision).
fn shown(v: &str) -> Option<f64> {
    v.parse::<f64>().ok()
}

pub fn alarm_columns() -> Vec<Column<Alarm>> {
    vec![
        label("报警级别", |a: &Alarm| a.level_label.clone()),
        text("企业/对象", |a: &Alarm| {
            a.enterprise_name.clone().or_else(|| a.object_name.clone())
        }),
        text("监测点编码", |a: &Alarm| a.sensor_code.clone()),
        text("监测点", |a: &Alarm| a.sensor_name.clone()),
        number("报警值", |a: &Alarm| shown(&a.open_value_shown)),
        number("峰值", |a: &Alarm| shown(&a.peak_value_shown)),
        text("单位", |a: &Alarm| a.unit.clone()),
        label("处置状态", |a: &Alarm| a.response_label.clone()),
        datetime("报警时间", |a: &Alarm| a.opened_ms),
        datetime("恢复时间", |a: &Alarm| a.resolved_ms),
        datetime("确认时间", |a: &Alarm| a.acked_ms),
        text("确认人", |a: &Alarm| a.acked_by.clone()),
        text("处置说明", |a: &Alarm| a.note.clone()),
        datetime("关闭时间", |a: &Alarm| a.closed_ms),
    ]
}

/// 报警记录导出 (.xlsx), same filter and scope as the list.
#[utoipa::path(get, path = "/api/v1/alarms/export", tag = "重大危险源", params(AlarmQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn alarms(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AlarmQuery>,
) -> ApiResult<Response> {
    let open = q.open.unwrap_or(true);
    let rows =
        table::collect(|p| monitoring::list_alarms(&app.store, &caller.scope, open, p)).await?;
    let sheet = Table {
        sheet: "报警记录",
        columns: alarm_columns(),
        rows,
    };
    table::respond(sheet, "报警记录.xlsx").await
}
