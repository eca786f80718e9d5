//! 企业主体责任与信用 (credit): rows and SQL of the 严重失信主体名单 and the public disclosure.

pub mod disclosure;
pub mod listing_criteria;
pub mod listings;
