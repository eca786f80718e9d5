//! resources: its routes, each registered once with its OpenAPI operation.

pub mod allocations;
pub mod api;
pub mod catalog;
pub mod exports;
pub mod registers;
pub mod shelters;
pub mod stock;
pub mod units;

use crate::AppState;
use crate::routes::Limits;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(
            OpenApiRouter::new()
                .routes(routes!(registers::import))
                .layer(DefaultBodyLimit::max(limits.import)),
        )
        .routes(routes!(registers::template))
        .routes(routes!(exports::teams))
        .routes(routes!(exports::experts))
        .routes(routes!(exports::stock))
        .routes(routes!(exports::warehouses))
        .routes(routes!(exports::shelters))
        .routes(routes!(registers::set_active))
        .routes(routes!(catalog::meta))
        .routes(routes!(catalog::search))
        .routes(routes!(units::list_teams, units::create_team))
        .routes(routes!(units::get_team, units::update_team))
        .routes(routes!(units::list_experts, units::create_expert))
        .routes(routes!(units::get_expert, units::update_expert))
        .routes(routes!(stock::list_warehouses, stock::create_warehouse))
        .routes(routes!(stock::get_warehouse, stock::update_warehouse))
        .routes(routes!(stock::list_stock, stock::create_stock))
        .routes(routes!(stock::get_stock, stock::update_stock))
        .routes(routes!(stock::list_movements, stock::add_movement))
        .routes(routes!(shelters::list_shelters, shelters::create_shelter))
        .routes(routes!(shelters::get_shelter, shelters::update_shelter))
        .routes(routes!(shelters::shelter_movement))
        .routes(routes!(allocations::list_orders, allocations::create_order))
        .routes(routes!(allocations::get_order))
        .routes(routes!(allocations::act_order))
}
