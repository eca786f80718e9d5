//! security: 三员分立 access logs, the password and session policy, the second login factor,
//! single sign-on, the key ring (docs/security.md).

pub mod access_log;
pub mod bindings;
pub mod factors;
pub mod keys;
pub mod policy;
pub mod sso;
