//! 企业主体责任与信用 (issue 22) through the API.

mod coverage;
mod insurance;
