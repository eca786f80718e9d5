//! 理赔: claims on the policies the caller may see, with the incident each claim needs (its
//! code, title, time and casualties — the insurer reads no other incident), written in the
//! caller's transaction with their audit records.

use super::insurance::push_scope;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::claims::{StepOutcome, claim_summary, step_summary};

#[derive(Debug, Clone)]
pub struct Claim {
    pub id: String,
    pub policy_id: String,
    pub policy_number: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub insurer_id: String,
    pub insurer_name: String,
    pub incident_id: String,
    pub incident_code: String,
    pub incident_title: String,
    pub incident_occurred_ms: i64,
    pub incident_deaths: i64,
    pub incident_injuries: i64,
    pub claimed_fen: i64,
    pub paid_fen: Option<i64>,
    pub status: String,
    pub reason: Option<String>,
    pub description: Option<String>,
    pub reported_by_name: String,
    pub reported_ms: i64,
    pub decided_by_name: Option<String>,
    pub decided_ms: Option<i64>,
}

const SELECT: &str = "SELECT c.*, p.number AS policy_number, e.name AS enterprise_name, i.name AS insurer_name, n.code AS incident_code, n.title AS incident_title, n.occurred_ms AS incident_occurred_ms, n.deaths AS incident_deaths, n.serious_injuries + n.minor_injuries AS incident_injuries FROM credit_insurance_claims c JOIN credit_insurance_policies p ON p.id = c.policy_id JOIN enterprises e ON e.id = c.enterprise_id JOIN credit_insurers i ON i.id = c.insurer_id JOIN incidents n ON n.id = c.incident_id WHERE 1 = 1";

fn from_row(r: &AnyRow) -> StoreResult<Claim> {
    Ok(Claim {
        id: r.try_get("id")?,
        policy_id: r.try_get("policy_id")?,
        policy_number: r.try_get("policy_number")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        insurer_id: r.try_get("insurer_id")?,
        insurer_name: r.try_get("insurer_name")?,
        incident_id: r.try_get("incident_id")?,
        incident_code: r.try_get("incident_code")?,
        incident_title: r.try_get("incident_title")?,
        incident_occurred_ms: r.try_get("incident_occurred_ms")?,
        incident_deaths: r.try_get("incident_deaths")?,
        incident_injuries: r.try_get("incident_injuries")?,
        claimed_fen: r.try_get("claimed_fen")?,
        paid_fen: r.try_get("paid_fen")?,
        status: r.try_get("status")?,
        reason: r.try_get("reason")?,
        description: r.try_get("description")?,
        reported_by_name: r.try_get("reported_by_name")?,
        reported_ms: r.try_get("reported_ms")?,
        decided_by_name: r.try_get("decided_by_name")?,
        decided_ms: r.try_get("decided_ms")?,
    })
}

/// The claims the caller may see, newest first (optionally one policy's or of one status).
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    policy_id: Option<&str>,
    status: Option<&str>,
) -> StoreResult<Vec<Claim>> {
    let mut q = Sql::new(SELECT);
    push_scope(&mut q, ctx, "c")?;
    if let Some(p) = policy_id {
        q.push_bind(" AND c.policy_id = ", p);
    }
    if let Some(s) = status {
        q.push_bind(" AND c.status = ", s);
    }
    q.push(" ORDER BY c.reported_ms DESC LIMIT 1000");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// How many of the caller's claims are open (reported or accepted).
pub async fn open_count(store: &Store, ctx: &Ctx) -> StoreResult<i64> {
    let mut q = Sql::new(
        "SELECT COUNT(*) FROM credit_insurance_claims c JOIN enterprises e ON e.id = c.enterprise_id WHERE c.status IN ('reported', 'accepted')",
    );
    push_scope(&mut q, ctx, "c")?;
    store.fetch_i64(q).await
}

pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Claim> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND c.id = ", id);
    push_scope(&mut q, ctx, "c")?;
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// The enterprise of an incident: None when there is no such incident, Some(None) when it
/// names no enterprise.
pub async fn incident_enterprise(
    store: &Store,
    incident_id: &str,
) -> StoreResult<Option<Option<String>>> {
    let mut q = Sql::new("SELECT enterprise_id FROM incidents WHERE id = ");
    q.bind(incident_id);
    Ok(match store.fetch_optional(q).await? {
        Some(r) => Some(r.try_get("enterprise_id")?),
        None => None,
    })
}

/// A claim to insert.
pub struct NewClaim<'a> {
    pub policy_id: &'a str,
    pub policy_number: &'a str,
    pub enterprise_id: &'a str,
    pub insurer_id: &'a str,
    pub incident_id: &'a str,
    pub claimed_fen: i64,
    pub description: Option<&'a str>,
}

pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    n: &NewClaim<'_>,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO credit_insurance_claims (id, policy_id, enterprise_id, insurer_id, incident_id, claimed_fen, paid_fen, status, reason, description, reported_by_name, reported_ms, decided_by_name, decided_ms) VALUES ",
    );
    q.values(vec![
        id.into(),
        n.policy_id.into(),
        n.enterprise_id.into(),
        n.insurer_id.into(),
        n.incident_id.into(),
        n.claimed_fen.into(),
        None::<i64>.into(),
        "reported".into(),
        None::<String>.into(),
        n.description.into(),
        ctx.display_name.as_str().into(),
        now_ms.into(),
        None::<String>.into(),
        None::<i64>.into(),
    ]);
    q.execute(tx).await?;
    let change = Change {
        after: Some(
            serde_json::json!({"incident_id": n.incident_id, "claimed_fen": n.claimed_fen}),
        ),
        ..Change::of(
            "insurance_claim.create",
            "insurance_claim",
            id,
            claim_summary(n.policy_number),
        )
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// Records a step if the claim still has the status it was checked against (false: it moved).
pub async fn step_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    claim: &Claim,
    o: &StepOutcome,
) -> StoreResult<bool> {
    let mut q = Sql::new("UPDATE credit_insurance_claims SET status = ");
    q.bind(o.status)
        .push_bind(", paid_fen = ", o.paid_fen)
        .push_bind(", reason = ", o.reason.clone())
        .push_bind(", decided_by_name = ", ctx.display_name.as_str())
        .push_bind(", decided_ms = ", now_ms)
        .push_bind(" WHERE id = ", claim.id.as_str())
        .push_bind(" AND status = ", claim.status.as_str());
    if q.execute(tx).await? == 0 {
        return Ok(false);
    }
    let action = match o.status {
        "accepted" => "insurance_claim.accept",
        "paid" => "insurance_claim.pay",
        _ => "insurance_claim.refuse",
    };
    let change = Change {
        before: Some(serde_json::json!({"status": claim.status})),
        after: Some(
            serde_json::json!({"status": o.status, "paid_fen": o.paid_fen, "reason": o.reason}),
        ),
        ..Change::of(
            action,
            "insurance_claim",
            &claim.id,
            step_summary(&claim.policy_number, o.status),
        )
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(true)
}
