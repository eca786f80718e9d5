//! security: the password and session policy, the second login factor.

pub mod factors;
pub mod policy;
pub mod sso;
pub mod keys;
