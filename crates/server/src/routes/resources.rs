//! 应急资源: teams, experts, warehouses and their stock ledger, shelters, the nearest-first search,
//! allocation orders (调拨单) and the dispatch of teams and experts to an incident.

use super::ListResponse;
use super::hazards::ctx;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use yingji_core::resources::{
    EXPERT_SECTIONS, MOVEMENT_KINDS, ORDER_STATUSES, RESERVE_TYPES, SHELTER_KINDS, TEAM_KINDS,
    TEAM_STATUSES, WAREHOUSE_LEVELS,
};
use yingji_store::Page;
use yingji_store::resources::allocations::{
    self, Order, OrderActionInput, OrderFilter, OrderInput,
};
use yingji_store::resources::{
    self, Catalogue, Expert, ExpertInput, Movement, MovementInput, ResourceFilter, SearchQuery,
    SearchResult, Shelter, ShelterInput, ShelterMovementInput, StockEdit, StockInput, StockLine,
    Team, TeamInput, Warehouse, WarehouseInput,
};
use yingji_store::response::dispatches::{self, Dispatch, DispatchInput};

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ResourceCode)]
pub struct Code {
    pub code: &'static str,
    pub label: &'static str,
}

fn codes(list: &[(&'static str, &'static str)]) -> Vec<Code> {
    list.iter()
        .map(|(code, label)| Code { code, label })
        .collect()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ResourceMeta {
    pub catalogue: Catalogue,
    pub team_kinds: Vec<Code>,
    pub team_statuses: Vec<Code>,
    pub expert_sections: Vec<Code>,
    pub warehouse_levels: Vec<Code>,
    pub reserve_types: Vec<Code>,
    pub shelter_kinds: Vec<Code>,
    pub movement_kinds: Vec<Code>,
    pub order_statuses: Vec<Code>,
}

/// The material catalogue (应急物资分类) and the code lists of the resource pages.
#[utoipa::path(get, path = "/api/v1/resources/meta", tag = "应急资源", responses((status = 200, body = ResourceMeta)))]
pub async fn meta(_caller: Caller) -> Json<ResourceMeta> {
    Json(ResourceMeta {
        catalogue: resources::catalogue().clone(),
        team_kinds: codes(TEAM_KINDS),
        team_statuses: codes(TEAM_STATUSES),
        expert_sections: codes(EXPERT_SECTIONS),
        warehouse_levels: codes(WAREHOUSE_LEVELS),
        reserve_types: codes(RESERVE_TYPES),
        shelter_kinds: codes(SHELTER_KINDS),
        movement_kinds: codes(MOVEMENT_KINDS),
        order_statuses: codes(ORDER_STATUSES),
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResourceQuery {
    /// Name, specialty, material …
    pub q: Option<String>,
    /// Team kind, expert section, warehouse level, reserve type or shelter kind.
    pub kind: Option<String>,
    pub status: Option<String>,
    pub warehouse_id: Option<String>,
    /// Material category code.
    pub category: Option<String>,
    /// Stock: low / expiring / expired.
    pub alert: Option<String>,
    /// true: in use only; false: deactivated (停用) only.
    pub active: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

impl ResourceQuery {
    fn split(self) -> (ResourceFilter, Page) {
        (
            ResourceFilter {
                q: self.q,
                kind: self.kind,
                status: self.status,
                warehouse_id: self.warehouse_id,
                category: self.category,
                alert: self.alert,
                active: self.active,
            },
            Page::new(self.page, self.page_size),
        )
    }
}

/// 救援队伍.
#[utoipa::path(get, path = "/api/v1/teams", tag = "应急资源", params(ResourceQuery), responses((status = 200, body = ListResponse<Team>)))]
pub async fn list_teams(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Json<ListResponse<Team>>> {
    let (f, page) = q.split();
    let (items, total) = resources::list_teams(&app.store, &caller.scope, &f, page).await?;
    Ok(Json(ListResponse { items, total }))
}

/// 登记救援队伍.
#[utoipa::path(post, path = "/api/v1/teams", tag = "应急资源", request_body = TeamInput, responses((status = 201, body = Team), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_team(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<(StatusCode, Json<Team>)> {
    let t = resources::create_team(&app.store, &ctx(&caller), app.clock.now_ms(), &input).await?;
    Ok((StatusCode::CREATED, Json(t)))
}

#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "应急资源", responses((status = 200, body = Team), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_team(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Team>> {
    Ok(Json(
        resources::get_team(&app.store, &caller.scope, &id).await?,
    ))
}

/// 修改救援队伍 (a team out on an incident stays 出动 until it returns).
#[utoipa::path(put, path = "/api/v1/teams/{id}", tag = "应急资源", request_body = TeamInput, responses((status = 200, body = Team), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn update_team(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<Json<Team>> {
    Ok(Json(
        resources::update_team(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input).await?,
    ))
}

/// 专家库.
#[utoipa::path(get, path = "/api/v1/experts", tag = "应急资源", params(ResourceQuery), responses((status = 200, body = ListResponse<Expert>)))]
pub async fn list_experts(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Json<ListResponse<Expert>>> {
    let (f, page) = q.split();
    let (items, total) = resources::list_experts(&app.store, &caller.scope, &f, page).await?;
    Ok(Json(ListResponse { items, total }))
}

/// 专家入库.
#[utoipa::path(post, path = "/api/v1/experts", tag = "应急资源", request_body = ExpertInput, responses((status = 201, body = Expert), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_expert(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ExpertInput>,
) -> ApiResult<(StatusCode, Json<Expert>)> {
    let e = resources::create_expert(&app.store, &ctx(&caller), app.clock.now_ms(), &input).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

#[utoipa::path(get, path = "/api/v1/experts/{id}", tag = "应急资源", responses((status = 200, body = Expert), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_expert(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Expert>> {
    Ok(Json(
        resources::get_expert(&app.store, &caller.scope, &id).await?,
    ))
}

/// 修改专家信息.
#[utoipa::path(put, path = "/api/v1/experts/{id}", tag = "应急资源", request_body = ExpertInput, responses((status = 200, body = Expert), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_expert(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ExpertInput>,
) -> ApiResult<Json<Expert>> {
    Ok(Json(
        resources::update_expert(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input)
            .await?,
    ))
}

/// 储备库, with counts of their lines below minimum and expiring.
#[utoipa::path(get, path = "/api/v1/warehouses", tag = "应急资源", params(ResourceQuery), responses((status = 200, body = ListResponse<Warehouse>)))]
pub async fn list_warehouses(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Json<ListResponse<Warehouse>>> {
    let (f, page) = q.split();
    let (items, total) =
        resources::list_warehouses(&app.store, &caller.scope, &f, page, app.clock.now_ms()).await?;
    Ok(Json(ListResponse { items, total }))
}

#[utoipa::path(post, path = "/api/v1/warehouses", tag = "应急资源", request_body = WarehouseInput, responses((status = 201, body = Warehouse), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_warehouse(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<WarehouseInput>,
) -> ApiResult<(StatusCode, Json<Warehouse>)> {
    let w =
        resources::create_warehouse(&app.store, &ctx(&caller), app.clock.now_ms(), &input).await?;
    Ok((StatusCode::CREATED, Json(w)))
}

#[utoipa::path(get, path = "/api/v1/warehouses/{id}", tag = "应急资源", responses((status = 200, body = Warehouse), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_warehouse(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Warehouse>> {
    Ok(Json(
        resources::get_warehouse(&app.store, &caller.scope, &id, app.clock.now_ms()).await?,
    ))
}

/// 修改储备库.
#[utoipa::path(put, path = "/api/v1/warehouses/{id}", tag = "应急资源", request_body = WarehouseInput, responses((status = 200, body = Warehouse), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_warehouse(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<WarehouseInput>,
) -> ApiResult<Json<Warehouse>> {
    Ok(Json(
        resources::update_warehouse(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input)
            .await?,
    ))
}

