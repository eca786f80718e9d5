//! 12345/12350 热线: the district's hotline connection (a notification channel of kind
//! `hotline`: its address is the answer callback, its secret signs both ways and is never
//! answered through the API), the order numbers already received, and the answer queued back
//! to the platform through the outbox.

use crate::kernel::outbox::{self, Destination};
use crate::{Sql, Store, StoreResult, Tx};
use sqlx::Row;
use yingji_core::kernel::notify::{ChannelKind, Message};

/// The district's hotline connection: (channel id, name, secret).
pub type Connection = (String, String, Option<String>);

fn connection_query(district: &str) -> Sql {
    let mut q = Sql::new(
        "SELECT id, name, secret FROM notify_channels WHERE kind = 'hotline' AND active = 1 AND enterprise_id IS NULL AND department_id IS NULL AND region_code = ",
    );
    q.bind(district).push(" ORDER BY created_ms, id LIMIT 1");
    q
}

fn connection_of(r: &sqlx::any::AnyRow) -> StoreResult<Connection> {
    Ok((r.try_get("id")?, r.try_get("name")?, r.try_get("secret")?))
}

/// The active hotline connection registered for the district (its own code, not a street's).
pub async fn connection(store: &Store, district: &str) -> StoreResult<Option<Connection>> {
    store
        .fetch_optional(connection_query(district))
        .await?
        .as_ref()
        .map(connection_of)
        .transpose()
}

/// The event code of an order already received from this platform.
pub async fn known(store: &Store, platform: &str, order_no: &str) -> StoreResult<Option<String>> {
    store
        .fetch_optional(known_query(platform, order_no))
        .await?
        .map(|r| Ok(r.try_get("code")?))
        .transpose()
}

/// [`known`] inside the caller's transaction.
pub async fn known_in(tx: &mut Tx, platform: &str, order_no: &str) -> StoreResult<Option<String>> {
    known_query(platform, order_no)
        .fetch_optional(tx)
        .await?
        .map(|r| Ok(r.try_get("code")?))
        .transpose()
}

fn known_query(platform: &str, order_no: &str) -> Sql {
    let mut q = Sql::new("SELECT code FROM grid_events WHERE external_source = ");
    q.bind(platform).push_bind(" AND external_no = ", order_no);
    q
}

/// Queues the answer to the district's hotline connection, in the caller's transaction;
/// `false` when the district has none (nothing to push to).
pub async fn push_answer_in(
    tx: &mut Tx,
    now_ms: i64,
    district: &str,
    msg: &Message,
) -> StoreResult<bool> {
    let Some(r) = connection_query(district).fetch_optional(tx).await? else {
        return Ok(false);
    };
    let (id, name, _) = connection_of(&r)?;
    let to = Destination::Channel {
        id: &id,
        kind: ChannelKind::Hotline,
        name: &name,
    };
    outbox::enqueue(tx, now_ms, to, msg).await?;
    Ok(true)
}
