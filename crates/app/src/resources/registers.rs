//! The register writes (teams, experts, warehouses, stock lines, shelters): each use case runs
//! the register's `save_*` (or `insert_stock`) in its own transaction and answers the record as
//! it now reads. What every register shares (sensors and 承灾体 too): 停用 / 启用, and the import,
//! which runs the same writes, many rows in one transaction.

use serde_json::{Map, Value};
use yingji_core::resources::access::may_edit_registers;
use yingji_core::resources::deactivation::{EDIT_DENIED, check_reason};
use yingji_core::resources::register::Register;
use yingji_store::kernel::Ctx;
use yingji_store::resources::registers::{self, Activation, ImportMode, ImportOutcome};
use yingji_store::resources::{
    self, Expert, ExpertInput, Shelter, ShelterInput, StockInput, StockLine, Team, TeamInput,
    Warehouse, WarehouseInput,
};
use yingji_store::{Store, StoreError, StoreResult};

/// 登记救援队伍.
pub async fn create_team(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &TeamInput,
) -> StoreResult<Team> {
    let mut tx = store.begin().await?;
    let id = resources::save_team(&mut tx, store, ctx, now_ms, None, input).await?;
    tx.commit().await?;
    resources::get_team(store, &ctx.scope, &id).await
}

/// 修改救援队伍.
pub async fn update_team(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &TeamInput,
) -> StoreResult<Team> {
    let mut tx = store.begin().await?;
    resources::save_team(&mut tx, store, ctx, now_ms, Some(id), input).await?;
    tx.commit().await?;
    resources::get_team(store, &ctx.scope, id).await
}

/// 专家入库.
pub async fn create_expert(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &ExpertInput,
) -> StoreResult<Expert> {
    let mut tx = store.begin().await?;
    let id = resources::save_expert(&mut tx, store, ctx, now_ms, None, input).await?;
    tx.commit().await?;
    resources::get_expert(store, &ctx.scope, &id).await
}

/// 修改专家信息.
pub async fn update_expert(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &ExpertInput,
) -> StoreResult<Expert> {
    let mut tx = store.begin().await?;
    resources::save_expert(&mut tx, store, ctx, now_ms, Some(id), input).await?;
    tx.commit().await?;
    resources::get_expert(store, &ctx.scope, id).await
}

/// 登记储备库.
pub async fn create_warehouse(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &WarehouseInput,
) -> StoreResult<Warehouse> {
    let mut tx = store.begin().await?;
    let id = resources::save_warehouse(&mut tx, store, ctx, now_ms, None, input).await?;
    tx.commit().await?;
    resources::get_warehouse(store, &ctx.scope, &id, now_ms).await
}

/// 修改储备库.
pub async fn update_warehouse(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &WarehouseInput,
) -> StoreResult<Warehouse> {
    let mut tx = store.begin().await?;
    resources::save_warehouse(&mut tx, store, ctx, now_ms, Some(id), input).await?;
    tx.commit().await?;
    resources::get_warehouse(store, &ctx.scope, id, now_ms).await
}

/// 建立库存: a stock line with its opening 入库.
pub async fn create_stock(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &StockInput,
) -> StoreResult<StockLine> {
    let mut tx = store.begin().await?;
    let id = resources::insert_stock(&mut tx, store, ctx, now_ms, input).await?;
    tx.commit().await?;
    resources::get_stock(store, &ctx.scope, &id, now_ms).await
}

/// 登记避难场所.
pub async fn create_shelter(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &ShelterInput,
) -> StoreResult<Shelter> {
    let mut tx = store.begin().await?;
    let id = resources::save_shelter(&mut tx, store, ctx, now_ms, None, input).await?;
    tx.commit().await?;
    resources::get_shelter(store, &ctx.scope, &id).await
}

/// 修改避难场所.
pub async fn update_shelter(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &ShelterInput,
) -> StoreResult<Shelter> {
    let mut tx = store.begin().await?;
    resources::save_shelter(&mut tx, store, ctx, now_ms, Some(id), input).await?;
    tx.commit().await?;
    resources::get_shelter(store, &ctx.scope, id).await
}

/// 停用 / 启用 a record of a register. A deactivated record keeps its history but is no longer
/// found, dispatched, allocated from, targeted or read from a gateway; deactivating needs a
/// reason.
pub async fn set_active(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    change: Activation<'_>,
) -> StoreResult<()> {
    if !may_edit_registers(ctx.role) {
        return Err(StoreError::Forbidden(EDIT_DENIED.into()));
    }
    let reason = check_reason(change.active, change.reason)?;
    let mut tx = store.begin().await?;
    let change = Activation {
        reason: &reason,
        ..change
    };
    registers::set_active_in(&mut tx, store, ctx, now_ms, change).await?;
    tx.commit().await?;
    Ok(())
}

/// 导入: parsed rows into a register, each through the register's own create, all in one
/// transaction: `Strict` keeps nothing when any row fails, `ValidOnly` the rows that pass,
/// `Check` nothing (the report only).
pub async fn import(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    register: Register,
    rows: Vec<(usize, Map<String, Value>)>,
    mode: ImportMode,
) -> StoreResult<ImportOutcome> {
    registers::forbid_import(ctx, register)?;
    let mut tx = store.begin().await?;
    let mut out = registers::import_rows_in(&mut tx, store, ctx, now_ms, register, rows).await?;
    if !mode.stores(out.valid_rows, out.errors.len()) {
        tx.rollback().await?;
        return Ok(out);
    }
    registers::record_import_in(&mut tx, ctx, now_ms, register, &out).await?;
    tx.commit().await?;
    out.imported = out.valid_rows;
    Ok(out)
}
