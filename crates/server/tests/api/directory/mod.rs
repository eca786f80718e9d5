//! Directory: sign-in and tokens, regions, enterprises, imports and exports.

mod auth;
mod enterprises;
mod import_export;
mod map_layers;
mod regions;
