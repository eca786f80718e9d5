//! 预警信息: the use cases of the warning capability.

mod cap;
pub mod feeds;
pub mod ingest;
pub mod publish;
pub mod targeting;
