//! Prevention: risk points and hazards.

mod hazard_report;
pub(crate) mod hazards;
mod risk;
