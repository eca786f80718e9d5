//! Exports of the resource registers (.xlsx through `spreadsheet::table`): teams, experts, stock,
//! warehouses and shelters, each with its list's filters and scope.

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiQuery, Caller};
use crate::routes::resources::catalog::ResourceQuery;
use crate::spreadsheet::table::{
    self, Column, RegionNames, Table, date, datetime, label, number, text,
};
use axum::extract::State;
use axum::response::Response;
use yingji_store::resources::{self, Expert, Shelter, StockLine, Team, Warehouse};

pub fn team_columns(regions: RegionNames) -> Vec<Column<Team>> {
    vec![
        text("队伍名称", |t: &Team| t.name.clone()),
        label("队伍类型", |t: &Team| t.kind_label.clone()),
        text("专业", |t: &Team| t.specialties.join("、")),
        number("人数", |t: &Team| t.headcount),
        text("主要装备", |t: &Team| t.equipment.clone()),
        text("驻地", |t: &Team| t.base_address.clone()),
        label("区域", move |t: &Team| regions.name(&t.region_code)),
        text("负责人", |t: &Team| t.leader.clone()),
        text("联系电话", |t: &Team| t.phone.clone()),
        label("状态", |t: &Team| t.status_label.clone()),
        label("停用", |t: &Team| !t.active),
        datetime("更新时间", |t: &Team| t.updated_ms),
    ]
}

pub fn expert_columns(regions: RegionNames) -> Vec<Column<Expert>> {
    vec![
        text("姓名", |e: &Expert| e.name.clone()),
        label("专业类别", |e: &Expert| e.section_labels.join("、")),
        text("专长", |e: &Expert| e.specialties.join("、")),
        text("职称", |e: &Expert| e.title.clone()),
        text("工作单位", |e: &Expert| e.employer.clone()),
        text("联系电话", |e: &Expert| e.phone.clone()),
        label("区域", move |e: &Expert| regions.name(&e.region_code)),
        label("状态", |e: &Expert| e.status_label.clone()),
        label("停用", |e: &Expert| !e.active),
        datetime("更新时间", |e: &Expert| e.updated_ms),
    ]
}

pub fn stock_columns() -> Vec<Column<StockLine>> {
    vec![
        text("储备库", |s: &StockLine| s.warehouse_name.clone()),
        text("物资编码", |s: &StockLine| s.material_code.clone()),
        text("物资名称", |s: &StockLine| s.material_name.clone()),
        label("物资类别", |s: &StockLine| s.category_name.clone()),
        label("储备方式", |s: &StockLine| s.reserve_type_label.clone()),
        number("库存", |s: &StockLine| s.quantity),
        number("待出库", |s: &StockLine| s.reserved),
        number("可用", |s: &StockLine| s.available),
        number("最低库存", |s: &StockLine| s.min_stock),
        text("单位", |s: &StockLine| s.unit.clone()),
        label("低于最低库存", |s: &StockLine| s.low),
        date("有效期至", |s: &StockLine| {
            table::day(s.expiry_date.as_deref())
        }),
        label("效期状态", |s: &StockLine| {
            s.expiry_state.as_deref().map(|e| match e {
                "expired" => "已过期",
                "expiring" => "临期",
                _ => "正常",
            })
        }),
        text("供应商", |s: &StockLine| s.supplier.clone()),
        datetime("更新时间", |s: &StockLine| s.updated_ms),
    ]
}

pub fn warehouse_columns(regions: RegionNames) -> Vec<Column<Warehouse>> {
    vec![
        text("储备库名称", |w: &Warehouse| w.name.clone()),
        label("级别", |w: &Warehouse| w.level_label.clone()),
        text("地址", |w: &Warehouse| w.address.clone()),
        label("区域", move |w: &Warehouse| regions.name(&w.region_code)),
        text("管理人", |w: &Warehouse| w.manager.clone()),
        text("联系电话", |w: &Warehouse| w.phone.clone()),
        number("库存品种", |w: &Warehouse| w.lines),
        number("低库存品种", |w: &Warehouse| w.low_lines),
        number("临期品种", |w: &Warehouse| w.expiring_lines),
        label("停用", |w: &Warehouse| !w.active),
    ]
}

