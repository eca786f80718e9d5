//! response: its routes, each registered once with its OpenAPI operation.

pub mod api;
pub mod dispatches;
pub mod duty;
pub mod exports;
pub mod incidents;
pub mod investigations;
pub mod plans;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(incidents::meta))
        .routes(routes!(incidents::assess))
        .routes(routes!(incidents::stats))
        .routes(routes!(exports::incidents))
        .routes(routes!(exports::incident_stats))
        .routes(routes!(exports::plans))
        .routes(routes!(
            investigations::investigation,
            investigations::act_investigation
        ))
        .routes(routes!(investigations::add_followup))
        .routes(routes!(investigations::complete_followup))
        .routes(routes!(incidents::list, incidents::create))
        .routes(routes!(incidents::get))
        .routes(routes!(incidents::report))
        .routes(routes!(incidents::escalate))
        .routes(routes!(incidents::close))
        .routes(routes!(incidents::response, incidents::decide))
        .routes(routes!(incidents::suggestions))
        .routes(routes!(incidents::update_task))
        .routes(routes!(duty::shifts, duty::set_shift))
        .routes(routes!(duty::log, duty::add_log))
        .routes(routes!(duty::daily))
        .routes(routes!(plans::list_plans, plans::create_plan))
        .routes(routes!(plans::get_plan))
        .routes(routes!(dispatches::list_dispatches, dispatches::dispatch))
        .routes(routes!(dispatches::return_back))
}
