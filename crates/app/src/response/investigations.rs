//! 事故调查: the use cases that span capabilities.

use yingji_core::response::investigation::check_followup;
use yingji_store::kernel::Ctx;
use yingji_store::prevention::hazards::{self, HazardInput};
use yingji_store::response::investigations::{
    self, FollowupInput, Investigation, forbid_unless_investigator, incident_under_investigation,
    insert_followup_in,
};
use yingji_store::{Store, StoreError, StoreResult};

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
    investigations::get(store, &ctx.scope, incident_id, now_ms)
        .await?
        .ok_or(StoreError::NotFound)
}