pub fn shelter_columns(regions: RegionNames) -> Vec<Column<Shelter>> {
    vec![
        text("场所名称", |s: &Shelter| s.name.clone()),
        label("类型", |s: &Shelter| s.kind_label.clone()),
        text("地址", |s: &Shelter| s.address.clone()),
        label("区域", move |s: &Shelter| regions.name(&s.region_code)),
        number("容纳人数", |s: &Shelter| s.capacity),
        number("面积（㎡）", |s: &Shelter| s.area_m2),
        number("在场人数", |s: &Shelter| s.occupancy),
        text("设施", |s: &Shelter| s.facilities.join("、")),
        label("状态", |s: &Shelter| s.status_label.clone()),
        text("管理人", |s: &Shelter| s.manager.clone()),
        text("联系电话", |s: &Shelter| s.phone.clone()),
        label("停用", |s: &Shelter| !s.active),
    ]
}

/// 救援队伍导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/teams/export", tag = "应急资源", params(ResourceQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn teams(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Response> {
    let (f, _) = q.split();
    let rows = table::collect(|p| resources::list_teams(&app.store, &caller.scope, &f, p)).await?;
    let columns = team_columns(table::region_names(&app.store).await?);
    crate::spreadsheet::personal::respond(
        &app,
        &caller,
        Table {
            sheet: "救援队伍",
            columns,
            rows,
        },
        "救援队伍.xlsx",
    )
    .await
}

/// 专家库导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/experts/export", tag = "应急资源", params(ResourceQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn experts(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Response> {
    let (f, _) = q.split();
    let rows =
        table::collect(|p| resources::list_experts(&app.store, &caller.scope, &f, p)).await?;
    let columns = expert_columns(table::region_names(&app.store).await?);
    crate::spreadsheet::personal::respond(
        &app,
        &caller,
        Table {
            sheet: "专家库",
            columns,
            rows,
        },
        "专家库.xlsx",
    )
    .await
}

/// 物资库存导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/stock/export", tag = "应急资源", params(ResourceQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn stock(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Response> {
    let (f, _) = q.split();
    let now = app.clock.now_ms();
    let rows =
        table::collect(|p| resources::list_stock(&app.store, &caller.scope, &f, p, now)).await?;
    table::respond(
        Table {
            sheet: "物资库存",
            columns: stock_columns(),
            rows,
        },
        "物资库存.xlsx",
    )
    .await
}

/// 储备库导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/warehouses/export", tag = "应急资源", params(ResourceQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn warehouses(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Response> {
    let (f, _) = q.split();
    let now = app.clock.now_ms();
    let rows =
        table::collect(|p| resources::list_warehouses(&app.store, &caller.scope, &f, p, now))
            .await?;
    let columns = warehouse_columns(table::region_names(&app.store).await?);
    crate::spreadsheet::personal::respond(
        &app,
        &caller,
        Table {
            sheet: "储备库",
            columns,
            rows,
        },
        "储备库.xlsx",
    )
    .await
}

/// 避难场所导出 (.xlsx), same filters and scope as the list.
#[utoipa::path(get, path = "/api/v1/shelters/export", tag = "应急资源", params(ResourceQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn shelters(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Response> {
    let (f, _) = q.split();
    let rows =
        table::collect(|p| resources::list_shelters(&app.store, &caller.scope, &f, p)).await?;
    let columns = shelter_columns(table::region_names(&app.store).await?);
    crate::spreadsheet::personal::respond(
        &app,
        &caller,
        Table {
            sheet: "避难场所",
            columns,
            rows,
        },
        "避难场所.xlsx",
    )
    .await
}
