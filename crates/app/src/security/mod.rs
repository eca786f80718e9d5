//! 等保 and 国密 (issue 26): the use cases of the security capability.

pub mod keys;
