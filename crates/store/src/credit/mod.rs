//! 企业主体责任与信用 (issue 22): rows and SQL of the credit capability.

pub mod claims;
pub mod coverage;
pub mod insurance;
pub mod prevention_services;
