//! 预警信息: the use cases of the warning capability.

pub mod feeds;