/// 库存: stock lines with available, reserved, minimum and expiry alerts.
#[utoipa::path(get, path = "/api/v1/stock", tag = "应急资源", params(ResourceQuery), responses((status = 200, body = ListResponse<StockLine>)))]
pub async fn list_stock(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Json<ListResponse<StockLine>>> {
    let (f, page) = q.split();
    let (items, total) =
        resources::list_stock(&app.store, &caller.scope, &f, page, app.clock.now_ms()).await?;
    Ok(Json(ListResponse { items, total }))
}

/// 建立库存行 (the opening quantity is the first 入库 of its ledger).
#[utoipa::path(post, path = "/api/v1/stock", tag = "应急资源", request_body = StockInput, responses((status = 201, body = StockLine), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create_stock(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<StockInput>,
) -> ApiResult<(StatusCode, Json<StockLine>)> {
    let s = resources::create_stock(&app.store, &ctx(&caller), app.clock.now_ms(), &input).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

#[utoipa::path(get, path = "/api/v1/stock/{id}", tag = "应急资源", responses((status = 200, body = StockLine), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_stock(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<StockLine>> {
    Ok(Json(
        resources::get_stock(&app.store, &caller.scope, &id, app.clock.now_ms()).await?,
    ))
}

/// 修改库存行（储备方式、最低库存、有效期、供应单位；数量只随台账变化）.
#[utoipa::path(put, path = "/api/v1/stock/{id}", tag = "应急资源", request_body = StockEdit, responses((status = 200, body = StockLine), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_stock(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<StockEdit>,
) -> ApiResult<Json<StockLine>> {
    Ok(Json(
        resources::update_stock(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input).await?,
    ))
}

