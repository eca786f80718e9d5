//! 监测点: registering and editing a sensor, each in one transaction with its audit record.

use yingji_core::kernel::role::{Role, Scope};
use yingji_store::monitoring::{self, Sensor, SensorInput, Who};
use yingji_store::{Actor, Store, StoreResult};

/// 登记监测点.
pub async fn create_sensor(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    input: &SensorInput,
) -> StoreResult<Sensor> {
    let mut tx = store.begin().await?;
    let who = Who { actor, scope, role };
    let id = monitoring::save_sensor(&mut tx, store, who, now_ms, None, input).await?;
    tx.commit().await?;
    monitoring::get_sensor(store, scope, &id).await
}

/// Edits a sensor's definition. Its code (what gateways send) stays; every node's ingest writer
/// reads the new definition at its next commit.
pub async fn update_sensor(
    store: &Store,
    who: Who<'_>,
    now_ms: i64,
    id: &str,
    input: &SensorInput,
) -> StoreResult<Sensor> {
    let mut tx = store.begin().await?;
    monitoring::save_sensor(&mut tx, store, who, now_ms, Some(id), input).await?;
    tx.commit().await?;
    monitoring::get_sensor(store, who.scope, id).await
}
