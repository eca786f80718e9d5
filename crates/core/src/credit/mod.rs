//! 企业主体责任与信用 (issue 22): 一企一档, licences, commitments, the credit rating, the
//! 严重失信主体名单 and 安责险.

pub mod admission;
pub mod commitments;
