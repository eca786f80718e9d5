//! Response: incidents graded by the regulations, plans, and investigations.

pub mod access;
pub mod dispatch;
pub mod duty;

pub mod incident;
pub mod investigation;
pub mod plan;
pub mod plans;
pub mod reports;
