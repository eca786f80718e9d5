//! Stock lines of a warehouse and their ledger of movements (入库, 出库, 调拨, 报损 …).

use super::{
    EXPIRY_WARN_DAYS, Material, ResourceFilter, Warehouse, active_of, audit_change, catalogue,
    forbid_outside, forbid_unless_manager, get_warehouse, material, push_active, push_q,
    push_visible, warn_date,
};
use crate::kernel::Ctx;
use crate::kernel::audit::Change;
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::role::Scope;
use yingji_core::resources::register::Register;
use yingji_core::resources::stock::{
    CheckedMovement, LINE_CHANGED, LineState, OPENING_NOTE, SHORT_OF_STOCK, Terms, UNKNOWN_ALERT,
    UNKNOWN_WAREHOUSE, check_edit, check_movement, check_new_line, line_edited, line_opened,
    line_taken, movement_summary, warehouse_inactive,
};
use yingji_core::resources::{self as rules, MOVEMENT_KINDS, RESERVE_TYPES, StockLevel, label};

pub use yingji_core::resources::stock::{MovementInput, StockEdit, StockInput};

#[derive(Debug, Clone, Serialize)]
pub struct StockLine {
    pub id: String,
    pub warehouse_id: String,
    pub warehouse_name: String,
    pub material_code: String,
    pub material_name: String,
    pub category_code: String,
    pub category_name: String,
    pub unit: String,
    pub reserve_type: String,
    pub reserve_type_label: String,
    pub quantity: i64,
    pub reserved: i64,
    pub available: i64,
    pub min_stock: i64,
    /// Available below the minimum.
    pub low: bool,
    pub expiry_date: Option<String>,
    /// expired / expiring
    pub expiry_state: Option<String>,
    pub supplier: Option<String>,
    pub updated_ms: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

pub(super) const STOCK_SELECT: &str =
    "SELECT s.*, w.name AS warehouse_name FROM stock s JOIN warehouses w ON w.id = s.warehouse_id";

pub(super) fn category_name(code: &str) -> String {
    catalogue()
        .categories
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

pub(super) fn stock_from_row(r: &AnyRow, now_ms: i64) -> StoreResult<StockLine> {
    let quantity: i64 = r.try_get("quantity")?;
    let reserved: i64 = r.try_get("reserved")?;
    let min_stock: i64 = r.try_get("min_stock")?;
    let reserve_type: String = r.try_get("reserve_type")?;
    let category_code: String = r.try_get("category_code")?;
    let expiry_date: Option<String> = r.try_get("expiry_date")?;
    let expiry_state = rules::expiry_state(
        expiry_date.as_deref().and_then(|d| d.parse().ok()),
        yingji_core::kernel::clock::today(now_ms),
        EXPIRY_WARN_DAYS,
    );
    Ok(StockLine {
        id: r.try_get("id")?,
        warehouse_id: r.try_get("warehouse_id")?,
        warehouse_name: r.try_get("warehouse_name")?,
        material_code: r.try_get("material_code")?,
        material_name: r.try_get("material_name")?,
        category_name: category_name(&category_code),
        category_code,
        unit: r.try_get("unit")?,
        reserve_type_label: label(RESERVE_TYPES, &reserve_type).into(),
        reserve_type,
        quantity,
        reserved,
        available: quantity - reserved,
        min_stock,
        low: quantity - reserved < min_stock,
        expiry_date,
        expiry_state: expiry_state.map(str::to_string),
        supplier: r.try_get("supplier")?,
        updated_ms: r.try_get("updated_ms")?,
        active: active_of(r)?,
    })
}

pub async fn get_stock(
    store: &Store,
    scope: &Scope,
    id: &str,
    now_ms: i64,
) -> StoreResult<StockLine> {
    let mut q = Sql::new(STOCK_SELECT);
    q.push_bind(" WHERE s.id = ", id);
    push_visible(&mut q, "w", scope);
    stock_from_row(
        &store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?,
        now_ms,
    )
}

pub async fn list_stock(
    store: &Store,
    scope: &Scope,
    f: &ResourceFilter,
    page: Page,
    now_ms: i64,
) -> StoreResult<(Vec<StockLine>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_visible(&mut w, "w", scope);
    push_q(&mut w, f, &["s.material_name", "s.material_code", "w.name"]);
    push_active(&mut w, "s", f.active);
    if let Some(id) = &f.warehouse_id {
        w.push_bind(" AND s.warehouse_id = ", id.as_str());
    }
    if let Some(c) = &f.category {
        w.push_bind(" AND s.category_code = ", c.as_str());
    }
    if let Some(k) = &f.kind {
        w.push_bind(" AND s.reserve_type = ", k.as_str());
    }
    let today = yingji_core::kernel::clock::today(now_ms).to_string();
    match f.alert.as_deref() {
        Some("low") => {
            w.push(" AND s.quantity - s.reserved < s.min_stock");
        }
        Some("expiring") => {
            w.push(" AND s.expiry_date IS NOT NULL")
                .push_bind(" AND s.expiry_date <= ", warn_date(now_ms));
        }
        Some("expired") => {
            w.push(" AND s.expiry_date IS NOT NULL")
                .push_bind(" AND s.expiry_date < ", today);
        }
        Some(_) => {
            return Err(StoreError::invalid("alert", UNKNOWN_ALERT));
        }
        None => {}
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM stock s JOIN warehouses w ON w.id = s.warehouse_id",
            STOCK_SELECT,
            w,
            "w.name, s.category_code, s.material_code, s.id",
            page,
            |r| stock_from_row(r, now_ms),
        )
        .await
}

/// Opens a stock line in the caller's transaction; returns its id.
pub async fn insert_stock(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &StockInput,
) -> StoreResult<String> {
    let wh = line_warehouse(store, ctx, now_ms, &input.warehouse_id).await?;
    let m = material(&input.material_code);
    let (qty, terms) = check_new_line(input, m.is_some())?;
    // check_new_line refused a code outside the catalogue.
    let m = m.ok_or(StoreError::NotFound)?;
    if !wh.active {
        return Err(StoreError::conflict(
            "warehouse_id",
            warehouse_inactive(&wh.name),
        ));
    }
    let id = new_id();
    insert_line(tx, now_ms, &id, &wh, m, terms).await?;
    if qty > 0 {
        let m = Move {
            stock_id: &id,
            kind: "inbound",
            delta: qty,
            release: 0,
            order_id: None,
            incident_id: None,
            note: Some(OPENING_NOTE),
        };
        write_movement(tx, ctx, now_ms, m).await?;
    }
    let summary = line_opened(&wh.name, &m.name, qty, &m.unit);
    audit_change(
        tx,
        ctx,
        now_ms,
        Change {
            after: Some(
                serde_json::json!({"warehouse": wh.name, "material": m.code, "quantity": qty}),
            ),
            ..Change::of("stock.create", "stock", &id, summary)
        },
    )
    .await?;
    Ok(id)
}

/// The warehouse a new line names: it exists, the caller sees it and manages its region.
async fn line_warehouse(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    warehouse_id: &str,
) -> StoreResult<Warehouse> {
    forbid_unless_manager(ctx)?;
    let wh = get_warehouse(store, &ctx.scope, warehouse_id, now_ms)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("warehouse_id", UNKNOWN_WAREHOUSE),
            e => e,
        })?;
    forbid_outside(ctx, &wh.region_code, Register::Warehouses)?;
    Ok(wh)
}

