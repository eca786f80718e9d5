//! 安责险: insurers and policies, read within the caller's scope (an insurer's users its own
//! policies, an enterprise its own, the government the enterprises it sees) and written in the
//! caller's transaction with their audit records.

use crate::directory::enterprises;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::insurance::{
    self as rules, CheckedInsurer, CheckedPolicy, ENTERPRISE_NOT_FOUND, NOT_AN_INSURANCE_READER,
};
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone)]
pub struct Insurer {
    pub id: String,
    pub name: String,
    pub credit_code: String,
    pub active: bool,
    pub created_ms: i64,
}

fn insurer_row(r: &AnyRow) -> StoreResult<Insurer> {
    Ok(Insurer {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        credit_code: r.try_get("credit_code")?,
        active: r.try_get::<i64, _>("active")? != 0,
        created_ms: r.try_get("created_ms")?,
    })
}

/// The insurers (an insurer's users: their own).
pub async fn list_insurers(store: &Store, ctx: &Ctx) -> StoreResult<Vec<Insurer>> {
    let mut q = Sql::new("SELECT * FROM credit_insurers WHERE 1 = 1");
    if let Scope::Insurer { insurer_id } = &ctx.scope {
        q.push_bind(" AND id = ", insurer_id);
    }
    q.push(" ORDER BY name");
    store.fetch_all(q).await?.iter().map(insurer_row).collect()
}

