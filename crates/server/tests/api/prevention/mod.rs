//! Prevention: risk points and hazards.

mod hazards;
mod risk;
