//! security: the district's password and session policy, password history, last login, the
//! second factor.

pub mod audit_forwarding;
pub mod audit_retention;
pub mod bindings;
pub mod factors;
pub mod passwords;
pub mod pending;
pub mod policies;
pub mod sso;
