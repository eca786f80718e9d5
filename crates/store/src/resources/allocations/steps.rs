//! 审批 / 驳回 / 出库 / 签收 / 撤销: a step checked against the order as read, then applied in the
//! caller's transaction. The status moves first, by compare-and-set; approval reserves on the
//! source lines with a guarded update, shipping takes out of the ledger and releases the
//! reservation, receipt puts into the destination warehouse's line.

use super::{Order, OrderLine, get, log_step};
use crate::kernel::Ctx;
use crate::resources::{self, Move, write_movement};
use crate::response::incidents::{self, Incident};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_core::kernel::role::Scope;
use yingji_core::resources::access::may_take_order_step;
use yingji_core::resources::allocations::{
    LineSteps, ORDER_CHANGED, OrderActionInput, check_step_note, outside_order, refused,
    short_to_approve, short_to_ship, sides_allow, step_bounds, step_label, step_text,
};
use yingji_core::resources::{OrderAction, check_line_quantities, order_next};

/// A step on an order, checked: the order as read, the status it leads to, the note, and the
/// quantities per line (`bounds` empty for the steps without quantities).
#[derive(Debug, Clone)]
pub struct CheckedStep {
    order: Order,
    action: OrderAction,
    next: &'static str,
    note: Option<String>,
    incident: Option<Incident>,
    bounds: Vec<i64>,
    given: Vec<i64>,
}

/// Checks a step: the caller's role may take it and its scope covers the side it belongs to,
/// the order's status allows it, and each line's quantity is within the step before.
pub async fn check_act(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &OrderActionInput,
) -> StoreResult<CheckedStep> {
    let action = OrderAction::parse(&input.action).map_err(|m| StoreError::invalid("action", m))?;
    if !may_take_order_step(ctx.role, action) {
        return Err(StoreError::Forbidden(refused(action)));
    }
    let order = get(store, &ctx.scope, id).await?;
    forbid_outside_order(store, ctx, &order, action, now_ms).await?;
    let next = order_next(&order.status, action).map_err(|m| StoreError::conflict("action", m))?;
    let note = check_step_note(input.note.as_deref())?;
    let incident = match &order.incident_id {
        Some(i) => incidents::get(store, &Scope::All, i, now_ms).await.ok(),
        None => None,
    };
    let steps: Vec<LineSteps> = order
        .lines
        .iter()
        .map(|l| LineSteps {
            requested: l.requested,
            approved: l.approved,
            shipped: l.shipped,
        })
        .collect();
    let bounds = step_bounds(action, &steps);
    let given = input.quantities.clone().unwrap_or_else(|| bounds.clone());
    if !bounds.is_empty() {
        check_line_quantities("quantities", step_label(action), &bounds, &given)?;
    }
    Ok(CheckedStep {
        order,
        action,
        next,
        note,
        incident,
        bounds,
        given,
    })
}

/// Whether the caller's scope covers the side of the order the step belongs to
/// (`core::resources::allocations::sides_allow`).
async fn forbid_outside_order(
    store: &Store,
    ctx: &Ctx,
    order: &Order,
    action: OrderAction,
    now_ms: i64,
) -> StoreResult<()> {
    let from = resources::get_warehouse(store, &Scope::All, &order.from_warehouse_id, now_ms)
        .await?
        .region_code;
    let to = match (&order.to_warehouse_id, &order.incident_id) {
        (Some(w), _) => Some(
            resources::get_warehouse(store, &Scope::All, w, now_ms)
                .await?
                .region_code,
        ),
        (None, Some(i)) => Some(
            incidents::get(store, &Scope::All, i, now_ms)
                .await?
                .region_code,
        ),
        (None, None) => None,
    };
    let covers_to = to.as_deref().is_some_and(|r| ctx.scope.covers_region(r));
    if sides_allow(action, ctx.scope.covers_region(&from), covers_to) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(outside_order(action)))
    }
}

