//! 企业主体责任与信用 (credit): the use cases of 一企一档, licences, commitments, ratings, listings
//! and 安责险, each write in one transaction with its audit record.

pub mod adjustments;
pub mod admission;
pub mod claims;
pub mod commitments;
pub mod coverage;
pub mod disclosure;
pub mod dossier;
pub mod insurance;
pub mod key_people;
pub mod licences;
pub mod listing_criteria;
pub mod listings;
pub mod objections;
pub mod prevention_services;
pub mod rating;
pub mod scheme;
use yingji_core::credit::listings::{NOT_A_MANAGER, may_manage};
use yingji_core::kernel::role::Scope;
use yingji_store::directory::departments::{self, Department};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};
const DEPARTMENT_OUTSIDE_SCOPE: &str = "部门不存在或不在您的管辖范围内";
fn require_manager(ctx: &Ctx) -> StoreResult<()> {
    if may_manage(ctx.role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(NOT_A_MANAGER.into()))
    }
}
/// The department a record is entered for: a department's staff their own, others the one they
/// name within their scope.
async fn department_of(store: &Store, ctx: &Ctx, named: Option<&str>) -> StoreResult<Department> {
    let named = named.map(str::trim).filter(|d| !d.is_empty());
    let id = match (&ctx.scope, named) {
        (Scope::Department { department_id, .. }, Some(n)) if n != department_id => {
            return Err(StoreError::invalid(
                "department_id",
                DEPARTMENT_OUTSIDE_SCOPE,
            ));
        }
        (Scope::Department { department_id, .. }, _) => department_id.clone(),
        (_, Some(n)) => n.to_string(),
        (_, None) => return Err(StoreError::invalid("department_id", "请选择部门")),
    };
    departments::get(store, &ctx.scope, &id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("department_id", DEPARTMENT_OUTSIDE_SCOPE),
            e => e,
        })
}
pub mod duty_reports;
pub mod post_cards;
