//! 防灾减灾救灾 (issue 23): rows and SQL, written in the caller's transaction.

pub mod informants;
pub mod ledgers;
pub mod processes;
pub mod reports;
pub mod reports_due;
pub mod reports_settings;
