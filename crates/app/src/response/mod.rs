//! response: incidents, plans, investigations, duty, dispatches.

pub mod investigations;