/// Inserts a line's row, empty (its opening quantity is a movement); refused when the warehouse
/// already holds the material with that reserve type.
async fn insert_line(
    tx: &mut Tx,
    now_ms: i64,
    id: &str,
    wh: &Warehouse,
    m: &Material,
    terms: Terms,
) -> StoreResult<()> {
    let taken = || {
        StoreError::conflict(
            "material_code",
            line_taken(&wh.name, &m.name, &terms.reserve_type, true),
        )
    };
    // Checked in the transaction, so that two rows of one import cannot both open the line
    // (the unique key stays the guard against concurrent requests).
    let mut dup = Sql::new("SELECT COUNT(*) FROM stock WHERE warehouse_id = ");
    dup.bind(wh.id.as_str())
        .push_bind(" AND material_code = ", m.code.as_str())
        .push_bind(" AND reserve_type = ", terms.reserve_type.as_str());
    if dup.fetch_one(tx).await?.try_get::<i64, _>(0)? > 0 {
        return Err(taken());
    }
    let mut q = Sql::new(
        "INSERT INTO stock (id, warehouse_id, material_code, material_name, category_code, unit, reserve_type, quantity, reserved, min_stock, expiry_date, supplier, updated_ms) VALUES ",
    );
    q.values(vec![
        id.into(),
        wh.id.clone().into(),
        m.code.clone().into(),
        m.name.clone().into(),
        m.category.clone().into(),
        m.unit.clone().into(),
        terms.reserve_type.clone().into(),
        0i64.into(),
        0i64.into(),
        terms.min_stock.into(),
        terms.expiry_date.clone().into(),
        terms.supplier.clone().into(),
        now_ms.into(),
    ]);
    match q.execute(tx).await {
        Err(StoreError::Db(ref d)) if is_unique_violation(d) => Err(taken()),
        r => r.map(|_| ()),
    }
}

