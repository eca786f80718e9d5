//! 企业主体责任与信用 (credit): rows and SQL of 一企一档, licences, 标准化, key people and the
//! other credit records, written in the caller's transaction.

pub mod dossier;
pub mod key_people;
pub mod licences;
pub mod standardisation;
pub mod commitments;
pub mod adjustments;
pub mod facts;
pub mod objections;
pub mod rating;
pub mod scheme;
pub mod disclosure;
pub mod listing_criteria;
pub mod listings;
pub mod claims;
pub mod coverage;
pub mod insurance;
pub mod prevention_services;
pub mod duty_reports;
pub mod post_cards;
