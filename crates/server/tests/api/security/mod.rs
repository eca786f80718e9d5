//! 等保 and 国密 (issue 26) through the API.

mod crypto;
