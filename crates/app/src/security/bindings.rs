//! 账号绑定对象: the account keepers look up the enterprise or insurer an account is bound to
//! (三员分立: the 安全保密管理员 may not read those lists); each lookup is audited with what was
//! asked and how many rows were shown.

use yingji_core::kernel::role::{Role, Scope};
use yingji_core::security::bindings::{self as rules, BindingQuery};
use yingji_store::kernel::audit::{self, Change};
use yingji_store::security::bindings::{self, BindingTarget};
use yingji_store::{Actor, Store, StoreError, StoreResult};

/// At most `rules::LIMIT` targets of `query` inside the caller's account-management `scope`
/// (`role` must keep accounts), and the audit record of the lookup.
pub async fn look_up(
    store: &Store,
    now: i64,
    (role, actor): (Role, &Actor),
    scope: &Scope,
    query: &BindingQuery,
) -> StoreResult<Vec<BindingTarget>> {
    rules::may_look_up(role).map_err(|m| StoreError::Forbidden(m.to_string()))?;
    let found = bindings::search(store, scope, query).await?;
    let mut tx = store.begin().await?;
    let change = Change {
        action: rules::LOOKUP,
        entity_type: "user",
        entity_id: None,
        summary: rules::lookup_summary(query, found.len()),
        before: None,
        after: Some(serde_json::json!({
            "kind": query.kind.label(),
            "q": query.q,
            "ids": found.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        })),
    };
    audit::append(&mut tx, now, actor, change).await?;
    tx.commit().await?;
    Ok(found)
}
