//! 事故调查: the investigation's steps, its follow-ups (one of them spanning capabilities: a
//! follow-up registered as a hidden hazard) and marking a follow-up done, each in one
//! transaction; the answer is the investigation as it now reads.

use yingji_core::response::access::{may_approve_investigations, may_investigate};
use yingji_core::response::investigation::{
    APPROVAL_DENIED, NOT_AN_INVESTIGATOR, check_followup, check_step,
};
use yingji_store::kernel::Ctx;
use yingji_store::prevention::hazards::{self, HazardInput};
use yingji_store::response::incidents;
use yingji_store::response::investigations::{
    self, FollowupInput, Investigation, InvestigationInput, incident_under_investigation,
    insert_followup_in,
};
use yingji_store::{Store, StoreError, StoreResult};

/// Only roles that investigate may change an investigation.
fn forbid_unless_investigator(ctx: &Ctx) -> StoreResult<()> {
    if may_investigate(ctx.role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(NOT_AN_INVESTIGATOR.into()))
    }
}

/// The investigation of an incident the caller sees, as it now reads.
async fn investigation(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
) -> StoreResult<Investigation> {
    investigations::get(store, &ctx.scope, incident_id, now_ms)
        .await?
        .ok_or(StoreError::NotFound)
}

/// 成立调查组 / 保存 / 提交报告 / 批复 (局领导 or 管理员) / 退回.
pub async fn act(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    input: &InvestigationInput,
) -> StoreResult<Investigation> {
    forbid_unless_investigator(ctx)?;
    if input.action == "approve" && !may_approve_investigations(ctx.role) {
        return Err(StoreError::Forbidden(APPROVAL_DENIED.into()));
    }
    let incident = incidents::get(store, &ctx.scope, incident_id, now_ms).await?;
    let existing = investigations::get(store, &ctx.scope, incident_id, now_ms).await?;
    let step = check_step(input)?;
    let mut tx = store.begin().await?;
    investigations::act_in(
        &mut tx,
        ctx,
        now_ms,
        &incident,
        existing.as_ref(),
        input,
        &step,
    )
    .await?;
    tx.commit().await?;
    investigation(store, ctx, now_ms, incident_id).await
}

/// 整改措施: adds a follow-up to an incident's investigation and, when asked, registers it as a
/// hidden hazard (source 事故调查) of the incident's enterprise or place, so that the closed loop
/// 定级 → 整改 → 验收销号 tracks it. The hazard goes through the hazard capability's own write
/// (its scope, rules, number and audit record) in the same transaction as the follow-up: both
/// are committed or neither is.
pub async fn add_followup(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    input: &FollowupInput,
) -> StoreResult<Investigation> {
    forbid_unless_investigator(ctx)?;
    let incident = incident_under_investigation(store, ctx, now_ms, incident_id).await?;
    let f = check_followup(
        &input.action,
        &input.responsible,
        input.due_date.as_deref(),
        input.as_hazard,
    )?;
    let mut tx = store.begin().await?;
    let hazard_id = if input.as_hazard {
        let hazard = HazardInput {
            source: Some("accident_investigation".into()),
            enterprise_id: incident.enterprise_id.clone(),
            region_code: incident
                .enterprise_id
                .is_none()
                .then(|| incident.region_code.clone()),
            location: incident.location.clone(),
            category: input
                .hazard_category
                .clone()
                .unwrap_or_else(|| "management".into()),
            description: format!("【{}事故调查整改】{}", incident.code, f.action),
            deadline: f.due_date.clone(),
            responsible_name: Some(f.responsible.clone()),
            measures: Some(f.action.clone()),
            ..Default::default()
        };
        Some(hazards::create_in(&mut tx, store, ctx, now_ms, &hazard).await?)
    } else {
        None
    };
    insert_followup_in(&mut tx, ctx, now_ms, &incident, &f, hazard_id).await?;
    tx.commit().await?;
    investigation(store, ctx, now_ms, incident_id).await
}

/// Marks a follow-up without a linked hazard done (a linked one is done when its hazard is
/// 销号).
pub async fn complete_followup(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    followup_id: &str,
) -> StoreResult<Investigation> {
    forbid_unless_investigator(ctx)?;
    let incident = incidents::get(store, &ctx.scope, incident_id, now_ms).await?;
    let mut tx = store.begin().await?;
    investigations::complete_followup_in(&mut tx, ctx, now_ms, &incident, followup_id).await?;
    tx.commit().await?;
    investigation(store, ctx, now_ms, incident_id).await
}
