//! Pure domain logic of yingji. Nothing here touches the network, the disk or the wall clock
//! directly: time comes through [`kernel::clock::Clock`], randomness through an explicit seed.
//!
//! One folder per capability (directory, prevention, monitoring, warning, response, resources),
//! the same names as in the store, the server's routes, the console and the docs; what two
//! capabilities share is in `kernel`.

pub mod credit;
pub mod directory;
pub mod disasters;
pub mod enforcement;
pub mod grid;
pub mod kernel;
pub mod monitoring;
pub mod patrols;
pub mod prevention;
pub mod resources;
pub mod response;
pub mod security;
pub mod warning;
pub mod workbench;

pub use kernel::validation::{FieldError, Invalid};
