//! security: the district's password and session policy, the second login factor.

pub mod factor;
pub mod policy;
pub mod retention;
pub mod sso;
pub mod syslog;
pub mod totp;
