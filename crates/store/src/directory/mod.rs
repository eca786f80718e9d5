//! directory

pub mod departments;
pub mod enterprise_changes;
pub mod enterprises;
pub mod logins;
pub mod regions;
pub mod sessions;
pub mod tokens;
pub mod users;
pub mod workbench;
