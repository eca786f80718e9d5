//! 理赔: a claim is reported on a policy the caller may see, for an accident (an incident) of
//! the insured enterprise; the insurer accepts, pays or refuses it.

use yingji_core::credit::claims::{
    self as rules, CLAIM_NOT_FOUND, ClaimInput, ClaimStep, INCIDENT_NOT_OF_ENTERPRISE,
    NOT_A_CLAIM_DECIDER, check_claim, check_step,
};
use yingji_core::credit::insurance::{NOT_AN_INSURANCE_WRITER, POLICY_NOT_FOUND};
use yingji_store::credit::claims::{self, Claim, NewClaim};
use yingji_store::credit::insurance;
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult, new_id};

pub async fn report(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &ClaimInput,
) -> StoreResult<Claim> {
    if !rules::may_report(ctx.role) {
        return Err(StoreError::Forbidden(NOT_AN_INSURANCE_WRITER.into()));
    }
    let checked = check_claim(input)?;
    let policy = insurance::get(store, ctx, input.policy_id.trim())
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("policy_id", POLICY_NOT_FOUND),
            e => e,
        })?;
    let incident_id = input.incident_id.trim();
    match claims::incident_enterprise(store, incident_id).await? {
        Some(Some(e)) if e == policy.enterprise_id => {}
        _ => {
            return Err(StoreError::invalid(
                "incident_id",
                INCIDENT_NOT_OF_ENTERPRISE,
            ));
        }
    }
    let id = new_id();
    let new = NewClaim {
        policy_id: &policy.id,
        policy_number: &policy.number,
        enterprise_id: &policy.enterprise_id,
        insurer_id: &policy.insurer_id,
        incident_id,
        claimed_fen: checked.claimed_fen,
        description: checked.description.as_deref(),
    };
    let mut tx = store.begin().await?;
    claims::create_in(&mut tx, ctx, now_ms, &id, &new).await?;
    tx.commit().await?;
    claims::get(store, ctx, &id).await
}

pub async fn step(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    step: &ClaimStep,
) -> StoreResult<Claim> {
    let claim = claims::get(store, ctx, id).await?;
    if !rules::may_decide(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_CLAIM_DECIDER.into()));
    }
    let outcome = check_step(&claim.status, claim.claimed_fen, step)?;
    let mut tx = store.begin().await?;
    if !claims::step_in(&mut tx, ctx, now_ms, &claim, &outcome).await? {
        return Err(StoreError::conflict(
            "action",
            "该理赔已被他人办理，请刷新后再试",
        ));
    }
    tx.commit().await?;
    claims::get(store, ctx, id).await.map_err(|e| match e {
        StoreError::NotFound => StoreError::invalid("id", CLAIM_NOT_FOUND),
        e => e,
    })
}
