//! 物资储备库: the warehouse register.

use super::{
    EXPIRY_WARN_DAYS, ResourceFilter, active_of, audit_change, check_region, district_of,
    forbid_outside, forbid_unless_manager, push_active, push_q, push_visible,
};
use crate::kernel::Ctx;
use crate::kernel::audit::Change;
use crate::kernel::keys;
use crate::kernel::rows::{Target, write_row};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::personal::mask_phone;
use yingji_core::kernel::role::Scope;
use yingji_core::resources::register::Register;
use yingji_core::resources::warehouses::{check_warehouse, warehouse_summary};
use yingji_core::resources::{WAREHOUSE_LEVELS, cell_of, label};

pub use yingji_core::resources::warehouses::WarehouseInput;

#[derive(Debug, Clone, Serialize)]
pub struct Warehouse {
    pub id: String,
    pub name: String,
    pub level: String,
    pub level_label: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    pub manager: String,
    pub phone: String,
    /// Stock lines, those below their minimum, those expired or expiring within 30 days.
    pub lines: i64,
    pub low_lines: i64,
    pub expiring_lines: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

/// The list's select; `warn` is the date (YYYY-MM-DD, computed here, never user input) up to
/// which an expiry counts as 临期.
pub(super) fn warehouse_select(warn: &str) -> String {
    format!(
        "SELECT w.*, \
        (SELECT COUNT(*) FROM stock s WHERE s.warehouse_id = w.id) AS lines, \
        (SELECT COUNT(*) FROM stock s WHERE s.warehouse_id = w.id AND s.quantity - s.reserved < s.min_stock) AS low_lines, \
        (SELECT COUNT(*) FROM stock s WHERE s.warehouse_id = w.id AND s.expiry_date IS NOT NULL AND s.expiry_date <= '{warn}') AS expiring_lines \
        FROM warehouses w"
    )
}

pub(super) fn warehouse_from_row(r: &AnyRow) -> StoreResult<Warehouse> {
    let level: String = r.try_get("level")?;
    Ok(Warehouse {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        level_label: label(WAREHOUSE_LEVELS, &level).into(),
        level,
        address: r.try_get("address")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        region_code: r.try_get("region_code")?,
        manager: r.try_get("manager")?,
        phone: keys::open(r.try_get("phone")?),
        lines: r.try_get("lines")?,
        low_lines: r.try_get("low_lines")?,
        expiring_lines: r.try_get("expiring_lines")?,
        active: active_of(r)?,
    })
}

pub(super) fn warn_date(now_ms: i64) -> String {
    let today = yingji_core::kernel::clock::today(now_ms);
    today
        .checked_add(jiff::Span::new().days(EXPIRY_WARN_DAYS))
        .unwrap_or(today)
        .to_string()
}

pub(super) const WAREHOUSE_COLUMNS: &[&str] = &[
    "id",
    "name",
    "level",
    "address",
    "lon",
    "lat",
    "cell",
    "region_code",
    "district_code",
    "manager",
    "phone",
    "created_ms",
    "updated_ms",
];

/// Registers a warehouse (`existing` None) or edits one, in the caller's transaction.
pub async fn save_warehouse(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    existing: Option<&str>,
    input: &WarehouseInput,
) -> StoreResult<String> {
    forbid_unless_manager(ctx)?;
    if let Some(id) = existing {
        let w = get_warehouse(store, &ctx.scope, id, now_ms).await?;
        forbid_outside(ctx, &w.region_code, Register::Warehouses)?;
    }
    let w = check_warehouse(input)?;
    let region = check_region(store, ctx, "region_code", &input.region_code).await?;
    let id = existing.map_or_else(new_id, str::to_string);
    let target = Target::of(existing, &[]);
    write_row(
        tx,
        "warehouses",
        WAREHOUSE_COLUMNS,
        vec![
            id.clone().into(),
            w.name.clone().into(),
            w.level.clone().into(),
            w.address.clone().into(),
            w.lon.into(),
            w.lat.into(),
            cell_of(w.lon, w.lat).into(),
            region.clone().into(),
            district_of(&region).into(),
            w.manager.clone().into(),
            keys::seal(&w.phone)?.into(),
            now_ms.into(),
            now_ms.into(),
        ],
        target,
    )
    .await?;
    audit_change(
        tx,
        ctx,
        now_ms,
        Change {
            after: Some(serde_json::json!({"name": w.name, "level": w.level, "phone": mask_phone(&w.phone)})),
            ..Change::of(
                if target.is_insert() {
                    "warehouse.create"
                } else {
                    "warehouse.update"
                },
                "warehouse",
                &id,
                warehouse_summary(target.is_insert(), &w),
            )
        },
    )
    .await?;
    Ok(id)
}

pub async fn get_warehouse(
    store: &Store,
    scope: &Scope,
    id: &str,
    now_ms: i64,
) -> StoreResult<Warehouse> {
    let mut q = Sql::new(&warehouse_select(&warn_date(now_ms)));
    q.push_bind(" WHERE w.id = ", id);
    push_visible(&mut q, "w", scope);
    warehouse_from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn list_warehouses(
    store: &Store,
    scope: &Scope,
    f: &ResourceFilter,
    page: Page,
    now_ms: i64,
) -> StoreResult<(Vec<Warehouse>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_visible(&mut w, "w", scope);
    push_q(&mut w, f, &["w.name", "w.address"]);
    push_active(&mut w, "w", f.active);
    if let Some(k) = &f.kind {
        w.push_bind(" AND w.level = ", k.as_str());
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM warehouses w",
            &warehouse_select(&warn_date(now_ms)),
            w,
            "w.level, w.name, w.id",
            page,
            warehouse_from_row,
        )
        .await
}
