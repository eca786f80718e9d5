//! 企业主体责任与信用 (issue 22): the enterprise's record as a whole, its commitments, its credit
//! rating, the 严重失信主体名单 and 安全生产责任保险.

pub mod claims;
pub mod coverage;
pub mod insurance;
pub mod prevention_services;
