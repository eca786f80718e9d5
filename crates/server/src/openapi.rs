//! The OpenAPI document (`/api/openapi.json`) and browsable docs (`/api/docs`), served from
//! assets vendored into the binary.

use crate::AppState;
use crate::routes::{self, ListResponse};
use axum::Router;
use utoipa::{Modify, OpenApi};

pub mod conventions;
use conventions::Conventions;

#[derive(OpenApi)]
#[openapi(
    info(title = "应急管理综合平台 API", description = "yingji：安全生产、应急管理和防灾减灾救灾一体化平台。所有列表按调用者的权限范围过滤。"),
    components(schemas(
        crate::error::ErrorBody,
        ListResponse<crate::routes::directory::api::enterprises::Enterprise>,
        ListResponse<crate::routes::directory::api::regions::Region>,
        ListResponse<crate::routes::directory::api::departments::Department>,
        ListResponse<crate::routes::directory::api::users::User>,
        ListResponse<routes::kernel::audit::AuditEntry>,
        ListResponse<crate::routes::prevention::api::risk_points::RiskPoint>,
        ListResponse<crate::routes::prevention::api::hazards::Hazard>,
        ListResponse<crate::routes::prevention::api::major_hazards::MajorHazard>,
        ListResponse<crate::routes::monitoring::api::Sensor>,
        ListResponse<crate::routes::monitoring::api::alarms::Alarm>,
        ListResponse<routes::monitoring::gateways::GatewayView>,
        ListResponse<crate::routes::monitoring::api::channels::Channel>,
        ListResponse<crate::routes::response::api::incidents::Incident>,
        ListResponse<crate::routes::response::api::plans::Plan>,
        ListResponse<crate::routes::resources::api::teams::Team>,
        ListResponse<crate::routes::resources::api::experts::Expert>,
        ListResponse<crate::routes::resources::api::warehouses::Warehouse>,
        ListResponse<crate::routes::resources::api::stock::StockLine>,
        ListResponse<crate::routes::resources::api::shelters::Shelter>,
        ListResponse<crate::routes::resources::api::allocations::Order>,
        ListResponse<crate::routes::warning::api::Warning>,
        ListResponse<crate::routes::warning::api::targeting::ProtectedObject>,
        ListResponse<crate::routes::warning::api::targeting::WorkOrder>,
        ListResponse<crate::routes::warning::api::feeds::Feed>,
    ))
)]
pub struct ApiDoc;

/// The document: the info and shared schemas above, the paths collected from the routes as they
/// are registered, then the conventions.
pub fn complete(paths: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi().merge_from(paths);
    Conventions.modify(&mut doc);
    doc
}

/// The whole document, as `/api/openapi.json` serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, paths) = routes::api(routes::Limits {
        import: 0,
        attachment: 0,
    })
    .split_for_parts();
    complete(paths)
}

/// `/api/openapi.json` and the browsable docs.
pub fn routes(doc: utoipa::openapi::OpenApi) -> Router<AppState> {
    let swagger: Router<AppState> = utoipa_swagger_ui::SwaggerUi::new("/api/docs")
        .url("/api/openapi.json", doc)
        .into();
    swagger
}
