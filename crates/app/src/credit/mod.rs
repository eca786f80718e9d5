//! 企业主体责任与信用: the use cases of the credit capability.

pub mod adjustments;
pub mod objections;
pub mod rating;
pub mod scheme;