/// A stock line the caller may change, with its warehouse: the caller manages resources and the
/// warehouse's region.
async fn managed_line(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
) -> StoreResult<(StockLine, Warehouse)> {
    forbid_unless_manager(ctx)?;
    let line = get_stock(store, &ctx.scope, id, now_ms).await?;
    let wh = get_warehouse(store, &ctx.scope, &line.warehouse_id, now_ms).await?;
    forbid_outside(ctx, &wh.region_code, Register::Warehouses)?;
    Ok((line, wh))
}

/// An edit of a stock line, checked: the line as read and its new terms.
#[derive(Debug, Clone)]
pub struct CheckedStockEdit {
    line: StockLine,
    terms: Terms,
}

/// Checks an edit of a stock line: the caller manages its warehouse, the terms are valid.
pub async fn check_update_stock(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &StockEdit,
) -> StoreResult<CheckedStockEdit> {
    let (line, _) = managed_line(store, ctx, now_ms, id).await?;
    let terms = check_edit(input)?;
    Ok(CheckedStockEdit { line, terms })
}

/// Writes a checked edit of a stock line in the caller's transaction; another line of the same
/// material and reserve type in the warehouse refuses it.
pub async fn update_stock_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    c: &CheckedStockEdit,
) -> StoreResult<()> {
    let (line, t) = (&c.line, &c.terms);
    let mut u = Sql::new("UPDATE stock SET reserve_type = ");
    u.bind(t.reserve_type.clone())
        .push_bind(", min_stock = ", t.min_stock)
        .push_bind(", expiry_date = ", t.expiry_date.clone())
        .push_bind(", supplier = ", t.supplier.clone())
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", line.id.as_str());
    if let Err(e) = u.execute(tx).await {
        return Err(match e {
            StoreError::Db(ref d) if is_unique_violation(d) => StoreError::conflict(
                "reserve_type",
                line_taken(
                    &line.warehouse_name,
                    &line.material_name,
                    &t.reserve_type,
                    false,
                ),
            ),
            e => e,
        });
    }
    let summary = line_edited(&line.warehouse_name, &line.material_name);
    audit_change(
        tx,
        ctx,
        now_ms,
        Change {
            after: Some(
                serde_json::json!({"reserve_type": t.reserve_type, "min_stock": t.min_stock, "expiry_date": t.expiry_date, "supplier": t.supplier}),
            ),
            ..Change::of("stock.update", "stock", &line.id, summary)
        },
    )
    .await
}

pub(crate) use crate::kernel::is_unique_violation;

/// One ledger movement on a stock line.
pub(crate) struct Move<'a> {
    pub stock_id: &'a str,
    pub kind: &'a str,
    pub delta: i64,
    /// Reservation released with it (shipping an approved order).
    pub release: i64,
    pub order_id: Option<&'a str>,
    pub incident_id: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Writes one movement and moves the line's quantity by its delta, guarded so that the line never
