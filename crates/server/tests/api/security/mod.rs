//! security (issue 26): 等保 三级 and 国密 readiness.

mod audit;
mod formulas;
mod headers;
mod uploads;
