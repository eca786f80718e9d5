//! directory: departments, regions, enterprises, users and their sessions and tokens.

pub mod departments;
pub mod enterprise_changes;
pub mod regions;
pub mod tokens;
