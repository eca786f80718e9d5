//! 企业主体责任与信用: the credit scheme (tiers and rules), the pure rating engine and its facts.

pub mod facts;
pub mod rating;
pub mod scheme;
