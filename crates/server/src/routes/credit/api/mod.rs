//! The credit capability's request and response types (ADR 0021), one file per store module.

pub mod dossier;
pub mod licences;
