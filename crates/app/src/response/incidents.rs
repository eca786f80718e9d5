//! 突发事件接报: recording an incident (接报), its later reports (续报, 补报), 上报 and the close,
//! each in one transaction; the answer is the incident's detail as it now reads.

use yingji_core::response::access::{may_command, may_record_incidents};
use yingji_core::response::reports::{
    CLOSE_DENIED, ESCALATION_DENIED, EscalationFacts, INTAKE_DENIED, REPORT_AFTER_CLOSE,
    REPORT_DENIED, check_escalation, checked_report, close_note, close_text, unreported_hops,
};
use yingji_store::kernel::Ctx;
use yingji_store::response::incidents::{
    self, CloseInput, EscalationInput, IncidentDetail, IncidentInput, ReportInput,
};
use yingji_store::{Store, StoreError, StoreResult};

/// 接报: checks and grades an incident (493号令 for 生产安全事故) and records it with its 初报.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &IncidentInput,
) -> StoreResult<IncidentDetail> {
    if !may_record_incidents(ctx.role) {
        return Err(StoreError::Forbidden(INTAKE_DENIED.into()));
    }
    let checked = incidents::check_create(store, ctx, now_ms, input).await?;
    let mut tx = store.begin().await?;
    let id = record_in(&mut tx, ctx, now_ms, &checked).await?;
    tx.commit().await?;
    incidents::detail(store, &ctx.scope, &id, now_ms).await
}

/// 接报 in the caller's transaction (the incident, its 初报, the enterprise's rating); the caller
/// checked it with `incidents::check_create` and `may_record_incidents`.
pub(crate) async fn record_in(
    tx: &mut yingji_store::Tx,
    ctx: &Ctx,
    now_ms: i64,
    checked: &incidents::CheckedIncident,
) -> StoreResult<String> {
    let id = incidents::create_in(tx, ctx, now_ms, checked).await?;
    rerate(tx, ctx, now_ms, &id).await?;
    Ok(id)
}

/// 续报 or 补报 of an open incident. Inside the 补报 window a change of counts regrades a
/// 生产安全事故 (R05, R07); after it the report is kept and the grade stays (R06).
pub async fn add_report(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &ReportInput,
) -> StoreResult<IncidentDetail> {
    if !may_record_incidents(ctx.role) {
        return Err(StoreError::Forbidden(REPORT_DENIED.into()));
    }
    // An unknown or closed incident is said so before the report's own errors.
    let incident = incidents::get(store, &ctx.scope, id, now_ms).await?;
    if incident.status != "open" {
        return Err(StoreError::conflict("status", REPORT_AFTER_CLOSE));
    }
    let checked = checked_report(input)?;
    let mut tx = store.begin().await?;
    incidents::add_report_in(&mut tx, ctx, now_ms, id, &checked).await?;
    rerate(&mut tx, ctx, now_ms, id).await?;
    tx.commit().await?;
    incidents::detail(store, &ctx.scope, id, now_ms).await
}

/// 上报: records when a level above the county had the report (every 第十二条 item verified).
pub async fn escalate(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &EscalationInput,
) -> StoreResult<IncidentDetail> {
    if !may_command(ctx.role) {
        return Err(StoreError::Forbidden(ESCALATION_DENIED.into()));
    }
    let incident = incidents::get(store, &ctx.scope, id, now_ms).await?;
    let facts = EscalationFacts {
        received_ms: incident.received_ms,
        pending_items: &incident.pending_items,
    };
    let checked = check_escalation(input, facts, now_ms)?;
    let mut tx = store.begin().await?;
    incidents::escalate_in(&mut tx, ctx, now_ms, &incident, &checked).await?;
    tx.commit().await?;
    incidents::detail(store, &ctx.scope, id, now_ms).await
}

/// 应急处置结束: the incident leaves the dashboard's countdowns; open tasks stay on record. The
/// bureau's own 上报 chain must be reported, or the reason why not is written down.
pub async fn close(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &CloseInput,
) -> StoreResult<IncidentDetail> {
    if !may_command(ctx.role) {
        return Err(StoreError::Forbidden(CLOSE_DENIED.into()));
    }
    let note = close_note(input)?;
    let before = incidents::detail(store, &ctx.scope, id, now_ms).await?;
    let text = close_text(input, &note, &unreported_hops(&before.hops))?;
    let mut tx = store.begin().await?;
    incidents::close_in(&mut tx, ctx, now_ms, &before.incident, &text).await?;
    tx.commit().await?;
    incidents::detail(store, &ctx.scope, id, now_ms).await
}

/// 信用脸谱: an accident of an enterprise (recorded or regraded) changes its rating.
async fn rerate(tx: &mut yingji_store::Tx, ctx: &Ctx, now_ms: i64, id: &str) -> StoreResult<()> {
    let enterprise = yingji_store::credit::rating::incident_enterprise_in(tx, id).await?;
    if let Some(e) = enterprise {
        crate::credit::rating::recompute_in(tx, &ctx.actor, now_ms, &e, Some(id)).await?;
    }
    Ok(())
}
