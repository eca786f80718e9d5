//! 等保三级 use cases of the `security` capability (docs/security.md).

pub mod access_log;
