//! 防灾减灾救灾: its routes, each registered once with its OpenAPI operation.

mod census;
pub mod census_api;
pub mod consultations;
pub mod consultations_api;
mod evacuation;
mod evacuation_api;
mod fire_use;
mod flood;
mod flood_api;
mod forest;
pub mod forest_api;
mod forest_patrols;
pub mod informants;
pub mod ledgers;
mod orders;
mod patrol_logs;
mod payments;
pub mod processes;
pub mod processes_api;
mod relief;
pub mod relief_api;
pub mod reports;
pub mod reports_api;
mod summary;
pub mod summary_api;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::router::OpenApiRouter;

pub fn router(limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(forest::router())
        .merge(fire_use::router())
        .merge(forest_patrols::router())
        .merge(flood::router())
        .merge(patrol_logs::router())
        .merge(evacuation::router())
        .merge(orders::router())
        .merge(processes::router(limits))
        .merge(reports::router(limits))
        .merge(ledgers::router(limits))
        .merge(informants::router(limits))
        .merge(census::router(limits))
        .merge(summary::router())
        .merge(relief::router())
        .merge(payments::router())
        .merge(consultations::router())
}
