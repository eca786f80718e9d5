//! 企业主体责任与信用 (issue 22): the use cases of the credit capability, each write in one
//! transaction with its audit record.

pub mod claims;
pub mod coverage;
pub mod insurance;
pub mod prevention_services;
