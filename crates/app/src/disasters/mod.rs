//! 防灾减灾救灾 (issue 23): the use cases of each part.

pub mod evacuation;
pub mod flood;
pub mod orders;