/// 台账: the movements of a stock line, oldest first, with the balance after each.
#[utoipa::path(get, path = "/api/v1/stock/{id}/movements", tag = "应急资源", responses((status = 200, body = Vec<Movement>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_movements(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Movement>>> {
    Ok(Json(
        resources::movements(&app.store, &caller.scope, &id, app.clock.now_ms()).await?,
    ))
}

/// 入库 / 出库 / 盘点 / 报损.
#[utoipa::path(post, path = "/api/v1/stock/{id}/movements", tag = "应急资源", request_body = MovementInput, responses((status = 201, body = StockLine), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn add_movement(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<MovementInput>,
) -> ApiResult<(StatusCode, Json<StockLine>)> {
    let s =
        resources::add_movement(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

/// 避难场所.
#[utoipa::path(get, path = "/api/v1/shelters", tag = "应急资源", params(ResourceQuery), responses((status = 200, body = ListResponse<Shelter>)))]
pub async fn list_shelters(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ResourceQuery>,
) -> ApiResult<Json<ListResponse<Shelter>>> {
    let (f, page) = q.split();
    let (items, total) = resources::list_shelters(&app.store, &caller.scope, &f, page).await?;
    Ok(Json(ListResponse { items, total }))
}

#[utoipa::path(post, path = "/api/v1/shelters", tag = "应急资源", request_body = ShelterInput, responses((status = 201, body = Shelter), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_shelter(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ShelterInput>,
) -> ApiResult<(StatusCode, Json<Shelter>)> {
    let s =
        resources::create_shelter(&app.store, &ctx(&caller), app.clock.now_ms(), &input).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

#[utoipa::path(get, path = "/api/v1/shelters/{id}", tag = "应急资源", responses((status = 200, body = Shelter), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_shelter(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Shelter>> {
    Ok(Json(
        resources::get_shelter(&app.store, &caller.scope, &id).await?,
    ))
}

/// 修改避难场所（开放、关闭和入住由场所动态办理）.
#[utoipa::path(put, path = "/api/v1/shelters/{id}", tag = "应急资源", request_body = ShelterInput, responses((status = 200, body = Shelter), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_shelter(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ShelterInput>,
) -> ApiResult<Json<Shelter>> {
    Ok(Json(
        resources::update_shelter(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input)
            .await?,
    ))
}

