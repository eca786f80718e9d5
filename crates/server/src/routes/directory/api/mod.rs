//! API types of directory: request and response shapes with their OpenAPI schemas (ADR 0021).

pub mod departments;
pub mod enterprise_changes;
pub mod enterprises;
pub mod map_layers;
pub mod regions;
pub mod tokens;
pub mod users;