/// Applies a checked step in the caller's transaction: the status, then each line in stock-id
/// order (so that two orders over the same lines lock them in one order), then the record on
/// the audit log and the incident's timeline.
pub async fn act_in(tx: &mut Tx, ctx: &Ctx, now_ms: i64, c: &CheckedStep) -> StoreResult<()> {
    move_status(tx, ctx, now_ms, c).await?;
    let lines = &c.order.lines;
    let mut idx: Vec<usize> = (0..lines.len()).collect();
    idx.sort_by(|&a, &b| lines[a].stock_id.cmp(&lines[b].stock_id));
    for i in idx {
        let q = c.given.get(i).copied().unwrap_or(0);
        match c.action {
            OrderAction::Approve => approve_line(tx, now_ms, c, i, q).await?,
            OrderAction::Ship => ship_line(tx, ctx, now_ms, c, i, q).await?,
            OrderAction::Receive => receive_line(tx, ctx, now_ms, c, i, q).await?,
            OrderAction::Cancel => release_line(tx, &lines[i]).await?,
            OrderAction::Reject => {}
        }
    }
    let moved: Vec<(&str, i64, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !c.bounds.is_empty() && c.given.get(*i).copied().unwrap_or(0) > 0)
        .map(|(i, l)| (l.material_name.as_str(), c.given[i], l.unit.as_str()))
        .collect();
    let text = step_text(&c.order.code, c.action, &moved, c.note.as_deref());
    let (id, incident) = (&c.order.id, c.incident.as_ref());
    log_step(tx, ctx, now_ms, id, incident, audit_action(c.action), &text).await
}

/// The status moves first, by compare-and-set on the status read: of two officers acting at
/// once, one wins.
async fn move_status(tx: &mut Tx, ctx: &Ctx, now_ms: i64, c: &CheckedStep) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE allocation_orders SET status = ");
    u.bind(c.next).push_bind(", updated_ms = ", now_ms);
    match c.action {
        OrderAction::Approve => {
            u.push_bind(", approved_by = ", ctx.display_name.clone())
                .push_bind(", approved_ms = ", now_ms);
        }
        OrderAction::Ship => {
            u.push_bind(", shipped_ms = ", now_ms);
        }
        OrderAction::Receive => {
            u.push_bind(", received_ms = ", now_ms);
        }
        OrderAction::Reject | OrderAction::Cancel => {}
    }
    if let Some(n) = &c.note {
        u.push_bind(", note = ", n.clone());
    }
    u.push_bind(" WHERE id = ", c.order.id.as_str())
        .push_bind(" AND status = ", c.order.status.clone());
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict("action", ORDER_CHANGED));
    }
    Ok(())
}

/// 审批 on line `i`: reserves `q` on the source line, guarded so that what two orders reserve
/// never exceeds what is available.
async fn approve_line(
    tx: &mut Tx,
    now_ms: i64,
    c: &CheckedStep,
    i: usize,
    q: i64,
) -> StoreResult<()> {
    let l = &c.order.lines[i];
    if q > 0 {
        let mut r = Sql::new("UPDATE stock SET reserved = reserved + ");
        r.bind(q)
            .push_bind(", updated_ms = ", now_ms)
            .push_bind(" WHERE id = ", l.stock_id.clone())
            .push_bind(" AND quantity - reserved >= ", q);
        if r.execute(tx).await? == 0 {
            return Err(StoreError::Invalid(yingji_core::Invalid::one(
                format!("quantities[{i}]"),
                short_to_approve(i, &l.material_name, q, &l.unit),
            )));
        }
    }
    set_line(tx, &c.order.id, l.line_no, "approved", q).await
}

/// 出库 on line `i`: takes `q` out of the source line's ledger and releases what was approved.
async fn ship_line(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    c: &CheckedStep,
    i: usize,
    q: i64,
) -> StoreResult<()> {
    let (o, l) = (&c.order, &c.order.lines[i]);
    let m = Move {
        stock_id: &l.stock_id,
        kind: if o.to_warehouse_id.is_some() {
            "transfer_out"
        } else {
            "outbound"
        },
        delta: -q,
        release: l.approved.unwrap_or(0),
        order_id: Some(&o.id),
        incident_id: o.incident_id.as_deref(),
        note: Some(&o.code),
    };
    if write_movement(tx, ctx, now_ms, m).await?.is_none() {
        return Err(StoreError::conflict(
            &format!("quantities[{i}]"),
            short_to_ship(i, &l.material_name),
        ));
    }
    set_line(tx, &o.id, l.line_no, "shipped", q).await
}