pub async fn insurer(store: &Store, id: &str) -> StoreResult<Insurer> {
    let mut q = Sql::new("SELECT * FROM credit_insurers WHERE id = ");
    q.bind(id);
    insurer_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn create_insurer_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    c: &CheckedInsurer,
) -> StoreResult<()> {
    let mut dup = Sql::new("SELECT COUNT(*) FROM credit_insurers WHERE credit_code = ");
    dup.bind(&c.credit_code);
    if dup.fetch_one(tx).await?.try_get::<i64, _>(0)? > 0 {
        return Err(StoreError::conflict(
            "credit_code",
            format!("统一社会信用代码“{}”的保险机构已存在", c.credit_code),
        ));
    }
    let mut q = Sql::new(
        "INSERT INTO credit_insurers (id, name, credit_code, active, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.into(),
        c.name.as_str().into(),
        c.credit_code.as_str().into(),
        1i64.into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let change = Change::of(
        "insurer.create",
        "insurer",
        id,
        rules::insurer_summary(&c.name),
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct Policy {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub insurer_id: String,
    pub insurer_name: String,
    pub number: String,
    pub starts_day: String,
    pub ends_day: String,
    pub insured_persons: i64,
    pub premium_fen: i64,
    pub cover_fen: i64,
    pub status: String,
    pub created_by_name: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

const SELECT: &str = "SELECT p.*, e.name AS enterprise_name, i.name AS insurer_name FROM credit_insurance_policies p JOIN enterprises e ON e.id = p.enterprise_id JOIN credit_insurers i ON i.id = p.insurer_id WHERE 1 = 1";

fn policy_row(r: &AnyRow) -> StoreResult<Policy> {
    Ok(Policy {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        insurer_id: r.try_get("insurer_id")?,
        insurer_name: r.try_get("insurer_name")?,
        number: r.try_get("number")?,
        starts_day: r.try_get("starts_day")?,
        ends_day: r.try_get("ends_day")?,
        insured_persons: r.try_get("insured_persons")?,
        premium_fen: r.try_get("premium_fen")?,
        cover_fen: r.try_get("cover_fen")?,
        status: r.try_get("status")?,
        created_by_name: r.try_get("created_by_name")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Limits a query on a table `alias` carrying enterprise_id and insurer_id, joined with
/// `enterprises e`, to what the caller may see: an insurer its own records, anyone else the
/// enterprises in their scope.
pub fn push_scope(sql: &mut Sql, ctx: &Ctx, alias: &str) -> StoreResult<()> {
    if !rules::may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_AN_INSURANCE_READER.into()));
    }
    match &ctx.scope {
        Scope::Insurer { insurer_id } => {
            sql.push_bind(&format!(" AND {alias}.insurer_id = "), insurer_id);
        }
        scope => enterprises::push_scope(sql, scope),
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct PolicyFilter {
    pub q: Option<String>,
    pub enterprise_id: Option<String>,
    pub insurer_id: Option<String>,
    /// in_force, expiring, expired or cancelled.
    pub standing: Option<String>,
}

fn push_filter(q: &mut Sql, f: &PolicyFilter, today: &str, until: &str) {
    if let Some(t) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let like = crate::db::like_contains(t);
        q.push_bind(" AND (e.name LIKE ", like.clone())
            .push(" ESCAPE '\\'")
            .push_bind(" OR p.number LIKE ", like)
            .push(" ESCAPE '\\')");
    }
    if let Some(e) = &f.enterprise_id {
        q.push_bind(" AND p.enterprise_id = ", e.as_str());
    }
    if let Some(i) = &f.insurer_id {
        q.push_bind(" AND p.insurer_id = ", i.as_str());
    }
    match f.standing.as_deref() {
        Some("in_force") => {
            q.push(" AND p.status = 'active'")
                .push_bind(" AND p.starts_day <= ", today)
                .push_bind(" AND p.ends_day >= ", today);
        }
        Some("expiring") => {
            q.push(" AND p.status = 'active'")
                .push_bind(" AND p.ends_day >= ", today)
                .push_bind(" AND p.ends_day <= ", until);
        }
        Some("expired") => {
            q.push(" AND p.status = 'active'")
                .push_bind(" AND p.ends_day < ", today);
        }
        Some("cancelled") => {
            q.push(" AND p.status = 'cancelled'");
        }
        _ => {}
    }
}

/// The policies the caller may see, ending soonest first; `today` and `until` bound 即将到期.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    f: &PolicyFilter,
    today: &str,
    until: &str,
) -> StoreResult<Vec<Policy>> {
    let mut q = Sql::new(SELECT);
    push_scope(&mut q, ctx, "p")?;
    push_filter(&mut q, f, today, until);
    q.push(" ORDER BY p.ends_day, e.name LIMIT 1000");
    store.fetch_all(q).await?.iter().map(policy_row).collect()
}

/// How many of the caller's policies match `f`.
pub async fn count(
    store: &Store,
    ctx: &Ctx,
    f: &PolicyFilter,
    today: &str,
    until: &str,
) -> StoreResult<i64> {
    let mut q = Sql::new(
        "SELECT COUNT(*) FROM credit_insurance_policies p JOIN enterprises e ON e.id = p.enterprise_id WHERE 1 = 1",
    );
    push_scope(&mut q, ctx, "p")?;
    push_filter(&mut q, f, today, until);
    store.fetch_i64(q).await
}

/// One policy the caller may see.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Policy> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND p.id = ", id);
    push_scope(&mut q, ctx, "p")?;
    policy_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// The enterprise a policy is written for, as (id, name): an insurer names it by id or by its
/// 统一社会信用代码 (it issues the policy, so any registered enterprise), anyone else one of
/// the enterprises in their scope.
pub async fn enterprise_for_policy(
    store: &Store,
    scope: &Scope,
    id: Option<&str>,
    uscc: Option<&str>,
) -> StoreResult<(String, String)> {
    let mut q = Sql::new("SELECT e.id, e.name FROM enterprises e WHERE 1 = 1");
    match (id, uscc) {
        (Some(id), _) => q.push_bind(" AND e.id = ", id),
        (None, Some(u)) => q.push_bind(" AND e.uscc = ", u.trim().to_ascii_uppercase()),
        (None, None) => {
            return Err(StoreError::invalid(
                "enterprise_id",
                rules::ENTERPRISE_REQUIRED,
            ));
        }
    };
    if !matches!(scope, Scope::Insurer { .. }) {
        enterprises::push_scope(&mut q, scope);
    }
    let field = if id.is_some() {
        "enterprise_id"
    } else {
        "enterprise_uscc"
    };
    let row = store
        .fetch_optional(q)
        .await?
        .ok_or_else(|| StoreError::invalid(field, ENTERPRISE_NOT_FOUND))?;
    Ok((row.try_get("id")?, row.try_get("name")?))
}

/// Whether the enterprise holds a policy (not cancelled) of the insurer.
pub async fn is_policyholder(
    store: &Store,
    insurer_id: &str,
    enterprise_id: &str,
) -> StoreResult<bool> {
    let mut q = Sql::new("SELECT COUNT(*) FROM credit_insurance_policies WHERE status = 'active'");
    q.push_bind(" AND insurer_id = ", insurer_id)
        .push_bind(" AND enterprise_id = ", enterprise_id);
    Ok(store.fetch_i64(q).await? > 0)
}

/// A policy to insert: its checked fields and whose it is.
pub struct NewPolicy<'a> {
    pub enterprise_id: &'a str,
    pub enterprise_name: &'a str,
    pub insurer_id: &'a str,
    pub policy: &'a CheckedPolicy,
}

async fn number_taken(
    tx: &mut Tx,
    insurer_id: &str,
    number: &str,
    except: &str,
) -> StoreResult<bool> {
    let mut q = Sql::new("SELECT COUNT(*) FROM credit_insurance_policies WHERE insurer_id = ");
    q.bind(insurer_id)
        .push_bind(" AND number = ", number)
        .push_bind(" AND id <> ", except);
    Ok(q.fetch_one(tx).await?.try_get::<i64, _>(0)? > 0)
}

fn policy_json(p: &CheckedPolicy) -> serde_json::Value {
    serde_json::json!({
        "number": p.number, "starts_day": p.starts_day.to_string(), "ends_day": p.ends_day.to_string(),
        "insured_persons": p.insured_persons, "premium_fen": p.premium_fen, "cover_fen": p.cover_fen, "status": p.status,
    })
}

pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    n: &NewPolicy<'_>,
) -> StoreResult<()> {
    let p = n.policy;
    if number_taken(tx, n.insurer_id, &p.number, id).await? {
        return Err(StoreError::conflict(
            "number",
            rules::duplicate_number(&p.number),
        ));
    }
    let mut q = Sql::new(
        "INSERT INTO credit_insurance_policies (id, enterprise_id, insurer_id, number, starts_day, ends_day, insured_persons, premium_fen, cover_fen, status, created_by_name, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.into(),
        n.enterprise_id.into(),
        n.insurer_id.into(),
        p.number.as_str().into(),
        p.starts_day.to_string().into(),
        p.ends_day.to_string().into(),
        p.insured_persons.into(),
        p.premium_fen.into(),
        p.cover_fen.into(),
        p.status.into(),
        ctx.display_name.as_str().into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let change = Change {
        after: Some(policy_json(p)),
        ..Change::of(
            "insurance_policy.create",
            "insurance_policy",
            id,
            rules::policy_summary(n.enterprise_name, &p.number),
        )
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// Rewrites a policy's own fields (not its enterprise nor its insurer).
pub async fn update_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    before: &Policy,
    p: &CheckedPolicy,
) -> StoreResult<()> {
    if number_taken(tx, &before.insurer_id, &p.number, &before.id).await? {
        return Err(StoreError::conflict(
            "number",
            rules::duplicate_number(&p.number),
        ));
    }
    let mut q = Sql::new("UPDATE credit_insurance_policies SET number = ");
    q.bind(p.number.as_str())
        .push_bind(", starts_day = ", p.starts_day.to_string())
        .push_bind(", ends_day = ", p.ends_day.to_string())
        .push_bind(", insured_persons = ", p.insured_persons)
        .push_bind(", premium_fen = ", p.premium_fen)
        .push_bind(", cover_fen = ", p.cover_fen)
        .push_bind(", status = ", p.status)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", before.id.as_str());
    q.execute(tx).await?;
    let change = Change {
        before: Some(serde_json::json!({
            "number": before.number, "starts_day": before.starts_day, "ends_day": before.ends_day,
            "insured_persons": before.insured_persons, "premium_fen": before.premium_fen, "cover_fen": before.cover_fen, "status": before.status,
        })),
        after: Some(policy_json(p)),
        ..Change::of(
            "insurance_policy.update",
            "insurance_policy",
            &before.id,
            rules::policy_updated(&before.enterprise_name, &p.number),
        )
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}
