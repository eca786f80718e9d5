//! 企业主体责任与信用 through the API.

mod rating;
mod scheme;
