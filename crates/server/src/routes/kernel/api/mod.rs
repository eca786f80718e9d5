//! API types of kernel: request and response shapes with their OpenAPI schemas (ADR 0021).

pub mod attachments;
pub mod audit;
pub mod basemap;
pub mod datum;
pub mod idempotency;
pub mod notifications;
pub mod outbox;
