//! 企业主体责任与信用 (credit): the 严重失信主体名单 of 应急管理部令第11号 and public disclosure.

pub mod disclosure;
pub mod listing_criteria;
pub mod listings;
