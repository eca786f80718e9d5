//! The application layer (ADR 0020): use cases. A use case checks its input with core's pure
//! functions, reads what it needs, begins the transaction, calls the store's `*_in(tx, …)`
//! writes of every capability it touches and commits, so that what it writes is committed
//! together or not at all. Routes call use cases; use cases never speak HTTP or SQL.
//!
//! One folder per capability, as in the other layers. Use cases move here capability by
//! capability from the store functions that still begin their own transactions.

pub mod credit;
pub mod directory;
pub mod disasters;
pub mod enforcement;
pub mod grid;
pub mod monitoring;
pub mod patrols;
pub mod prevention;
pub mod resources;
pub mod response;
pub mod security;
pub mod warning;
pub mod workbench;
