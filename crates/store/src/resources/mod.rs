//! 应急资源: rescue teams, the 专家库, warehouses with their stock lines kept as a ledger, shelters
//! with their occupancy, and the search for what is near a point. Allocation orders are in
//! `allocations`, dispatches to an incident in `dispatches`. Rules are in `yingji_core::resources`.
//!
//! Resources belong to a district and every caller of that district may see them (in an
//! emergency a street needs the district's warehouses); enterprises see none. Writes need a role
//! that manages resources and a region inside the caller's scope.
//!
//! The writes take the caller's transaction (`save_*`, `insert_stock`, `*_in`), with `check_*`
//! reads before it; the use cases that begin and commit it are in `yingji-app`
//! (`resources::{registers, stock, shelters, allocations}`).

mod teams;
pub use teams::save_team;
use teams::team_from_row;
pub use teams::{Team, TeamInput, get_team, list_teams};
mod experts;
use experts::expert_from_row;
pub use experts::save_expert;
pub use experts::{Expert, ExpertInput, get_expert, list_experts};
mod warehouses;
pub use warehouses::save_warehouse;
use warehouses::warn_date;
pub use warehouses::{Warehouse, WarehouseInput, get_warehouse, list_warehouses};
mod stock;
pub use stock::insert_stock;
pub use stock::{
    CheckedStockEdit, CheckedStockMovement, Movement, MovementInput, StockEdit, StockInput,
    StockLine, add_movement_in, check_add_movement, check_update_stock, get_stock, list_stock,
    movements, update_stock_in,
};
pub(crate) use stock::{Move, is_unique_violation, write_movement};
mod shelters;
pub use shelters::save_shelter;
use shelters::shelter_from_row;
pub use shelters::{
    CheckedShelterMovement, Shelter, ShelterInput, ShelterMovementInput, check_shelter_movement,
    get_shelter, list_shelters, shelter_movement_in,
};
mod search;
pub use search::{SearchHit, SearchQuery, SearchResult, incident_location, search};

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::sync::OnceLock;
use yingji_core::kernel::role::Scope;
use yingji_core::resources::Refusal;
use yingji_core::resources::access::may_manage_resources;
use yingji_core::resources::fields;
use yingji_core::resources::register::Register;

pub mod allocations;
pub mod availability;
pub mod map_layers;
pub mod registers;
pub mod workbench;

// ---------------------------------------------------------------------------------------------
// The material catalogue (data/resources/materials.json)

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MaterialCategory {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Material {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub category: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalogue {
    pub note: String,
    pub categories: Vec<MaterialCategory>,
    pub materials: Vec<Material>,
}

pub fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(|| {
        serde_json::from_str(include_str!("../../../../data/resources/materials.json"))
            .unwrap_or_else(|_| Catalogue {
                note: String::new(),
                categories: vec![],
                materials: vec![],
            })
    })
}

pub fn material(code: &str) -> Option<&'static Material> {
    catalogue().materials.iter().find(|m| m.code == code)
}

// ---------------------------------------------------------------------------------------------
// Shared checks

pub(crate) fn forbid_unless_manager(ctx: &Ctx) -> StoreResult<()> {
    if may_manage_resources(ctx.role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(fields::MANAGE_DENIED.into()))
    }
}

/// Writes reach only records inside the caller's own region (resources are read district-wide,
/// but a street manages its own): checked on the target record (a record of `what`), before
/// anything changes.
pub(crate) fn forbid_outside(ctx: &Ctx, region_code: &str, what: Register) -> StoreResult<()> {
    if ctx.scope.covers_region(region_code) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(fields::outside_scope(what.name())))
    }
}

impl From<Refusal> for StoreError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Invalid(i) => StoreError::Invalid(i),
            Refusal::Conflict { field, message } => StoreError::conflict(field, message),
        }
    }
}

/// Resources of the caller's district; enterprises see none.
pub(crate) fn push_visible(sql: &mut Sql, alias: &str, scope: &Scope) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            sql.push_bind(
                &format!(" AND {alias}.district_code = "),
                prefix.get(..6).unwrap_or(prefix).to_string(),
            );
        }
        // 保险机构人员 see only their policyholders' 安责险 records (credit::insurance).
        Scope::Insurer { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::Enterprise { .. } => {
            sql.push(" AND 1 = 0");
        }
    }
}

/// A region the caller may place a resource in: it exists and lies inside the caller's scope.
async fn check_region(store: &Store, ctx: &Ctx, field: &str, code: &str) -> StoreResult<String> {
    let code = code.trim();
    if crate::directory::regions::get(store, &Scope::All, code)
        .await
        .is_err()
    {
        return Err(StoreError::invalid(field, fields::unknown_region(code)));
    }
    if !ctx.scope.covers_region(code) {
        return Err(StoreError::Forbidden(fields::REGION_OUTSIDE_SCOPE.into()));
    }
    Ok(code.to_string())
}

/// The district (first six digits) a region belongs to.
fn district_of(region: &str) -> String {
    region.get(..6).unwrap_or(region).to_string()
}

/// Appends a register write's record to the audit log, as the caller.
async fn audit_change(tx: &mut Tx, ctx: &Ctx, now_ms: i64, change: Change<'_>) -> StoreResult<()> {
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct ResourceFilter {
    pub q: Option<String>,
    /// team kind, expert section, warehouse level, shelter kind
    pub kind: Option<String>,
    pub status: Option<String>,
    pub warehouse_id: Option<String>,
    pub category: Option<String>,
    /// low (below the minimum) / expiring / expired
    pub alert: Option<String>,
    /// In use (true) or deactivated (false); both when unset.
    pub active: Option<bool>,
}

pub(crate) fn push_active(sql: &mut Sql, alias: &str, active: Option<bool>) {
    match active {
        Some(true) => sql.push(&format!(" AND {alias}.deactivated_ms IS NULL")),
        Some(false) => sql.push(&format!(" AND {alias}.deactivated_ms IS NOT NULL")),
        None => sql,
    };
}

/// Whether a row of a register is in use (its `deactivated_ms` is NULL).
pub(crate) fn active_of(r: &AnyRow) -> StoreResult<bool> {
    Ok(r.try_get::<Option<i64>, _>("deactivated_ms")?.is_none())
}

fn push_q(sql: &mut Sql, f: &ResourceFilter, columns: &[&str]) {
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let like = crate::db::like_contains(q);
        sql.push(" AND (");
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push_bind(&format!("{c} LIKE "), like.clone())
                .push(" ESCAPE '\\'");
        }
        sql.push(")");
    }
}

// ---------------------------------------------------------------------------------------------
// Teams

// ---------------------------------------------------------------------------------------------
// Experts

// ---------------------------------------------------------------------------------------------
// Warehouses and stock

/// Expiry dates are compared as text (YYYY-MM-DD sorts as dates).
const EXPIRY_WARN_DAYS: i64 = 30;

// ---------------------------------------------------------------------------------------------
// Shelters

// ---------------------------------------------------------------------------------------------
// Search: nearest first, by capability or material
