//! 企业主体责任与信用: rows and SQL of the credit capability.

pub mod adjustments;
pub mod facts;
pub mod objections;
pub mod rating;
pub mod scheme;
