//! The one API integration-test binary (one binary links once; each module is a resource).
//! Every scenario runs on SQLite, and on PostgreSQL too when YINGJI_TEST_PG_URL is set.

// A test binary: its scenarios are plain async fns that `both!` wraps in tests, which clippy's
// allow-unwrap-in-tests cannot see, so the workspace's unwrap_used lint is off here.
#![allow(clippy::unwrap_used)]

mod contract;
mod helpers;

mod audit;
mod auth;
mod bad_input;
mod enterprises;
mod hazards;
mod import_export;
mod incidents;
mod monitoring;
mod mqtt;
mod notify;
mod openapi;
mod regions;
mod registers;
mod resources;
mod risk;
mod scope;
mod scope_matrix;
mod scope_matrix_ops;
mod scope_writes;
mod warnings;
