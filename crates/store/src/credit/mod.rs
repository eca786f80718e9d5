//! 企业主体责任与信用 (credit): rows and SQL of 一企一档, licences, 标准化, key people and the
//! other credit records, written in the caller's transaction.

pub mod adjustments;
pub mod claims;
pub mod commitments;
pub mod coverage;
pub mod disclosure;
pub mod dossier;
pub mod duty_reports;
pub mod facts;
pub mod insurance;
pub mod key_people;
pub mod licences;
pub mod listing_criteria;
pub mod listings;
pub mod objections;
pub mod post_cards;
pub mod prevention_services;
pub mod rating;
pub mod scheme;
pub mod standardisation;
pub mod supervisors;
