//! The OpenAPI document (`/api/openapi.json`) and browsable docs (`/api/docs`), served from
//! assets vendored into the binary.

use crate::AppState;
use crate::routes::{self, ListResponse};
use axum::Router;
use utoipa::OpenApi;

pub mod conventions;
use conventions::Conventions;

#[derive(OpenApi)]
#[openapi(
    modifiers(&Conventions),
    info(title = "应急管理综合平台 API", description = "yingji：安全生产、应急管理和防灾减灾救灾一体化平台。所有列表按调用者的权限范围过滤。"),
    paths(
        routes::meta::healthz, routes::meta::meta,
        crate::auth::login, crate::auth::logout, crate::auth::me, crate::auth::change_password,
        crate::auth::create_token, crate::auth::list_tokens, crate::auth::revoke_token,
        routes::regions::list, routes::regions::get, routes::regions::boundary, routes::regions::create, routes::regions::update, routes::regions::delete,
        routes::map::regions, routes::map::enterprises,
        routes::departments::list, routes::departments::get, routes::departments::create, routes::departments::update,
        routes::users::list, routes::users::get, routes::users::create, routes::users::update, routes::users::reset_password, routes::users::unlock,
        routes::enterprises::list, routes::enterprises::get, routes::enterprises::create, routes::enterprises::update, routes::enterprises::delete,
        routes::enterprises::export, routes::enterprises::template, routes::enterprises::import,
        routes::registers::set_active, routes::registers::template, routes::registers::import,
        routes::enterprise_changes::list, routes::enterprise_changes::decide,
        routes::audit::list, routes::audit::verify,
        routes::risk::list, routes::risk::create, routes::risk::get, routes::risk::update, routes::risk::delete,
        routes::risk::preview, routes::risk::meta, routes::risk::regions, routes::risk::risk_lists,
        routes::risk::get_rules, routes::risk::put_rules,
        routes::monitoring::list, routes::monitoring::create, routes::monitoring::get,
        routes::monitoring::preview, routes::monitoring::tables,
        routes::monitoring::list_sensors, routes::monitoring::create_sensor, routes::monitoring::get_sensor, routes::monitoring::update_sensor, routes::monitoring::sensor_trend, routes::monitoring::ingest,
        routes::monitoring::list_alarms, routes::monitoring::get_alarm, routes::monitoring::act_alarm, routes::monitoring::alarm_to_hazard,
        routes::monitoring::alarm_stream, routes::monitoring::alarm_events, routes::monitoring::status, routes::monitoring::analytics,
        routes::gateways::list, routes::gateways::create, routes::gateways::rotate,
        routes::gateways::update, routes::gateways::stats,
        routes::channels::list, routes::channels::create, routes::channels::get, routes::channels::update,
        routes::channels::test, routes::channels::channel_deliveries, routes::channels::alarm_deliveries,
        routes::hazards::list, routes::hazards::create, routes::hazards::get, routes::hazards::act,
        routes::hazards::stats, routes::hazards::dashboard, routes::hazards::export,
        routes::hazards::list_criteria, routes::hazards::update_criterion,
        routes::incidents::meta, routes::incidents::assess, routes::incidents::list, routes::incidents::create, routes::incidents::get,
        routes::incidents::report, routes::incidents::escalate, routes::incidents::close,
        routes::incidents::response, routes::incidents::suggestions, routes::incidents::decide, routes::incidents::update_task,
        routes::incidents::investigation, routes::incidents::act_investigation, routes::incidents::add_followup,
        routes::incidents::complete_followup, routes::incidents::stats,
        routes::incidents::list_plans, routes::incidents::create_plan, routes::incidents::get_plan,
        routes::resources::meta, routes::resources::search,
        routes::resources::list_teams, routes::resources::create_team, routes::resources::get_team, routes::resources::update_team,
        routes::resources::list_experts, routes::resources::create_expert, routes::resources::get_expert, routes::resources::update_expert,
        routes::resources::list_warehouses, routes::resources::create_warehouse, routes::resources::get_warehouse, routes::resources::update_warehouse,
        routes::resources::list_stock, routes::resources::create_stock, routes::resources::get_stock, routes::resources::update_stock,
        routes::resources::list_movements, routes::resources::add_movement,
        routes::resources::list_shelters, routes::resources::create_shelter, routes::resources::get_shelter, routes::resources::update_shelter, routes::resources::shelter_movement,
        routes::resources::list_orders, routes::resources::create_order, routes::resources::get_order, routes::resources::act_order,
        routes::resources::list_dispatches, routes::resources::dispatch, routes::resources::return_back,
        routes::warnings::meta, routes::warnings::list, routes::warnings::create, routes::warnings::get,
        routes::warnings::act, routes::warnings::ingest, routes::warnings::cap, routes::warnings::public_list,
        routes::warnings::feed, routes::warnings::public_regions,
        routes::warnings::response, routes::warnings::list_objects, routes::warnings::create_object, routes::warnings::get_object, routes::warnings::update_object,
        routes::warnings::list_orders, routes::warnings::answer, routes::warnings::effectiveness, routes::warnings::order_deliveries, routes::warnings::list_feeds, routes::warnings::create_feed, routes::warnings::update_feed, routes::warnings::poll_feed, routes::warnings::feed_entries,
        routes::duty::shifts, routes::duty::set_shift, routes::duty::log, routes::duty::add_log, routes::duty::daily,
        routes::attachments::upload, routes::attachments::upload_public, routes::attachments::download,
        routes::notifications::list, routes::notifications::read,
        routes::public::report, routes::public::track, routes::public::regions,
    ),
    components(schemas(
        crate::error::ErrorBody,
        ListResponse<yingji_store::directory::enterprises::Enterprise>,
        ListResponse<yingji_store::directory::regions::Region>,
        ListResponse<yingji_store::directory::departments::Department>,
        ListResponse<yingji_store::directory::users::User>,
        ListResponse<routes::audit::AuditEntry>,
        ListResponse<yingji_store::prevention::risk_points::RiskPoint>,
        ListResponse<yingji_store::prevention::hazards::Hazard>,
        ListResponse<yingji_store::prevention::major_hazards::MajorHazard>,
        ListResponse<yingji_store::monitoring::Sensor>,
        ListResponse<yingji_store::monitoring::Alarm>,
        ListResponse<routes::gateways::GatewayView>,
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

pub fn routes() -> Router<AppState> {
    let swagger: Router<AppState> = utoipa_swagger_ui::SwaggerUi::new("/api/docs")
        .url("/api/openapi.json", ApiDoc::openapi())
        .into();
    swagger
}
