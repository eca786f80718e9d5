pub mod audit_forwarding;
pub mod audit_retention;
