//! warning: its routes, each registered once with its OpenAPI operation.

pub mod api;
pub mod exports;
pub mod feeds;
pub mod targeting;
pub mod warnings;

use crate::AppState;
use crate::routes::Limits;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(warnings::meta))
        .routes(routes!(exports::warnings))
        .routes(routes!(exports::effectiveness))
        .routes(routes!(exports::work_orders))
        .routes(routes!(warnings::list, warnings::create))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(warnings::ingest))
                .layer(DefaultBodyLimit::max(4 * 1024 * 1024)),
        )
        .routes(routes!(warnings::get))
        .routes(routes!(warnings::act))
        .routes(routes!(targeting::response))
        .routes(routes!(targeting::effectiveness))
        .routes(routes!(feeds::list_feeds, feeds::create_feed))
        .routes(routes!(feeds::update_feed))
        .routes(routes!(feeds::poll_feed))
        .routes(routes!(feeds::feed_entries))
        .routes(routes!(targeting::list_objects, targeting::create_object))
        .routes(routes!(targeting::get_object, targeting::update_object))
        .routes(routes!(targeting::list_orders))
        .routes(routes!(targeting::get_order))
        .routes(routes!(targeting::answer))
        .routes(routes!(targeting::order_deliveries))
        .routes(routes!(warnings::public_list))
        .routes(routes!(warnings::feed))
        .routes(routes!(warnings::public_regions))
        .routes(routes!(warnings::cap))
}
