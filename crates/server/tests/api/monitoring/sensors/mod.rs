//! 重大危险源 and their sensors: registration with S, R and the level computed exactly (GB 18218
//! vectors), refusals that name their field, and scoping; readings, alarms and the 叫应 chain,
//! district rules, trends. This module holds the reading helper the scenarios share.

mod alarms;
mod partitions;
mod register;
mod rules;
mod trends;

use serde_json::{Value, json};

fn reading(sensor: &str, at_ms: i64, value: Value) -> Value {
    json!({"sensor": sensor, "ts": at_ms, "value": value})
}

/// Retention as the rollup job does it (PostgreSQL: partitions past retention dropped, then the
/// default partitions pruned; SQLite: pruned); returns the (readings, rollups) gone.
async fn retire(
    app: &crate::helpers::TestApp,
    now_ms: i64,
    keep: yingji_core::monitoring::trend::Retention,
) -> (i64, i64) {
    use yingji_store::{
        Sql,
        monitoring::{partitions, trends},
    };
    let count = |table: &str| {
        let q = Sql::new(&format!("SELECT COUNT(*) FROM {table}"));
        async move { app.store.fetch_i64(q).await.expect("count") }
    };
    let before = (count("readings").await, count("reading_rollups").await);
    partitions::upkeep(&app.store, now_ms, keep)
        .await
        .expect("upkeep");
    trends::prune(&app.store, now_ms, keep)
        .await
        .expect("prune");
    (
        before.0 - count("readings").await,
        before.1 - count("reading_rollups").await,
    )
}
