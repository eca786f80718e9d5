//! 防灾减灾救灾 (natural disasters) through the API.

mod forest;
mod forest_fire;
