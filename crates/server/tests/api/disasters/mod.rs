//! 防灾减灾救灾 (issue 23).

mod ledgers;
mod reports;
mod reports_response;
