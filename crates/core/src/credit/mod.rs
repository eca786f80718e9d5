//! 企业主体责任与信用 (credit): 一企一档, licences, 标准化, key people, commitments, the credit
//! rating, the 严重失信主体名单 and 安责险. Rules, checks and wording, pure.

pub mod admission;
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
pub mod post_cards;
pub mod prevention_services;
pub mod rating;
pub mod scheme;
pub mod standardisation;
