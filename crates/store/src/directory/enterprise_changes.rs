//! Changes an enterprise proposes to the fields its supervising department owns (行业、监管类别、
//! 规模、重点监管标识、经营状态). They wait as `pending` until a department or administrator whose
//! scope covers the enterprise, before and after the change, confirms (the fields are written)
//! or rejects them; a newer proposal supersedes a pending one. Every step is audited.

use crate::directory::enterprises;
use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::access::{Proposal, covers_enterprise};
use yingji_core::directory::enterprise::Supervised;
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone, Serialize)]
pub struct EnterpriseChange {
    pub id: String,
    pub enterprise_id: String,
    /// pending / confirmed / rejected / superseded
    pub status: String,
    pub status_label: String,
    pub proposed: Supervised,
    pub current: Supervised,
    /// The Chinese names of the fields it changes.
    pub fields: Vec<String>,
    pub proposed_by: String,
    pub proposed_ms: i64,
    pub decided_by: Option<String>,
    pub decided_ms: Option<i64>,
    pub note: Option<String>,
}

pub use yingji_core::directory::enterprise_change::DecisionInput;
use yingji_core::directory::enterprise_change::{self as rules, status_label};

fn from_row(r: &AnyRow) -> StoreResult<EnterpriseChange> {
    let parse = |col: &str| -> StoreResult<Supervised> {
        let raw: String = r.try_get(col)?;
        serde_json::from_str(&raw).map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))
    };
    let proposed = parse("proposed")?;
    let current = parse("current")?;
    let status: String = r.try_get("status")?;
    Ok(EnterpriseChange {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        status_label: status_label(&status).into(),
        status,
        fields: current
            .changed(&proposed)
            .into_iter()
            .map(str::to_string)
            .collect(),
        proposed,
        current,
        proposed_by: r.try_get("proposed_by")?,
        proposed_ms: r.try_get("proposed_ms")?,
        decided_by: r.try_get("decided_by")?,
        decided_ms: r.try_get("decided_ms")?,
        note: r.try_get("note")?,
    })
}

/// Records the enterprise's proposal (it supersedes a pending one) and its audit record; the
/// enterprise's own update writes it in the same transaction.
pub async fn propose_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    enterprise: &enterprises::Enterprise,
    proposal: &Proposal,
) -> StoreResult<()> {
    let (current, proposed) = (&proposal.current, &proposal.proposed);
    let mut sup = Sql::new("UPDATE enterprise_changes SET status = 'superseded', decided_ms = ");
    sup.bind(now)
        .push_bind(" WHERE enterprise_id = ", enterprise.id.as_str())
        .push(" AND status = 'pending'");
    sup.execute(&mut *tx).await?;
    let id = new_id();
    let mut ins = Sql::new(
        "INSERT INTO enterprise_changes (id, enterprise_id, status, proposed, current, proposed_by, proposed_ms) VALUES ",
    );
    ins.values(vec![
        id.as_str().into(),
        enterprise.id.as_str().into(),
        "pending".into(),
        serde_json::to_string(proposed).unwrap_or_default().into(),
        serde_json::to_string(current).unwrap_or_default().into(),
        actor.name.as_str().into(),
        now.into(),
    ]);
    ins.execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "propose",
            entity_type: "enterprise",
            entity_id: Some(&enterprise.id),
            summary: rules::proposed_summary(&enterprise.name, &current.changed(proposed)),
            before: Some(serde_json::to_value(current).unwrap_or_default()),
            after: Some(serde_json::to_value(proposed).unwrap_or_default()),
        },
    )
    .await?;
    Ok(())
}

/// The enterprise's proposals, newest first (whoever sees the enterprise sees them).
pub async fn list(
    store: &Store,
    scope: &Scope,
    enterprise_id: &str,
) -> StoreResult<Vec<EnterpriseChange>> {
    enterprises::get(store, scope, enterprise_id).await?;
    let mut q = Sql::new("SELECT * FROM enterprise_changes WHERE enterprise_id = ");
    q.bind(enterprise_id)
        .push(" ORDER BY proposed_ms DESC LIMIT 50");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// The pending proposal, if any.
pub async fn pending(store: &Store, enterprise_id: &str) -> StoreResult<Option<EnterpriseChange>> {
    let mut q =
        Sql::new("SELECT * FROM enterprise_changes WHERE status = 'pending' AND enterprise_id = ");
    q.bind(enterprise_id);
    store
        .fetch_optional(q)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The enterprise and its pending proposal `change_id` the caller may decide (confirming one
/// needs its categories in the caller's scope).
pub async fn decidable(
    store: &Store,
    scope: &Scope,
    enterprise_id: &str,
    change_id: &str,
    confirm: bool,
) -> StoreResult<(enterprises::Enterprise, EnterpriseChange)> {
    let e = enterprises::get(store, scope, enterprise_id).await?;
    let change = list(store, scope, enterprise_id)
        .await?
        .into_iter()
        .find(|c| c.id == change_id)
        .ok_or(StoreError::NotFound)?;
    if change.status != "pending" {
        return Err(StoreError::conflict(
            "action",
            rules::not_pending(&change.status_label),
        ));
    }
    if confirm && !covers_enterprise(scope, &e.grid_code, &change.proposed.categories) {
        return Err(StoreError::Forbidden(rules::CATEGORIES_OUT_OF_SCOPE.into()));
    }
    Ok((e, change))
}

/// 确认 or 驳回 `change` of enterprise `e`: the decision, on 确认 the supervised fields, and
/// the audit record.
pub async fn decide_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    e: &enterprises::Enterprise,
    change: &EnterpriseChange,
    confirm: bool,
    note: Option<String>,
) -> StoreResult<()> {
    let (enterprise_id, change_id) = (e.id.as_str(), change.id.as_str());
    let mut up = Sql::new("UPDATE enterprise_changes SET status = ");
    up.bind(if confirm { "confirmed" } else { "rejected" })
        .push_bind(", decided_by = ", actor.name.as_str())
        .push_bind(", decided_ms = ", now)
        .push_bind(", note = ", note)
        .push_bind(" WHERE id = ", change_id)
        .push(" AND status = 'pending'");
    if up.execute(&mut *tx).await? == 0 {
        return Err(StoreError::conflict("action", rules::DECIDED_MEANWHILE));
    }
    if confirm {
        enterprises::write_supervised(tx, now, enterprise_id, &change.proposed).await?;
    }
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: if confirm {
                "confirm_change"
            } else {
                "reject_change"
            },
            entity_type: "enterprise",
            entity_id: Some(enterprise_id),
            summary: rules::decided_summary(confirm, &e.name, &change.fields),
            before: Some(serde_json::to_value(&change.current).unwrap_or_default()),
            after: Some(serde_json::to_value(&change.proposed).unwrap_or_default()),
        },
    )
    .await?;
    Ok(())
}

/// Proposal `change_id`, whatever its status.
pub async fn get_change(store: &Store, change_id: &str) -> StoreResult<EnterpriseChange> {
    let mut q = Sql::new("SELECT * FROM enterprise_changes WHERE id = ");
    q.bind(change_id);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}
