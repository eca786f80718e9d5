//! Routes per resource; each module holds its handlers and their OpenAPI annotations.

pub mod attachments;
pub mod audit;
pub mod channels;
pub mod departments;
pub mod duty;
pub mod enterprise_changes;
pub mod enterprises;
pub mod gateways;
pub mod hazards;
pub mod imports;
pub mod incidents;
pub mod map;
pub mod meta;
pub mod monitoring;
pub mod notifications;
pub mod public;
pub mod regions;
pub mod registers;
pub mod resources;
pub mod risk;
pub mod testing;
pub mod users;
pub mod warnings;

use crate::{AppState, auth};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};

pub fn api(import_limit: usize, attachment_limit: usize) -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(auth::login))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/auth/me", get(auth::me))
        .route("/api/v1/auth/password", post(auth::change_password))
        .route(
            "/api/v1/tokens",
            get(auth::list_tokens).post(auth::create_token),
        )
        .route("/api/v1/tokens/{id}", delete(auth::revoke_token))
        .route("/api/v1/meta", get(meta::meta))
        .route("/api/v1/regions", get(regions::list).post(regions::create))
        .route(
            "/api/v1/regions/{code}",
            get(regions::get)
                .put(regions::update)
                .delete(regions::delete),
        )
        .route("/api/v1/regions/{code}/boundary", get(regions::boundary))
        .route("/api/v1/map/regions", get(map::regions))
        .route("/api/v1/map/enterprises", get(map::enterprises))
        .route(
            "/api/v1/departments",
            get(departments::list).post(departments::create),
        )
        .route(
            "/api/v1/departments/{id}",
            get(departments::get).put(departments::update),
        )
        .route("/api/v1/users", get(users::list).post(users::create))
        .route("/api/v1/users/{id}", get(users::get).put(users::update))
        .route("/api/v1/users/{id}/password", post(users::reset_password))
        .route("/api/v1/users/{id}/unlock", post(users::unlock))
        .route(
            "/api/v1/enterprises",
            get(enterprises::list).post(enterprises::create),
        )
        .route("/api/v1/enterprises/export", get(enterprises::export))
        .route(
            "/api/v1/enterprises/import/template",
            get(enterprises::template),
        )
        .route(
            "/api/v1/enterprises/import",
            post(enterprises::import).layer(DefaultBodyLimit::max(import_limit)),
        )
        .route(
            "/api/v1/registers/{register}/import",
            post(registers::import).layer(DefaultBodyLimit::max(import_limit)),
        )
        .route(
            "/api/v1/registers/{register}/template",
            get(registers::template),
        )
        .route(
            "/api/v1/registers/{register}/{id}/active",
            put(registers::set_active),
        )
        .route(
            "/api/v1/enterprises/{id}",
            get(enterprises::get)
                .put(enterprises::update)
                .delete(enterprises::delete),
        )
        .route("/api/v1/risk-points", get(risk::list).post(risk::create))
        .route(
            "/api/v1/risk-points/{id}",
            get(risk::get).put(risk::update).delete(risk::delete),
        )
        .route("/api/v1/risk/assess", post(risk::preview))
        .route("/api/v1/risk/meta", get(risk::meta))
        .route("/api/v1/risk/regions", get(risk::regions))
        .route("/api/v1/enterprises/{id}/risk-lists", get(risk::risk_lists))
        .route("/api/v1/rules", get(risk::get_rules).put(risk::put_rules))
        .route(
            "/api/v1/major-hazards",
            get(monitoring::list).post(monitoring::create),
        )
        .route("/api/v1/major-hazards/identify", post(monitoring::preview))
        .route("/api/v1/major-hazards/tables", get(monitoring::tables))
        .route("/api/v1/major-hazards/{id}", get(monitoring::get))
        .route(
            "/api/v1/sensors",
            get(monitoring::list_sensors).post(monitoring::create_sensor),
        )
        .route(
            "/api/v1/sensors/{id}",
            get(monitoring::get_sensor).put(monitoring::update_sensor),
        )
        .route("/api/v1/sensors/{id}/trend", get(monitoring::sensor_trend))
        .route("/api/v1/readings", post(monitoring::ingest))
        .route(
            "/api/v1/gateways",
            get(gateways::list).post(gateways::create),
        )
        .route(
            "/api/v1/gateways/{id}",
            axum::routing::patch(gateways::update),
        )
        .route("/api/v1/gateways/{id}/secret", post(gateways::rotate))
        .route("/api/v1/ingest/stats", get(gateways::stats))
        .route("/api/v1/incidents/meta", get(incidents::meta))
        .route("/api/v1/incidents/assess", post(incidents::assess))
        .route("/api/v1/incidents/stats", get(incidents::stats))
        .route(
            "/api/v1/incidents/{id}/investigation",
            get(incidents::investigation).post(incidents::act_investigation),
        )
        .route(
            "/api/v1/incidents/{id}/followups",
            post(incidents::add_followup),
        )
        .route(
            "/api/v1/incidents/{id}/followups/{followup_id}/done",
            post(incidents::complete_followup),
        )
        .route(
            "/api/v1/incidents",
            get(incidents::list).post(incidents::create),
        )
        .route("/api/v1/incidents/{id}", get(incidents::get))
        .route("/api/v1/incidents/{id}/reports", post(incidents::report))
        .route(
            "/api/v1/incidents/{id}/escalations",
            post(incidents::escalate),
        )
        .route("/api/v1/incidents/{id}/close", post(incidents::close))
        .route(
            "/api/v1/incidents/{id}/response",
            get(incidents::response).post(incidents::decide),
        )
        .route(
            "/api/v1/incidents/{id}/plan-suggestions",
            get(incidents::suggestions),
        )
        .route(
            "/api/v1/incidents/{id}/tasks/{task_id}",
            post(incidents::update_task),
        )
        .route(
            "/api/v1/incidents/{id}/dispatches",
            get(resources::list_dispatches).post(resources::dispatch),
        )
        .route(
            "/api/v1/incidents/{id}/dispatches/{dispatch_id}/return",
            post(resources::return_back),
        )
        .route("/api/v1/resources/meta", get(resources::meta))
        .route("/api/v1/resources/search", get(resources::search))
        .route(
            "/api/v1/teams",
            get(resources::list_teams).post(resources::create_team),
        )
        .route(
            "/api/v1/teams/{id}",
            get(resources::get_team).put(resources::update_team),
        )
        .route(
            "/api/v1/experts",
            get(resources::list_experts).post(resources::create_expert),
        )
        .route(
            "/api/v1/experts/{id}",
            get(resources::get_expert).put(resources::update_expert),
        )
        .route(
            "/api/v1/warehouses",
            get(resources::list_warehouses).post(resources::create_warehouse),
        )
        .route(
            "/api/v1/warehouses/{id}",
            get(resources::get_warehouse).put(resources::update_warehouse),
        )
        .route(
            "/api/v1/stock",
            get(resources::list_stock).post(resources::create_stock),
        )
        .route(
            "/api/v1/stock/{id}",
            get(resources::get_stock).put(resources::update_stock),
        )
        .route(
            "/api/v1/stock/{id}/movements",
            get(resources::list_movements).post(resources::add_movement),
        )
        .route(
            "/api/v1/shelters",
            get(resources::list_shelters).post(resources::create_shelter),
        )
        .route(
            "/api/v1/shelters/{id}",
            get(resources::get_shelter).put(resources::update_shelter),
        )
        .route(
            "/api/v1/shelters/{id}/movements",
            post(resources::shelter_movement),
        )
        .route(
            "/api/v1/allocation-orders",
            get(resources::list_orders).post(resources::create_order),
        )
        .route("/api/v1/allocation-orders/{id}", get(resources::get_order))
        .route(
            "/api/v1/allocation-orders/{id}/actions",
            post(resources::act_order),
        )
        .route(
            "/api/v1/duty/shifts",
            get(duty::shifts).put(duty::set_shift),
        )
        .route("/api/v1/duty/log", get(duty::log).post(duty::add_log))
        .route("/api/v1/duty/daily", get(duty::daily))
        .route(
            "/api/v1/plans",
            get(incidents::list_plans).post(incidents::create_plan),
        )
        .route("/api/v1/plans/{id}", get(incidents::get_plan))
        .route("/api/v1/warnings/meta", get(warnings::meta))
        .route(
            "/api/v1/warnings",
            get(warnings::list).post(warnings::create),
        )
        .route(
            "/api/v1/warnings/cap",
            post(warnings::ingest).layer(DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .route("/api/v1/warnings/{id}", get(warnings::get))
        .route("/api/v1/warnings/{id}/actions", post(warnings::act))
        .route("/api/v1/warnings/{id}/response", get(warnings::response))
        .route(
            "/api/v1/warnings/effectiveness",
            get(warnings::effectiveness),
        )
        .route(
            "/api/v1/warning-feeds",
            get(warnings::list_feeds).post(warnings::create_feed),
        )
        .route("/api/v1/warning-feeds/{id}", put(warnings::update_feed))
        .route("/api/v1/warning-feeds/{id}/poll", post(warnings::poll_feed))
        .route(
            "/api/v1/warning-feeds/{id}/entries",
            get(warnings::feed_entries),
        )
        .route(
            "/api/v1/protected-objects",
            get(warnings::list_objects).post(warnings::create_object),
        )
        .route(
            "/api/v1/protected-objects/{id}",
            get(warnings::get_object).put(warnings::update_object),
        )
        .route("/api/v1/work-orders", get(warnings::list_orders))
        .route("/api/v1/work-orders/{id}/answer", post(warnings::answer))
        .route(
            "/api/v1/work-orders/{id}/deliveries",
            get(warnings::order_deliveries),
        )
        .route("/api/public/warnings", get(warnings::public_list))
        .route("/api/public/warnings/feed", get(warnings::feed))
        .route("/api/public/map/regions", get(warnings::public_regions))
        .route("/api/public/warnings/{id}/cap", get(warnings::cap))
        .route("/api/v1/alarms", get(monitoring::list_alarms))
        .route("/api/v1/alarms/stream", get(monitoring::alarm_stream))
        .route("/api/v1/alarms/analytics", get(monitoring::analytics))
        .route("/api/v1/alarms/{id}", get(monitoring::get_alarm))
        .route("/api/v1/alarms/{id}/actions", post(monitoring::act_alarm))
        .route(
            "/api/v1/alarms/{id}/hazard",
            post(monitoring::alarm_to_hazard),
        )
        .route("/api/v1/alarms/{id}/events", get(monitoring::alarm_events))
        .route("/api/v1/monitoring/status", get(monitoring::status))
        .route(
            "/api/v1/alarms/{id}/deliveries",
            get(channels::alarm_deliveries),
        )
        .route(
            "/api/v1/notify-channels",
            get(channels::list).post(channels::create),
        )
        .route(
            "/api/v1/notify-channels/{id}",
            get(channels::get).put(channels::update),
        )
        .route("/api/v1/notify-channels/{id}/test", post(channels::test))
        .route(
            "/api/v1/notify-channels/{id}/deliveries",
            get(channels::channel_deliveries),
        )
        .route("/api/v1/hazards", get(hazards::list).post(hazards::create))
        .route("/api/v1/hazards/stats", get(hazards::stats))
        .route("/api/v1/hazards/dashboard", get(hazards::dashboard))
        .route("/api/v1/hazards/export", get(hazards::export))
        .route("/api/v1/hazards/{id}", get(hazards::get))
        .route("/api/v1/hazards/{id}/actions/{action}", post(hazards::act))
        .route("/api/v1/hazard-criteria", get(hazards::list_criteria))
        .route(
            "/api/v1/hazard-criteria/{code}",
            axum::routing::put(hazards::update_criterion),
        )
        .route(
            "/api/v1/attachments",
            post(attachments::upload).layer(DefaultBodyLimit::max(attachment_limit)),
        )
        .route("/api/v1/attachments/{id}", get(attachments::download))
        .route("/api/v1/notifications", get(notifications::list))
        .route("/api/v1/notifications/{id}/read", post(notifications::read))
        .route("/api/v1/test/clock", post(testing::move_clock))
        .route("/api/public/hazard-reports", post(public::report))
        .route("/api/public/hazard-reports/{tracking}", get(public::track))
        .route("/api/public/regions", get(public::regions))
        .route(
            "/api/public/attachments",
            post(attachments::upload_public).layer(DefaultBodyLimit::max(attachment_limit)),
        )
        .route("/api/v1/audit", get(audit::list))
        .route("/api/v1/audit/verify", get(audit::verify))
        .route(
            "/api/v1/enterprises/{id}/changes",
            get(enterprise_changes::list),
        )
        .route(
            "/api/v1/enterprises/{id}/changes/{change_id}/actions",
            post(enterprise_changes::decide),
        )
}

/// `{items, total}`, the shape of every list.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ListResponse<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// A range of whole days (Asia/Shanghai) from `?from=YYYY-MM-DD&to=YYYY-MM-DD`, `to` inclusive:
/// by default the 30 days up to today, at most a year. Answers [start, end) in ms.
pub fn day_range(
    now_ms: i64,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(i64, i64), crate::error::ApiError> {
    use crate::error::ApiError;
    use yingji_core::kernel::clock::parse_instant;
    const DAY: i64 = 86_400_000;
    let day = |field: &'static str, v: &str| {
        let ok = v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-';
        ok.then(|| parse_instant(v).ok())
            .flatten()
            .ok_or_else(|| ApiError::field(field, "日期格式应为 YYYY-MM-DD"))
    };
    let today = yingji_core::kernel::clock::to_rfc3339(now_ms);
    let to = day("to", to.unwrap_or(&today[..10]))? + DAY;
    let from = match from {
        Some(f) => day("from", f)?,
        None => to - 30 * DAY,
    };
    if from >= to {
        return Err(ApiError::field("from", "开始日期不能晚于结束日期"));
    }
    if to - from > 366 * DAY {
        return Err(ApiError::field("from", "统计区间最长一年"));
    }
    Ok((from, to))
}
