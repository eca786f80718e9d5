//! Pure domain logic of yingji. Nothing here touches the network, the disk or the wall clock
//! directly: time comes through [`clock::Clock`], randomness through an explicit seed.

pub mod alarm;
pub mod alarm_hazard;
pub mod alarm_stats;
pub mod attachment;
pub mod audit;
pub mod clock;
pub mod demo;
pub mod enterprise;
pub mod geo;
pub mod hazard;
pub mod import;
pub mod incident;
pub mod investigation;
pub mod login;
pub mod major_hazard;
pub mod notify;
pub mod plan;
pub mod region;
pub mod register;
pub mod resource;
pub mod risk;
pub mod role;
pub mod rules;
pub mod secret;
pub mod target;
pub mod token;
pub mod trend;
pub mod uscc;
pub mod validation;
pub mod warning;

pub use validation::{FieldError, Invalid};
