//! 防灾减灾救灾 (issue 23): one router registering every route of the capability once.

pub mod informants;
pub mod ledgers;
pub mod processes;
pub mod processes_api;
pub mod reports;
pub mod reports_api;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::router::OpenApiRouter;

pub fn router(limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(processes::router(limits))
        .merge(reports::router(limits))
        .merge(ledgers::router(limits))
        .merge(informants::router(limits))
}
