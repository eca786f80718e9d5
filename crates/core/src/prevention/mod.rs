//! 双重预防: risk points and their banding, hidden hazards and their loop, major hazard sources, and
//! the district's configurable rules.

pub mod access;

pub mod hazard;
pub mod hazard_ladder;
pub mod major_hazard;
pub mod major_hazard_register;
pub mod risk;
pub mod risk_lists;
pub mod risk_point;
pub mod risk_rank;
pub mod rules;
