//! 等保三级 (GB/T 22239-2019) and 国密 readiness: the domain decisions of the `security`
//! capability (docs/security.md): 三员分立, the district's password and session policy, the
//! second login factor, single sign-on, audit retention and forwarding. Shared mechanisms stay
//! in `kernel`.

pub mod admins;
pub mod audit_events;
pub mod bindings;
pub mod factor;
pub mod policy;
pub mod retention;
pub mod sso;
pub mod syslog;
pub mod totp;
