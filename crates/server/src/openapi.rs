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
        ListResponse<yingji_store::directory::enterprises::Enterprise>,
        ListResponse<yingji_store::directory::regions::Region>,
        ListResponse<yingji_store::directory::departments::Department>,
        ListResponse<yingji_store::directory::users::User>,
        ListResponse<routes::kernel::audit::AuditEntry>,
        ListResponse<yingji_store::prevention::risk_points::RiskPoint>,
        ListResponse<yingji_store::prevention::hazards::Hazard>,
        ListResponse<yingji_store::prevention::major_hazards::MajorHazard>,
        ListResponse<yingji_store::monitoring::Sensor>,
        ListResponse<yingji_store::monitoring::Alarm>,
        ListResponse<routes::monitoring::gateways::GatewayView>,
        ListResponse<yingji_store::monitoring::channels::Channel>,
        ListResponse<yingji_store::response::incidents::Incident>,
        ListResponse<yingji_store::response::plans::Plan>,
        ListResponse<yingji_store::resources::Team>,
        ListResponse<yingji_store::resources::Expert>,
        ListResponse<yingji_store::resources::Warehouse>,
        ListResponse<yingji_store::resources::StockLine>,
        ListResponse<yingji_store::resources::Shelter>,
        ListResponse<yingji_store::resources::allocations::Order>,
        ListResponse<yingji_store::warning::Warning>,
        ListResponse<yingji_store::warning::targeting::ProtectedObject>,
        ListResponse<yingji_store::warning::targeting::WorkOrder>,
        ListResponse<yingji_store::warning::feeds::Feed>,
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
