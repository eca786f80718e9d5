//! 采集网关: registering a gateway and changing its secret or switching it, each in one
//! transaction with its audit record.

use yingji_core::kernel::role::{Role, Scope};
use yingji_core::monitoring::access::may_manage_gateways;
use yingji_core::monitoring::gateway::{GATEWAY_CHANGE_DENIED, GATEWAY_CREATE_DENIED};
use yingji_store::monitoring::gateways::{self, Gateway, GatewayChange, GatewayInput};
use yingji_store::{Actor, Store, StoreError, StoreResult};

/// 登记采集网关 with the digest of the secret the server generated.
pub async fn create(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    input: &GatewayInput,
    secret_hash: &str,
) -> StoreResult<Gateway> {
    if !may_manage_gateways(role) {
        return Err(StoreError::Forbidden(GATEWAY_CREATE_DENIED.into()));
    }
    let new = gateways::check_create(store, scope, input).await?;
    let mut tx = store.begin().await?;
    let id = gateways::create_in(&mut tx, actor, now_ms, new, secret_hash).await?;
    tx.commit().await?;
    gateways::get(store, scope, &id).await
}

/// A new secret (the old one stops working at once), or switching the gateway off and on.
pub async fn change(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    id: &str,
    change: GatewayChange<'_>,
) -> StoreResult<Gateway> {
    if !may_manage_gateways(role) {
        return Err(StoreError::Forbidden(GATEWAY_CHANGE_DENIED.into()));
    }
    let gw = gateways::get(store, scope, id).await?;
    let mut tx = store.begin().await?;
    gateways::change_in(&mut tx, actor, now_ms, &gw, change).await?;
    tx.commit().await?;
    gateways::get(store, scope, id).await
}
