//! The register writes the loader makes, each in its own transaction as the register use cases
//! run them (yingji_app::resources::registers); the demo crate depends on the store only.

use yingji_store::kernel::Ctx;
use yingji_store::resources::{
    self, ExpertInput, ShelterInput, StockInput, TeamInput, WarehouseInput,
};
use yingji_store::{Store, StoreResult};

/// A record the loader registered: its id.
pub(super) struct Saved {
    pub(super) id: String,
}

// The register writes, each in its own transaction as the register use cases run them
// (yingji_app::resources::registers); the loader depends on the store only.

pub(super) async fn create_team(
    store: &Store,
    ctx: &Ctx,
    now: i64,
    input: &TeamInput,
) -> StoreResult<Saved> {
    let mut tx = store.begin().await?;
    let id = resources::save_team(&mut tx, store, ctx, now, None, input).await?;
    tx.commit().await?;
    Ok(Saved { id })
}

pub(super) async fn create_expert(
    store: &Store,
    ctx: &Ctx,
    now: i64,
    input: &ExpertInput,
) -> StoreResult<Saved> {
    let mut tx = store.begin().await?;
    let id = resources::save_expert(&mut tx, store, ctx, now, None, input).await?;
    tx.commit().await?;
    Ok(Saved { id })
}

pub(super) async fn create_warehouse(
    store: &Store,
    ctx: &Ctx,
    now: i64,
    input: &WarehouseInput,
) -> StoreResult<Saved> {
    let mut tx = store.begin().await?;
    let id = resources::save_warehouse(&mut tx, store, ctx, now, None, input).await?;
    tx.commit().await?;
    Ok(Saved { id })
}

pub(super) async fn create_stock(
    store: &Store,
    ctx: &Ctx,
    now: i64,
    input: &StockInput,
) -> StoreResult<Saved> {
    let mut tx = store.begin().await?;
    let id = resources::insert_stock(&mut tx, store, ctx, now, input).await?;
    tx.commit().await?;
    Ok(Saved { id })
}

pub(super) async fn create_shelter(
    store: &Store,
    ctx: &Ctx,
    now: i64,
    input: &ShelterInput,
) -> StoreResult<Saved> {
    let mut tx = store.begin().await?;
    let id = resources::save_shelter(&mut tx, store, ctx, now, None, input).await?;
    tx.commit().await?;
    Ok(Saved { id })
}
