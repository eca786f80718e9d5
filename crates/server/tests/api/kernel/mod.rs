//! What every capability shares: audit, notifications, the OpenAPI contract, bad input, and the scope matrix over every role.

pub mod attachments;
mod audit;
mod bad_input;
mod basemap;
mod datum;
mod demo_data;
mod edge;
pub mod exports;
mod house;
mod leases;
mod nodes;
pub(crate) mod notify;
mod openapi;
mod scope;
pub mod scope_matrix;
mod scope_matrix_ops;
mod scope_writes;
