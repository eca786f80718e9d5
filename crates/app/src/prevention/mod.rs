//! prevention: hazards, risk points, major hazard sources, grading criteria, district rules.

pub mod criteria;
pub mod hazards;
pub mod major_hazards;
pub mod risk_points;
pub mod rules;
