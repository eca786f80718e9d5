//! 重大危险源 and their sensors: registration with S, R and the level computed exactly (GB 18218
//! vectors), refusals that name their field, and scoping; readings, alarms and the 叫应 chain,
//! district rules, trends. This module holds the reading helper the scenarios share.

mod alarms;
mod register;
mod rules;
mod trends;

use serde_json::{Value, json};

fn reading(sensor: &str, at_ms: i64, value: Value) -> Value {
    json!({"sensor": sensor, "ts": at_ms, "value": value})
}
