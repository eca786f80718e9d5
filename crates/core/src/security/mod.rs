//! 等保三级 (GB/T 22239-2019) and 国密 readiness: the domain decisions of the `security`
//! capability (docs/security.md). Shared mechanisms stay in `kernel`.

pub mod admins;
pub mod audit_events;