/// 签收 on line `i`: puts `q` into the destination warehouse's line (for a site, records it as
/// delivered).
async fn receive_line(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    c: &CheckedStep,
    i: usize,
    q: i64,
) -> StoreResult<()> {
    let (o, l) = (&c.order, &c.order.lines[i]);
    if let (Some(to), true) = (&o.to_warehouse_id, q > 0) {
        let dest = destination_line(tx, now_ms, to, &l.stock_id).await?;
        let m = Move {
            stock_id: &dest,
            kind: "transfer_in",
            delta: q,
            release: 0,
            order_id: Some(&o.id),
            incident_id: o.incident_id.as_deref(),
            note: Some(&o.code),
        };
        write_movement(tx, ctx, now_ms, m).await?;
    }
    set_line(tx, &o.id, l.line_no, "received", q).await
}

/// 撤销 of an approved order gives its reservation back.
async fn release_line(tx: &mut Tx, l: &OrderLine) -> StoreResult<()> {
    if let Some(a) = l.approved.filter(|a| *a > 0) {
        let mut r = Sql::new("UPDATE stock SET reserved = reserved - ");
        r.bind(a)
            .push_bind(" WHERE id = ", l.stock_id.clone())
            .push_bind(" AND reserved >= ", a);
        r.execute(tx).await?;
    }
    Ok(())
}

/// The audit log's action of a step.
fn audit_action(action: OrderAction) -> &'static str {
    match action {
        OrderAction::Approve => "allocation.approve",
        OrderAction::Reject => "allocation.reject",
        OrderAction::Ship => "allocation.ship",
        OrderAction::Receive => "allocation.receive",
        OrderAction::Cancel => "allocation.cancel",
    }
}

async fn set_line(
    tx: &mut Tx,
    order_id: &str,
    line_no: i64,
    column: &str,
    q: i64,
) -> StoreResult<()> {
    let mut u = Sql::new(&format!("UPDATE allocation_lines SET {column} = "));
    u.bind(q)
        .push_bind(" WHERE order_id = ", order_id)
        .push_bind(" AND line_no = ", line_no);
    u.execute(tx).await?;
    Ok(())
}

/// The destination warehouse's physical line of the same material, created empty if missing.
async fn destination_line(
    tx: &mut Tx,
    now_ms: i64,
    warehouse_id: &str,
    source_stock: &str,
) -> StoreResult<String> {
    let mut q =
        Sql::new("SELECT material_code, material_name, category_code, unit FROM stock WHERE id = ");
    q.bind(source_stock);
    let src = q.fetch_one(tx).await?;
    let code: String = src.try_get(0)?;
    let mut f = Sql::new("SELECT id FROM stock WHERE warehouse_id = ");
    f.bind(warehouse_id)
        .push_bind(" AND material_code = ", code.clone())
        .push(" AND reserve_type = 'physical'");
    if let Some(r) = f.fetch_optional(tx).await? {
        return Ok(r.try_get(0)?);
    }
    let id = new_id();
    let mut ins = Sql::new(
        "INSERT INTO stock (id, warehouse_id, material_code, material_name, category_code, unit, reserve_type, quantity, reserved, min_stock, expiry_date, supplier, updated_ms) VALUES ",
    );
    ins.values(vec![
        id.clone().into(),
        warehouse_id.into(),
        code.into(),
        src.try_get::<String, _>(1)?.into(),
        src.try_get::<String, _>(2)?.into(),
        src.try_get::<String, _>(3)?.into(),
        "physical".into(),
        0i64.into(),
        0i64.into(),
        0i64.into(),
        None::<String>.into(),
        None::<String>.into(),
        now_ms.into(),
    ]);
    ins.execute(tx).await?;
    Ok(id)
}
