//! security: the password and session policy, the second login factor.

pub mod factors;
pub mod keys;
pub mod policy;
pub mod sso;
