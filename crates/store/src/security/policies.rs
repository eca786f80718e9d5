//! The district's password and session policy, versioned: every change is a new row, the
//! highest version applies; no row means the 等保 defaults.

use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreResult, Tx};
use sqlx::Row;
use yingji_core::security::policy::{self as rules, Policy};

/// A stored version of the policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned {
    /// 0: never changed (the defaults).
    pub version: i64,
    pub policy: Policy,
    pub created_ms: Option<i64>,
    pub created_by: Option<String>,
}

fn from_row(row: Option<sqlx::any::AnyRow>) -> StoreResult<Versioned> {
    let Some(r) = row else {
        return Ok(Versioned {
            version: 0,
            policy: Policy::default(),
            created_ms: None,
            created_by: None,
        });
    };
    let text: String = r.try_get("policy")?;
    Ok(Versioned {
        version: r.try_get("version")?,
        // A policy written by a newer build with fields this one does not know: the defaults
        // for what cannot be read, never a weaker policy.
        policy: serde_json::from_str(&text).unwrap_or_default(),
        created_ms: Some(r.try_get("created_ms")?),
        created_by: r.try_get("created_by")?,
    })
}

const CURRENT: &str = "SELECT version, policy, created_ms, created_by FROM security_policies ORDER BY version DESC LIMIT 1";

/// The policy in force.
pub async fn current(store: &Store) -> StoreResult<Versioned> {
    from_row(store.fetch_optional(Sql::new(CURRENT)).await?)
}

/// Saves `policy` (checked by the caller) as the next version, with the audit record; answers
/// the version.
pub async fn save_in(tx: &mut Tx, now: i64, actor: &Actor, policy: &Policy) -> StoreResult<i64> {
    let before = from_row(Sql::new(CURRENT).fetch_optional(tx).await?)?;
    let version = before.version + 1;
    let mut q =
        Sql::new("INSERT INTO security_policies (version, policy, created_ms, created_by) VALUES ");
    q.values(vec![
        version.into(),
        serde_json::to_string(policy).unwrap_or_default().into(),
        now.into(),
        actor.name.as_str().into(),
    ]);
    q.execute(tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "security.policy",
            entity_type: "security_policy",
            entity_id: Some(&version.to_string()),
            summary: rules::changed_summary(version),
            before: Some(serde_json::to_value(&before.policy).unwrap_or_default()),
            after: Some(serde_json::to_value(policy).unwrap_or_default()),
        },
    )
    .await?;
    Ok(version)
}
