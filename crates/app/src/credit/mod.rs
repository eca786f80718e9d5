//! 企业主体责任与信用 (issue 22): use cases, each write in one transaction with its audit record.

pub mod commitments;
