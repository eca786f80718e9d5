//! 台账: a person or a household added to a process the caller may read and report on, in the
//! caller's township.

use yingji_core::disasters::ledgers::{HouseInput, PersonInput, check_house, check_person};
use yingji_core::disasters::processes::{NOT_A_REPORTER, may_report};
use yingji_store::disasters::{ledgers, processes};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

pub async fn add_person(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    process_id: &str,
    input: &PersonInput,
) -> StoreResult<String> {
    if !may_report(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_REPORTER.into()));
    }
    let p = processes::get(store, ctx, process_id).await?;
    let today = yingji_core::kernel::clock::today(now_ms);
    let checked = check_person(input, &p.townships, ctx.scope.region_prefix(), today)?;
    let mut tx = store.begin().await?;
    let id = ledgers::add_person_in(&mut tx, ctx, now_ms, &p.id, &checked).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn add_house(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    process_id: &str,
    input: &HouseInput,
) -> StoreResult<String> {
    if !may_report(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_REPORTER.into()));
    }
    let p = processes::get(store, ctx, process_id).await?;
    let checked = check_house(input, &p.townships, ctx.scope.region_prefix())?;
    let mut tx = store.begin().await?;
    let id = ledgers::add_house_in(&mut tx, ctx, now_ms, &p.id, &checked).await?;
    tx.commit().await?;
    Ok(id)
}
