//! security: the district's password and session policy, the second login factor.

pub mod factor;
pub mod policy;
pub mod totp;
pub mod retention;
pub mod syslog;
pub mod sso;
