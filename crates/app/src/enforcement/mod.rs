//! 执法监管: keeping the 执法事项目录 and the 执法检查人员名录库, and the 双随机 draws with their
//! tasks, each write in one transaction with its audit record.

pub mod cases;
pub mod documents;
pub mod draws;
pub mod inspections;
pub mod joint;
pub mod plans;
pub mod receipts;
pub mod registry;
pub mod review;
pub mod stats;

use yingji_core::directory::region::{RegionLevel, scope_prefix};
use yingji_core::enforcement::{NOT_AN_ENFORCEMENT_MANAGER, may_manage};
use yingji_core::kernel::role::Scope;
use yingji_store::directory::{departments::Department, regions};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

/// Refuses a caller who may not keep the registers or run draws.
fn require_manager(ctx: &Ctx) -> StoreResult<()> {
    if may_manage(ctx.role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(NOT_AN_ENFORCEMENT_MANAGER.into()))
    }
}

/// A record named in the input that the caller cannot see is a field error, not a 404.
fn named(field: &'static str, message: &'static str) -> impl FnOnce(StoreError) -> StoreError {
    move |e| match e {
        StoreError::NotFound => StoreError::invalid(field, message),
        e => e,
    }
}

/// The region-code prefix of what a department supervises.
async fn department_prefix(store: &Store, department: &Department) -> StoreResult<String> {
    let region = regions::get(store, &Scope::All, &department.region_code).await?;
    Ok(RegionLevel::parse(&region.level)
        .map(|l| scope_prefix(&department.region_code, l).to_string())
        .unwrap_or_default())
}
