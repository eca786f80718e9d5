//! 事故预防服务: the insurers' service records, read within the caller's scope (an insurer its
//! own) and written in the caller's transaction with their audit records.

use super::insurance::push_scope;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::prevention_services::{CheckedService, service_summary};

#[derive(Debug, Clone)]
pub struct Service {
    pub id: String,
    pub insurer_id: String,
    pub insurer_name: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub day: String,
    pub kind: String,
    pub findings: String,
    pub attachment_ids: Vec<String>,
    pub recorded_by_name: String,
    pub created_ms: i64,
}

const SELECT: &str = "SELECT s.*, e.name AS enterprise_name, i.name AS insurer_name FROM credit_prevention_services s JOIN enterprises e ON e.id = s.enterprise_id JOIN credit_insurers i ON i.id = s.insurer_id WHERE 1 = 1";

fn from_row(r: &AnyRow) -> StoreResult<Service> {
    let ids: String = r.try_get("attachment_ids")?;
    Ok(Service {
        id: r.try_get("id")?,
        insurer_id: r.try_get("insurer_id")?,
        insurer_name: r.try_get("insurer_name")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        day: r.try_get("day")?,
        kind: r.try_get("kind")?,
        findings: r.try_get("findings")?,
        attachment_ids: serde_json::from_str(&ids).unwrap_or_default(),
        recorded_by_name: r.try_get("recorded_by_name")?,
        created_ms: r.try_get("created_ms")?,
    })
}

/// The service records the caller may see, newest day first; `since` limits to days on or after.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    enterprise_id: Option<&str>,
    since: Option<&str>,
) -> StoreResult<Vec<Service>> {
    let mut q = Sql::new(SELECT);
    push_scope(&mut q, ctx, "s")?;
    if let Some(e) = enterprise_id {
        q.push_bind(" AND s.enterprise_id = ", e);
    }
    if let Some(d) = since {
        q.push_bind(" AND s.day >= ", d);
    }
    q.push(" ORDER BY s.day DESC, s.created_ms DESC LIMIT 1000");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// How many of the caller's records fall on or after `since`.
pub async fn count_since(store: &Store, ctx: &Ctx, since: &str) -> StoreResult<i64> {
    let mut q = Sql::new(
        "SELECT COUNT(*) FROM credit_prevention_services s JOIN enterprises e ON e.id = s.enterprise_id WHERE 1 = 1",
    );
    push_scope(&mut q, ctx, "s")?;
    q.push_bind(" AND s.day >= ", since);
    store.fetch_i64(q).await
}

pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Service> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND s.id = ", id);
    push_scope(&mut q, ctx, "s")?;
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    insurer_id: &str,
    enterprise: (&str, &str),
    s: &CheckedService,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO credit_prevention_services (id, insurer_id, enterprise_id, day, kind, findings, attachment_ids, recorded_by_name, created_ms) VALUES ",
    );
    q.values(vec![
        id.into(),
        insurer_id.into(),
        enterprise.0.into(),
        s.day.to_string().into(),
        s.kind.as_str().into(),
        s.findings.as_str().into(),
        serde_json::to_string(&s.attachment_ids)
            .unwrap_or_else(|_| "[]".into())
            .into(),
        ctx.display_name.as_str().into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let change = Change::of(
        "prevention_service.create",
        "prevention_service",
        id,
        service_summary(enterprise.1, &s.kind),
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}
