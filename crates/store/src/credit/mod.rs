//! 企业主体责任与信用 (issue 22): rows and SQL.

pub mod commitments;
