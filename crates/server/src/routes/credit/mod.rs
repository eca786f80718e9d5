//! 企业主体责任与信用 (credit): 一企一档, licences, 标准化, key people, and the other parts of
//! issue 22, one router merging each part's routes.

mod adjustments;
pub mod api;
mod claims;
mod commitments;
mod coverage;
pub mod disclosure;
mod dossier;
mod duty_reports;
mod insurance;
mod key_people;
mod licences;
pub mod listing_criteria;
pub mod listings;
mod objections;
mod post_cards;
mod prevention_services;
mod rating;
mod scheme;

use crate::AppState;
use crate::routes::Limits;
use utoipa_axum::router::OpenApiRouter;

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(dossier::router())
        .merge(licences::router())
        .merge(key_people::router())
        .merge(commitments::router())
        .merge(scheme::router())
        .merge(rating::router())
        .merge(adjustments::router())
        .merge(objections::router())
        .merge(listings::router())
        .merge(listing_criteria::router())
        .merge(disclosure::router())
        .merge(insurance::router())
        .merge(claims::router())
        .merge(prevention_services::router())
        .merge(coverage::router())
        .merge(duty_reports::router())
        .merge(post_cards::router())
}
