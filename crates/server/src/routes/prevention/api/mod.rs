//! API types of prevention: request and response shapes with their OpenAPI schemas (ADR 0021).

pub mod criteria;
pub mod hazard_report;
pub mod hazards;
pub mod major_hazards;
pub mod risk_points;
pub mod rules;
