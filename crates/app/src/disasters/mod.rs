//! 防灾减灾救灾 (issue 23): use cases.

pub mod informants;
pub mod ledgers;
pub mod processes;
pub mod reports;
