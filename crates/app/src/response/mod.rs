//! response: incidents, plans, investigations, duty, dispatches.

pub mod duty;
pub mod investigations;