/// 开放 / 关闭 / 入住 / 离开.
#[utoipa::path(post, path = "/api/v1/shelters/{id}/movements", tag = "应急资源", request_body = ShelterMovementInput, responses((status = 200, body = Shelter), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn shelter_movement(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ShelterMovementInput>,
) -> ApiResult<Json<Shelter>> {
    Ok(Json(
        resources::shelter_movement(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input)
            .await?,
    ))
}

/// 资源搜索: nearest first around an incident or a point, by capability or material
/// (`need=10 km 内 冲锋舟 ≥ 5`).
#[utoipa::path(get, path = "/api/v1/resources/search", tag = "应急资源", params(SearchQuery), responses((status = 200, body = SearchResult), (status = 400, body = crate::error::ErrorBody)))]
pub async fn search(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<SearchResult>> {
    Ok(Json(
        resources::search(&app.store, &caller.scope, &q, app.clock.now_ms()).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrderQuery {
    /// requested / approved / shipped / received / rejected / cancelled
    pub status: Option<String>,
    pub incident_id: Option<String>,
    pub warehouse_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 调拨单, newest first.
#[utoipa::path(get, path = "/api/v1/allocation-orders", tag = "应急资源", params(OrderQuery), responses((status = 200, body = ListResponse<Order>)))]
pub async fn list_orders(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<Json<ListResponse<Order>>> {
    let f = OrderFilter {
        status: q.status,
        incident_id: q.incident_id,
        warehouse_id: q.warehouse_id,
    };
    let (items, total) = allocations::list(
        &app.store,
        &caller.scope,
        &f,
        Page::new(q.page, q.page_size),
    )
    .await?;
    Ok(Json(ListResponse { items, total }))
}

/// 申请调拨.
#[utoipa::path(post, path = "/api/v1/allocation-orders", tag = "应急资源", request_body = OrderInput, responses((status = 201, body = Order), (status = 400, body = crate::error::ErrorBody)))]
pub async fn create_order(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<OrderInput>,
) -> ApiResult<(StatusCode, Json<Order>)> {
    let o = allocations::create(&app.store, &ctx(&caller), app.clock.now_ms(), &input).await?;
    Ok((StatusCode::CREATED, Json(o)))
}

#[utoipa::path(get, path = "/api/v1/allocation-orders/{id}", tag = "应急资源", responses((status = 200, body = Order), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_order(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Order>> {
    Ok(Json(
        allocations::get(&app.store, &caller.scope, &id).await?,
    ))
}

/// 审批 / 驳回 / 出库 / 签收 / 撤销, with per-line quantities for partial fulfilment.
#[utoipa::path(post, path = "/api/v1/allocation-orders/{id}/actions", tag = "应急资源", request_body = OrderActionInput, responses((status = 200, body = Order), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn act_order(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<OrderActionInput>,
) -> ApiResult<Json<Order>> {
    Ok(Json(
        allocations::act(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input).await?,
    ))
}

/// Teams and experts sent to an incident.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/dispatches", tag = "应急响应", responses((status = 200, body = Vec<Dispatch>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_dispatches(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<Dispatch>>> {
    Ok(Json(
        dispatches::list(&app.store, &caller.scope, &id, app.clock.now_ms()).await?,
    ))
}

/// 调派 a team (from 待命) or an expert to the incident.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/dispatches", tag = "应急响应", request_body = DispatchInput, responses((status = 201, body = Vec<Dispatch>), (status = 400, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn dispatch(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<DispatchInput>,
) -> ApiResult<(StatusCode, Json<Vec<Dispatch>>)> {
    let d =
        dispatches::dispatch(&app.store, &ctx(&caller), app.clock.now_ms(), &id, &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// 归队.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/dispatches/{dispatch_id}/return", tag = "应急响应", responses((status = 200, body = Vec<Dispatch>), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn return_back(
    State(app): State<AppState>,
    caller: Caller,
    Path((id, dispatch_id)): Path<(String, String)>,
) -> ApiResult<Json<Vec<Dispatch>>> {
    Ok(Json(
        dispatches::return_back(
            &app.store,
            &ctx(&caller),
            app.clock.now_ms(),
            &id,
            &dispatch_id,
        )
        .await?,
    ))
}
