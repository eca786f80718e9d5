//! 防灾减灾救灾 (issue 23).

pub mod informants;
pub mod ledgers;
pub mod processes;
pub mod reports;
pub mod reports_figures;
pub mod reports_rules;
#[cfg(test)]
mod reports_tests;