/// goes below zero nor below what stays reserved. Returns the balance after it, or None when the
/// guard refused (the caller names the line).
pub(crate) async fn write_movement(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    m: Move<'_>,
) -> StoreResult<Option<i64>> {
    let mut u = Sql::new("UPDATE stock SET quantity = quantity + ");
    u.bind(m.delta)
        .push_bind(", reserved = reserved - ", m.release)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", m.stock_id)
        .push_bind(" AND reserved >= ", m.release)
        .push_bind(" AND quantity + ", m.delta)
        .push_bind(" >= reserved - ", m.release)
        .push(" RETURNING quantity");
    let Some(row) = u.fetch_optional(tx).await? else {
        return Ok(None);
    };
    let balance: i64 = row.try_get(0)?;
    let mut q = Sql::new(
        "INSERT INTO stock_movements (id, stock_id, kind, delta, balance_after, at_ms, order_id, incident_id, note, author) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        m.stock_id.into(),
        m.kind.into(),
        m.delta.into(),
        balance.into(),
        now_ms.into(),
        m.order_id.into(),
        m.incident_id.into(),
        m.note.into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(tx).await?;
    Ok(Some(balance))
}

#[derive(Debug, Clone, Serialize)]
pub struct Movement {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub delta: i64,
    pub balance_after: i64,
    pub at_ms: i64,
    pub order_id: Option<String>,
    pub incident_id: Option<String>,
    pub note: Option<String>,
    pub author: String,
}

/// A manual movement on a stock line, checked against the line as read.
#[derive(Debug, Clone)]
pub struct CheckedStockMovement {
    line: StockLine,
    m: CheckedMovement,
}

/// Checks 入库 / 出库 / 盘点 / 报损 on a line: the caller manages its warehouse, and the movement
/// keeps the line as read within its bounds (`core::resources::stock::check_movement`).
pub async fn check_add_movement(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    stock_id: &str,
    input: &MovementInput,
) -> StoreResult<CheckedStockMovement> {
    let (line, wh) = managed_line(store, ctx, now_ms, stock_id).await?;
    let state = LineState {
        level: StockLevel {
            quantity: line.quantity,
            reserved: line.reserved,
        },
        in_use: line.active && wh.active,
    };
    let m = check_movement(state, input)?;
    Ok(CheckedStockMovement { line, m })
}

/// Writes a checked movement in the caller's transaction. The delta was computed from the line
/// as read, and the update is a compare-and-set on that reading, so a concurrent change makes
/// this one fail rather than apply a stale 盘点.
pub async fn add_movement_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    c: &CheckedStockMovement,
) -> StoreResult<()> {
    let (line, m) = (&c.line, &c.m);
    let mut cas = Sql::new("SELECT quantity, reserved FROM stock WHERE id = ");
    cas.bind(line.id.as_str());
    let now_row = cas.fetch_one(tx).await?;
    let (q_now, r_now): (i64, i64) = (now_row.try_get(0)?, now_row.try_get(1)?);
    if (q_now, r_now) != (line.quantity, line.reserved) {
        return Err(StoreError::conflict("quantity", LINE_CHANGED));
    }
    if m.moves_ledger() {
        let mv = Move {
            stock_id: &line.id,
            kind: &m.kind,
            delta: m.delta,
            release: 0,
            order_id: None,
            incident_id: None,
            note: m.note.as_deref(),
        };
        if write_movement(tx, ctx, now_ms, mv).await?.is_none() {
            return Err(StoreError::conflict("quantity", SHORT_OF_STOCK));
        }
    }
    let balance = line.quantity + m.delta;
    let summary = movement_summary(
        label(MOVEMENT_KINDS, &m.kind),
        &line.warehouse_name,
        &line.material_name,
        m.delta,
        &line.unit,
        balance,
    );
    audit_change(
        tx,
        ctx,
        now_ms,
        Change {
            after: Some(serde_json::json!({"kind": m.kind, "delta": m.delta, "balance": balance})),
            ..Change::of(&format!("stock.{}", m.kind), "stock", &line.id, summary)
        },
    )
    .await
}

pub async fn movements(
    store: &Store,
    scope: &Scope,
    stock_id: &str,
    now_ms: i64,
) -> StoreResult<Vec<Movement>> {
    get_stock(store, scope, stock_id, now_ms).await?;
    let mut q = Sql::new("SELECT * FROM stock_movements WHERE stock_id = ");
    q.bind(stock_id).push(" ORDER BY at_ms, id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            Ok(Movement {
                id: r.try_get("id")?,
                kind_label: label(MOVEMENT_KINDS, &kind).into(),
                kind,
                delta: r.try_get("delta")?,
                balance_after: r.try_get("balance_after")?,
                at_ms: r.try_get("at_ms")?,
                order_id: r.try_get("order_id")?,
                incident_id: r.try_get("incident_id")?,
                note: r.try_get("note")?,
                author: r.try_get("author")?,
            })
        })
        .collect()
}
