//! API types of response: request and response shapes with their OpenAPI schemas (ADR 0021).

pub mod dispatches;
pub mod duty;
pub mod incidents;
pub mod investigations;
pub mod plans;
