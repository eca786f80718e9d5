//! 值班值守: setting a shift of the roster and writing the duty log, each in one transaction.

use yingji_core::response::access::may_keep_duty;
use yingji_core::response::duty::{NOT_A_LOG_KEEPER, NOT_A_ROSTER_KEEPER, check_log, check_shift};
use yingji_store::directory::regions::district_of_scope;
use yingji_store::kernel::Ctx;
use yingji_store::response::duty::{self, LogEntry, LogInput, Shift, ShiftInput};
use yingji_store::response::incidents;
use yingji_store::{Store, StoreError, StoreResult};

/// 排班: sets one shift of the caller's district (replacing who was on it).
pub async fn set_shift(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &ShiftInput,
) -> StoreResult<Shift> {
    if !may_keep_duty(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_ROSTER_KEEPER.into()));
    }
    let checked = check_shift(input)?;
    let district = district_of_scope(store, &ctx.scope).await?;
    let mut tx = store.begin().await?;
    let shift = duty::set_shift_in(&mut tx, ctx, now_ms, &district, &input.shift, &checked).await?;
    tx.commit().await?;
    Ok(shift)
}

/// 值班日志: an entry of the caller's district, optionally about an incident it can see.
pub async fn add_log(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &LogInput,
) -> StoreResult<LogEntry> {
    if !may_keep_duty(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_LOG_KEEPER.into()));
    }
    let incident_id = input.incident_id.clone().filter(|s| !s.is_empty());
    let incident_found = match &incident_id {
        Some(iid) => incidents::get(store, &ctx.scope, iid, now_ms).await.is_ok(),
        None => true,
    };
    let (kind_label, text) = check_log(input, incident_found)?;
    let district = district_of_scope(store, &ctx.scope).await?;
    let mut tx = store.begin().await?;
    let new = duty::NewLogEntry {
        kind: &input.kind,
        kind_label,
        text,
        incident_id,
    };
    let entry = duty::add_log_in(&mut tx, ctx, now_ms, &district, new).await?;
    tx.commit().await?;
    Ok(entry)
}
