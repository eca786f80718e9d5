//! directory: its routes, each registered once with its OpenAPI operation.

pub mod api;
pub mod departments;
pub mod enterprise_changes;
pub mod enterprises;
pub mod map;
pub mod map_layers;
pub mod regions;
pub mod users;

use crate::AppState;
use crate::routes::Limits;
use axum::extract::DefaultBodyLimit;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(crate::auth::login))
        .routes(routes!(crate::auth::logout))
        .routes(routes!(crate::auth::me))
        .routes(routes!(crate::auth::change_password))
        .routes(routes!(crate::auth::list_tokens, crate::auth::create_token))
        .routes(routes!(crate::auth::revoke_token))
        .routes(routes!(regions::list, regions::create))
        .routes(routes!(regions::get, regions::update, regions::delete))
        .routes(routes!(regions::boundary))
        .routes(routes!(map::regions))
        .routes(routes!(map::enterprises))
        .routes(routes!(map_layers::list))
        .routes(routes!(map_layers::features))
        .routes(routes!(departments::list, departments::create))
        .routes(routes!(departments::get, departments::update))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::get, users::update))
        .routes(routes!(users::reset_password))
        .routes(routes!(users::unlock))
        .routes(routes!(enterprises::list, enterprises::create))
        .routes(routes!(enterprises::export))
        .routes(routes!(enterprises::template))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(enterprises::import))
                .layer(DefaultBodyLimit::max(limits.import)),
        )
        .routes(routes!(
            enterprises::get,
            enterprises::update,
            enterprises::delete
        ))
        .routes(routes!(enterprise_changes::list))
        .routes(routes!(enterprise_changes::decide))
}
