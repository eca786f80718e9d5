//! 通知渠道: registering and changing a channel and queueing its test message, each in one
//! transaction with its audit record.

use yingji_core::kernel::role::{Role, Scope};
use yingji_core::monitoring::access::may_manage_channels;
use yingji_core::monitoring::channel::{
    CHANNEL_CREATE_DENIED, CHANNEL_MANAGE_DENIED, HOTLINE_CHANNEL_DENIED, may_register_kind,
};
use yingji_store::monitoring::channels::{self, Channel, ChannelInput};
use yingji_store::{Actor, Store, StoreError, StoreResult};

fn forbid_unless_manager(role: Role, denied: &str) -> StoreResult<()> {
    if may_manage_channels(role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(denied.into()))
    }
}

/// 登记通知渠道 for an enterprise, a department, or a street's or district's duty group.
pub async fn create(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    input: &ChannelInput,
) -> StoreResult<Channel> {
    forbid_unless_manager(role, CHANNEL_CREATE_DENIED)?;
    let new = channels::check_create(store, scope, role, input).await?;
    let mut tx = store.begin().await?;
    let id = channels::create_in(&mut tx, actor, now_ms, input, new).await?;
    tx.commit().await?;
    channels::get(store, scope, &id).await
}

/// Changes name, address, secret and on/off; the owner stays.
pub async fn update(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    id: &str,
    input: &ChannelInput,
) -> StoreResult<Channel> {
    forbid_unless_manager(role, CHANNEL_MANAGE_DENIED)?;
    // The hotline connection stays the administrator's.
    let current = channels::get(store, scope, id).await?;
    let wanted =
        yingji_core::kernel::notify::ChannelKind::parse(&input.kind).unwrap_or(current.kind);
    if !may_register_kind(role, current.kind) || !may_register_kind(role, wanted) {
        return Err(StoreError::Forbidden(HOTLINE_CHANNEL_DENIED.into()));
    }
    let change = channels::check_update(store, scope, id, input).await?;
    let mut tx = store.begin().await?;
    channels::update_in(&mut tx, actor, now_ms, id, input, change).await?;
    tx.commit().await?;
    channels::get(store, scope, id).await
}

/// Queues a test message to a channel, so its owner can see it arrive (or why it did not).
pub async fn send_test(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    id: &str,
) -> StoreResult<String> {
    forbid_unless_manager(role, CHANNEL_MANAGE_DENIED)?;
    let c = channels::get(store, scope, id).await?;
    let mut tx = store.begin().await?;
    let delivery = channels::send_test_in(&mut tx, actor, now_ms, &c).await?;
    tx.commit().await?;
    Ok(delivery)
}
