//! 企业主体责任与信用 (credit): the use cases of 一企一档, licences, 标准化 and key people.

pub mod dossier;
pub mod key_people;
pub mod licences;
pub mod commitments;
pub mod adjustments;
pub mod objections;
pub mod rating;
pub mod scheme;
