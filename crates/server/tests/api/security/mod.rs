//! security: 等保三级 and 国密 readiness (issue 26).

mod sso;
