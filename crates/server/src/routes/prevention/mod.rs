//! prevention: its routes, each registered once with its OpenAPI operation.

pub mod api;
pub mod exports;
pub mod hazard_report;
pub mod hazards;
pub mod major_hazards;
pub mod public;
pub mod risk;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(risk::list, risk::create))
        .routes(routes!(risk::get, risk::update, risk::delete))
        .routes(routes!(risk::preview))
        .routes(routes!(risk::meta))
        .routes(routes!(risk::regions))
        .routes(routes!(risk::risk_lists))
        .routes(routes!(risk::get_rules, risk::put_rules))
        .routes(routes!(hazards::list, hazards::create))
        .routes(routes!(hazards::stats))
        .routes(routes!(hazards::dashboard))
        .routes(routes!(hazard_report::report))
        .routes(routes!(exports::hazards))
        .routes(routes!(exports::major_hazards))
        .routes(routes!(exports::risk_points))
        .routes(routes!(hazards::get))
        .routes(routes!(hazards::act))
        .routes(routes!(hazards::list_criteria))
        .routes(routes!(hazards::update_criterion))
        .routes(routes!(public::report))
        .routes(routes!(public::track))
        .routes(routes!(public::regions))
        .routes(routes!(major_hazards::list, major_hazards::create))
        .routes(routes!(major_hazards::preview))
        .routes(routes!(major_hazards::tables))
        .routes(routes!(major_hazards::get))
}
