//! Prevention: risk points and hazards.

mod hazard_report;
mod hazards;
mod risk;
