//! Directory: regions, enterprises (and their import and 统一社会信用代码), logins and tokens.

pub mod access;
pub mod department;
pub mod enterprise;
pub mod enterprise_change;
pub mod enterprise_wording;
pub mod import;
pub mod login;
pub mod map_layers;
pub mod region;
pub mod token;
pub mod uscc;
pub mod user;
