//! 等保三级 and 国密 readiness (issue 26): docs/security.md.

mod admins;
mod audit_events;
