//! The one API integration-test binary (one binary links once; each module is a capability, as in the other layers).
//! Every scenario runs on SQLite, and on PostgreSQL too when YINGJI_TEST_PG_URL is set.

// A test binary: its scenarios are plain async fns that `both!` wraps in tests, which clippy's
// allow-unwrap-in-tests cannot see, so the workspace's unwrap_used lint is off here.
#![allow(clippy::unwrap_used)]

mod contract;
mod helpers;

mod credit;
mod directory;
mod disasters;
mod enforcement;
mod grid;
mod kernel;
mod monitoring;
mod patrols;
mod prevention;
mod resources;
mod response;
mod security;
mod warning;
mod workbench;
