//! 执法检查人员名录库: the inspectors of each department with their 执法证, and 回避.

use super::push_departments;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use yingji_core::enforcement::registry::CheckedInspector;
use yingji_core::enforcement::{conflict_summary, inspector_summary};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Conflict {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub reason: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Inspector {
    pub user_id: String,
    pub user_name: String,
    pub department_id: String,
    pub department_name: String,
    pub cert_no: String,
    /// YYYY-MM-DD.
    pub cert_valid_until: String,
    pub active: bool,
    pub conflicts: Vec<Conflict>,
}

const SELECT: &str = "SELECT p.*, u.display_name AS user_name, d.name AS department_name FROM enforcement_inspectors p JOIN users u ON u.id = p.user_id JOIN departments d ON d.id = p.department_id WHERE 1 = 1";

fn from_row(r: &AnyRow) -> StoreResult<Inspector> {
    Ok(Inspector {
        user_id: r.try_get("user_id")?,
        user_name: r.try_get("user_name")?,
        department_id: r.try_get("department_id")?,
        department_name: r.try_get("department_name")?,
        cert_no: r.try_get("cert_no")?,
        cert_valid_until: r.try_get("cert_valid_until")?,
        active: r.try_get::<i64, _>("active")? != 0,
        conflicts: vec![],
    })
}

/// The inspectors the caller may see (of a department, if named), with their conflicts.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    department: Option<&str>,
    only_active: bool,
) -> StoreResult<Vec<Inspector>> {
    let mut q = Sql::new(SELECT);
    push_departments(&mut q, ctx, "p.department_id")?;
    if let Some(d) = department.filter(|d| !d.is_empty()) {
        q.push_bind(" AND p.department_id = ", d);
    }
    if only_active {
        q.push(" AND p.active = 1 AND u.active = 1");
    }
    q.push(" ORDER BY d.name, u.display_name, p.user_id");
    let mut items: Vec<Inspector> = store
        .fetch_all(q)
        .await?
        .iter()
        .map(from_row)
        .collect::<StoreResult<_>>()?;
    let mut c = Sql::new(
        "SELECT c.user_id, c.enterprise_id, e.name AS enterprise_name, c.reason FROM enforcement_conflicts c JOIN enterprises e ON e.id = c.enterprise_id JOIN enforcement_inspectors p ON p.user_id = c.user_id WHERE 1 = 1",
    );
    push_departments(&mut c, ctx, "p.department_id")?;
    c.push(" ORDER BY c.user_id, e.name");
    let mut by_user: BTreeMap<String, Vec<Conflict>> = BTreeMap::new();
    for r in store.fetch_all(c).await? {
        by_user
            .entry(r.try_get("user_id")?)
            .or_default()
            .push(Conflict {
                enterprise_id: r.try_get("enterprise_id")?,
                enterprise_name: r.try_get("enterprise_name")?,
                reason: r.try_get("reason")?,
            });
    }
    for i in &mut items {
        i.conflicts = by_user.remove(&i.user_id).unwrap_or_default();
    }
    Ok(items)
}

/// One inspector the caller may see.
pub async fn get(store: &Store, ctx: &Ctx, user_id: &str) -> StoreResult<Inspector> {
    list(store, ctx, None, false)
        .await?
        .into_iter()
        .find(|i| i.user_id == user_id)
        .ok_or(StoreError::NotFound)
}

/// Enters (or renews) an inspector in a department's pool with their 执法证; the audit record
/// tells which.
pub async fn upsert_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    department_id: &str,
    user_name: &str,
    c: &CheckedInspector,
) -> StoreResult<()> {
    let until = c.cert_valid_until.to_string();
    let mut q = Sql::new(
        "INSERT INTO enforcement_inspectors (user_id, department_id, cert_no, cert_valid_until, active, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        c.user_id.clone().into(),
        department_id.into(),
        c.cert_no.clone().into(),
        until.clone().into(),
        true.into(),
        now_ms.into(),
        now_ms.into(),
    ])
    .push(" ON CONFLICT (user_id) DO UPDATE SET department_id = excluded.department_id, cert_no = excluded.cert_no, cert_valid_until = excluded.cert_valid_until, active = 1, updated_ms = excluded.updated_ms");
    q.execute(tx).await.map_err(|e| match e {
        StoreError::Db(e) if crate::kernel::is_unique_violation(&e) => {
            StoreError::conflict("cert_no", yingji_core::enforcement::CERT_TAKEN)
        }
        e => e,
    })?;
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(serde_json::json!({
                "department_id": department_id, "cert_no": c.cert_no, "cert_valid_until": until,
            })),
            ..Change::of(
                "enforcement.register_inspector",
                "enforcement_inspector",
                &c.user_id,
                inspector_summary(user_name, &c.cert_no, &until),
            )
        },
    )
    .await?;
    Ok(())
}

/// Records that an inspector must not inspect an enterprise (回避).
pub async fn add_conflict_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    user: (&str, &str),
    enterprise: (&str, &str),
    reason: &str,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO enforcement_conflicts (user_id, enterprise_id, reason, created_ms) VALUES ",
    );
    q.values(vec![
        user.0.into(),
        enterprise.0.into(),
        reason.into(),
        now_ms.into(),
    ])
    .push(" ON CONFLICT (user_id, enterprise_id) DO UPDATE SET reason = excluded.reason");
    q.execute(tx).await?;
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(serde_json::json!({ "enterprise_id": enterprise.0, "reason": reason })),
            ..Change::of(
                "enforcement.add_conflict",
                "enforcement_inspector",
                user.0,
                conflict_summary(user.1, enterprise.1, reason),
            )
        },
    )
    .await?;
    Ok(())
}

/// Someone who may be entered in a department's pool, and whether they are in it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PoolPerson {
    pub user_id: String,
    pub display_name: String,
    pub username: String,
    pub department_id: String,
    pub department_name: String,
    pub in_pool: bool,
}

/// The active users with one of `roles` in the departments the caller may see, by department and
/// name.
pub async fn people(store: &Store, ctx: &Ctx, roles: &[&str]) -> StoreResult<Vec<PoolPerson>> {
    let mut q = Sql::new(
        "SELECT u.id, u.display_name, u.username, u.department_id, d.name AS department_name, CAST(CASE WHEN i.user_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS in_pool FROM users u JOIN departments d ON d.id = u.department_id LEFT JOIN enforcement_inspectors i ON i.user_id = u.id WHERE u.active = 1 AND u.role IN ",
    );
    q.bind_list(roles.iter().copied());
    push_departments(&mut q, ctx, "u.department_id")?;
    q.push(" ORDER BY d.name, u.display_name, u.id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(PoolPerson {
                user_id: r.try_get("id")?,
                display_name: r.try_get("display_name")?,
                username: r.try_get("username")?,
                department_id: r.try_get("department_id")?,
                department_name: r.try_get("department_name")?,
                in_pool: r.try_get::<i64, _>("in_pool")? != 0,
            })
        })
        .collect()
}
