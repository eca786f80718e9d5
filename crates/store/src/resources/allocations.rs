//! 调拨单: 申请 → 审批 → 出库 → 签收, with partial fulfilment at every step. Approval reserves the
//! approved quantities on the source lines with a guarded update (`quantity - reserved >= n`), so
//! two orders approved at the same moment can never promise more than is in stock; shipping takes
//! the shipped quantity out of the ledger and releases the reservation; receipt puts what arrived
//! into the destination warehouse's line (or, for a site, records it as delivered).

use crate::kernel::Ctx;
use crate::resources::{self, Move, push_visible, write_movement};
use crate::response::incidents::{self, Step};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::{Errors, optional_text};
use yingji_core::resources::allocations::{
    SourceLine, SourceWarehouse, check_request, check_request_line, order_code, outside_order,
    refused, request_text, short_to_approve, short_to_ship, step_label, step_text,
};
use yingji_core::resources::{
    ORDER_STATUSES, OrderAction, check_line_quantities, label, order_next,
};

pub use yingji_core::resources::allocations::{OrderActionInput, OrderInput, OrderLineInput};

#[derive(Debug, Clone, Serialize)]
pub struct OrderLine {
    pub line_no: i64,
    pub stock_id: String,
    pub material_code: String,
    pub material_name: String,
    pub unit: String,
    pub requested: i64,
    pub approved: Option<i64>,
    pub shipped: Option<i64>,
    pub received: Option<i64>,
    /// The source line's available stock now.
    pub available: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Order {
    pub id: String,
    pub code: String,
    pub status: String,
    pub status_label: String,
    pub incident_id: Option<String>,
    pub from_warehouse_id: String,
    pub from_warehouse_name: String,
    pub to_warehouse_id: Option<String>,
    pub to_warehouse_name: Option<String>,
    pub destination: String,
    pub purpose: String,
    pub requested_by: String,
    pub requested_ms: i64,
    pub approved_by: Option<String>,
    pub approved_ms: Option<i64>,
    pub shipped_ms: Option<i64>,
    pub received_ms: Option<i64>,
    pub note: Option<String>,
    /// Some line got less than asked for at some step.
    pub partial: bool,
    pub lines: Vec<OrderLine>,
}

const SELECT: &str = "SELECT o.*, fw.name AS from_name, tw.name AS to_name FROM allocation_orders o \
    JOIN warehouses fw ON fw.id = o.from_warehouse_id LEFT JOIN warehouses tw ON tw.id = o.to_warehouse_id";

async fn order_from_row(store: &Store, r: &AnyRow) -> StoreResult<Order> {
    let id: String = r.try_get("id")?;
    let status: String = r.try_get("status")?;
    let mut q = Sql::new(
        "SELECT l.*, s.material_code, s.material_name, s.unit, s.quantity - s.reserved AS available \
         FROM allocation_lines l JOIN stock s ON s.id = l.stock_id WHERE l.order_id = ",
    );
    q.bind(id.as_str()).push(" ORDER BY l.line_no");
    let lines: Vec<OrderLine> = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|l| {
            Ok(OrderLine {
                line_no: l.try_get("line_no")?,
                stock_id: l.try_get("stock_id")?,
                material_code: l.try_get("material_code")?,
                material_name: l.try_get("material_name")?,
                unit: l.try_get("unit")?,
                requested: l.try_get("requested")?,
                approved: l.try_get("approved")?,
                shipped: l.try_get("shipped")?,
                received: l.try_get("received")?,
                available: l.try_get("available")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    let partial = lines.iter().any(|l| {
        l.approved.is_some_and(|a| a < l.requested)
            || l.shipped.is_some_and(|s| Some(s) < l.approved)
            || l.received.is_some_and(|x| Some(x) < l.shipped)
    });
    Ok(Order {
        code: r.try_get("code")?,
        status_label: label(ORDER_STATUSES, &status).into(),
        status,
        incident_id: r.try_get("incident_id")?,
        from_warehouse_id: r.try_get("from_warehouse_id")?,
        from_warehouse_name: r.try_get("from_name")?,
        to_warehouse_id: r.try_get("to_warehouse_id")?,
        to_warehouse_name: r.try_get("to_name")?,
        destination: r.try_get("destination")?,
        purpose: r.try_get("purpose")?,
        requested_by: r.try_get("requested_by")?,
        requested_ms: r.try_get("requested_ms")?,
        approved_by: r.try_get("approved_by")?,
        approved_ms: r.try_get("approved_ms")?,
        shipped_ms: r.try_get("shipped_ms")?,
        received_ms: r.try_get("received_ms")?,
        note: r.try_get("note")?,
        partial,
        lines,
        id,
    })
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Order> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" WHERE o.id = ", id);
    push_visible(&mut q, "o", scope);
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    order_from_row(store, &row).await
}

#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub status: Option<String>,
    pub incident_id: Option<String>,
    pub warehouse_id: Option<String>,
}

pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &OrderFilter,
    page: Page,
) -> StoreResult<(Vec<Order>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_visible(&mut w, "o", scope);
    if let Some(s) = &f.status {
        w.push_bind(" AND o.status = ", s.as_str());
    }
    if let Some(i) = &f.incident_id {
        w.push_bind(" AND o.incident_id = ", i.as_str());
    }
    if let Some(wh) = &f.warehouse_id {
        w.push_bind(" AND (o.from_warehouse_id = ", wh.as_str())
            .push_bind(" OR o.to_warehouse_id = ", wh.as_str())
            .push(")");
    }
    let (rows, total) = store
        .page_of(
            "SELECT COUNT(*) FROM allocation_orders o",
            SELECT,
            w,
            "o.requested_ms DESC, o.id DESC",
            page,
            |r| Ok(r.try_get::<String, _>("id")?),
        )
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for id in rows {
        items.push(get(store, scope, &id).await?);
    }
    Ok((items, total))
}

/// 申请: the lines must be the source warehouse's and within its available stock now (approval
/// checks again, atomically).
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &OrderInput,
) -> StoreResult<Order> {
    if !yingji_core::resources::access::may_manage_resources(ctx.role) {
        return Err(StoreError::Forbidden("您没有申请物资调拨的权限".into()));
    }
    let from = resources::get_warehouse(store, &ctx.scope, &input.from_warehouse_id, now_ms)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("from_warehouse_id", "调出储备库不存在"),
            e => e,
        })?;
    let mut errs = Errors::default();
    let to = match input.to_warehouse_id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) if id == from.id => {
            errs.add("to_warehouse_id", "调入储备库不能与调出储备库相同");
            None
        }
        Some(id) => match resources::get_warehouse(store, &ctx.scope, id, now_ms).await {
            Ok(w) => Some(w),
            Err(StoreError::NotFound) => {
                errs.add("to_warehouse_id", "调入储备库不存在");
                None
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    let incident = match input.incident_id.as_deref().filter(|s| !s.is_empty()) {
        Some(id) => match incidents::get(store, &ctx.scope, id, now_ms).await {
            Ok(i) => Some(i),
            Err(StoreError::NotFound) => {
                errs.add("incident_id", "事件不存在");
                None
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    // The requester is the sending or the receiving side: a street cannot order another street's
    // materials to a third place.
    let to_region = to
        .as_ref()
        .map(|w| w.region_code.as_str())
        .or(incident.as_ref().map(|i| i.region_code.as_str()));
    if !ctx.scope.covers_region(&from.region_code)
        && !to_region.is_some_and(|r| ctx.scope.covers_region(r))
    {
        return Err(StoreError::Forbidden(
            "调出储备库和调入地点都不在您的管辖范围内".into(),
        ));
    }
    let has_target = input
        .to_warehouse_id
        .as_deref()
        .is_some_and(|s| !s.is_empty())
        || incident.is_some();
    let fallback = to
        .as_ref()
        .map(|w| w.name.clone())
        .or_else(|| incident.as_ref().map(|i| i.location.clone()));
    let (purpose, destination) = check_request(&mut errs, input, has_target, fallback);
    let from_side = SourceWarehouse {
        id: &from.id,
        name: &from.name,
        active: from.active,
    };
    let mut seen = std::collections::HashSet::new();
    for (i, l) in input.lines.iter().enumerate() {
        if !seen.insert(l.stock_id.clone()) {
            check_request_line(&mut errs, i, l.quantity, true, None, from_side);
            continue;
        }
        let stock = match resources::get_stock(store, &ctx.scope, &l.stock_id, now_ms).await {
            Ok(s) => Some(s),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e),
        };
        let source = stock.as_ref().map(|s| SourceLine {
            warehouse_id: &s.warehouse_id,
            active: s.active,
            material_name: &s.material_name,
            available: s.available,
            unit: &s.unit,
        });
        check_request_line(&mut errs, i, l.quantity, false, source, from_side);
    }
    let (Some(purpose), true) = (purpose, errs.is_empty()) else {
        return Err(errs.into_invalid().into());
    };
    let destination = destination.unwrap_or_default();
    let id = new_id();
    let mut tx = store.begin().await?;
    let year = yingji_core::prevention::hazard::today(now_ms).year();
    let n = crate::kernel::sequences::next_in_sequence(
        &mut tx,
        &format!("DB-{}-{year}", from.region_code.get(..6).unwrap_or("")),
    )
    .await?;
    let code = order_code(year, n);
    let mut q = Sql::new(
        "INSERT INTO allocation_orders (id, code, status, incident_id, from_warehouse_id, to_warehouse_id, destination, purpose, district_code, requested_by, requested_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        code.clone().into(),
        "requested".into(),
        incident.as_ref().map(|i| i.id.clone()).into(),
        from.id.clone().into(),
        to.as_ref().map(|w| w.id.clone()).into(),
        destination.clone().into(),
        purpose.clone().into(),
        from.region_code.get(..6).unwrap_or("").into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(&mut tx).await?;
    for (i, l) in input.lines.iter().enumerate() {
        let mut q = Sql::new(
            "INSERT INTO allocation_lines (id, order_id, line_no, stock_id, requested) VALUES ",
        );
        q.values(vec![
            new_id().into(),
            id.clone().into(),
            (i as i64 + 1).into(),
            l.stock_id.clone().into(),
            l.quantity.into(),
        ]);
        q.execute(&mut tx).await?;
    }
    let text = request_text(&code, &from.name, &destination, &purpose);
    log_step(
        &mut tx,
        ctx,
        now_ms,
        &id,
        incident.as_ref(),
        "allocation.request",
        &text,
    )
    .await?;
    tx.commit().await?;
    get(store, &ctx.scope, &id).await
}

/// Writes the step to the audit log, and to the incident's timeline when the order serves one.
async fn log_step(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    order_id: &str,
    incident: Option<&incidents::Incident>,
    action: &'static str,
    text: &str,
) -> StoreResult<()> {
    match incident {
        Some(i) => {
            let step = Step {
                action,
                kind: "allocation",
                at_ms: now_ms,
                text,
                before: None,
                after: Some(serde_json::json!({"order_id": order_id})),
            };
            incidents::record(tx, ctx, now_ms, &i.id, &i.heading(), step).await
        }
        None => {
            crate::kernel::audit::append(
                tx,
                now_ms,
                &ctx.actor,
                crate::kernel::audit::Change {
                    action,
                    entity_type: "allocation_order",
                    entity_id: Some(order_id),
                    summary: text.to_string(),
                    before: None,
                    after: None,
                },
            )
            .await?;
            Ok(())
        }
    }
}

/// 出库 is the source's, 签收 the destination's, 撤销 either side's; 审批 is the leaders'.
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
    let covers = |r: &Option<String>| r.as_deref().is_some_and(|r| ctx.scope.covers_region(r));
    let ok = match action {
        OrderAction::Approve | OrderAction::Reject => true,
        OrderAction::Ship => ctx.scope.covers_region(&from),
        OrderAction::Receive => covers(&to),
        _ => ctx.scope.covers_region(&from) || covers(&to),
    };
    if ok {
        Ok(())
    } else {
        Err(StoreError::Forbidden(outside_order(action)))
    }
}

/// 审批 / 驳回 / 出库 / 签收 / 撤销.
pub async fn act(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &OrderActionInput,
) -> StoreResult<Order> {
    let action = OrderAction::parse(&input.action).map_err(|m| StoreError::invalid("action", m))?;
    let allowed = match action {
        OrderAction::Approve | OrderAction::Reject => {
            yingji_core::resources::access::may_approve_allocations(ctx.role)
        }
        _ => yingji_core::resources::access::may_manage_resources(ctx.role),
    };
    if !allowed {
        return Err(StoreError::Forbidden(refused(action)));
    }
    let order = get(store, &ctx.scope, id).await?;
    forbid_outside_order(store, ctx, &order, action, now_ms).await?;
    let next = order_next(&order.status, action).map_err(|m| StoreError::conflict("action", m))?;
    let note = optional_text("说明", input.note.as_deref().unwrap_or(""), 500)
        .map_err(|m| StoreError::invalid("note", m))?;
    let incident = match &order.incident_id {
        Some(i) => incidents::get(store, &Scope::All, i, now_ms).await.ok(),
        None => None,
    };
    // The quantities of this step, checked against the step before.
    let upper: Vec<i64> = match action {
        OrderAction::Approve => order.lines.iter().map(|l| l.requested).collect(),
        OrderAction::Ship => order
            .lines
            .iter()
            .map(|l| l.approved.unwrap_or(0))
            .collect(),
        OrderAction::Receive => order.lines.iter().map(|l| l.shipped.unwrap_or(0)).collect(),
        _ => vec![],
    };
    let given = input.quantities.clone().unwrap_or_else(|| upper.clone());
    if !upper.is_empty() {
        check_line_quantities("quantities", step_label(action), &upper, &given)?;
    }
    let mut tx = store.begin().await?;
    // The status moves first, by compare-and-set: of two officers acting at once, one wins.
    let mut u = Sql::new("UPDATE allocation_orders SET status = ");
    u.bind(next).push_bind(", updated_ms = ", now_ms);
    match action {
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
        _ => {}
    }
    if let Some(n) = &note {
        u.push_bind(", note = ", n.clone());
    }
    u.push_bind(" WHERE id = ", id)
        .push_bind(" AND status = ", order.status.clone());
    if u.execute(&mut tx).await? == 0 {
        return Err(StoreError::conflict(
            "action",
            "调拨单刚刚被他人处理，请刷新",
        ));
    }
    // Lines in stock-id order, so that two orders over the same lines lock them in one order.
    let mut idx: Vec<usize> = (0..order.lines.len()).collect();
    idx.sort_by(|&a, &b| order.lines[a].stock_id.cmp(&order.lines[b].stock_id));
    let source_kind = if order.to_warehouse_id.is_some() {
        "transfer_out"
    } else {
        "outbound"
    };
    for i in idx {
        let l = &order.lines[i];
        let q = given.get(i).copied().unwrap_or(0);
        match action {
            OrderAction::Approve => {
                if q > 0 {
                    let mut r = Sql::new("UPDATE stock SET reserved = reserved + ");
                    r.bind(q)
                        .push_bind(", updated_ms = ", now_ms)
                        .push_bind(" WHERE id = ", l.stock_id.clone())
                        .push_bind(" AND quantity - reserved >= ", q);
                    if r.execute(&mut tx).await? == 0 {
                        return Err(StoreError::Invalid(yingji_core::Invalid::one(
                            format!("quantities[{i}]"),
                            short_to_approve(i, &l.material_name, q, &l.unit),
                        )));
                    }
                }
                set_line(&mut tx, id, l.line_no, "approved", q).await?;
            }
            OrderAction::Ship => {
                let approved = l.approved.unwrap_or(0);
                let m = Move {
                    stock_id: &l.stock_id,
                    kind: source_kind,
                    delta: -q,
                    release: approved,
                    order_id: Some(id),
                    incident_id: order.incident_id.as_deref(),
                    note: Some(&order.code),
                };
                if write_movement(&mut tx, ctx, now_ms, m).await?.is_none() {
                    return Err(StoreError::conflict(
                        &format!("quantities[{i}]"),
                        short_to_ship(i, &l.material_name),
                    ));
                }
                set_line(&mut tx, id, l.line_no, "shipped", q).await?;
            }
            OrderAction::Receive => {
                if let (Some(to), true) = (&order.to_warehouse_id, q > 0) {
                    let dest = destination_line(&mut tx, now_ms, to, &l.stock_id).await?;
                    let m = Move {
                        stock_id: &dest,
                        kind: "transfer_in",
                        delta: q,
                        release: 0,
                        order_id: Some(id),
                        incident_id: order.incident_id.as_deref(),
                        note: Some(&order.code),
                    };
                    write_movement(&mut tx, ctx, now_ms, m).await?;
                }
                set_line(&mut tx, id, l.line_no, "received", q).await?;
            }
            OrderAction::Cancel => {
                // An approved order gives its reservation back.
                if let Some(a) = l.approved.filter(|a| *a > 0) {
                    let mut r = Sql::new("UPDATE stock SET reserved = reserved - ");
                    r.bind(a)
                        .push_bind(" WHERE id = ", l.stock_id.clone())
                        .push_bind(" AND reserved >= ", a);
                    r.execute(&mut tx).await?;
                }
            }
            OrderAction::Reject => {}
        }
    }
    let moved: Vec<(&str, i64, &str)> = order
        .lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !upper.is_empty() && given.get(*i).copied().unwrap_or(0) > 0)
        .map(|(i, l)| (l.material_name.as_str(), given[i], l.unit.as_str()))
        .collect();
    let text = step_text(&order.code, action, &moved, note.as_deref());
    let audit_action = match action {
        OrderAction::Approve => "allocation.approve",
        OrderAction::Reject => "allocation.reject",
        OrderAction::Ship => "allocation.ship",
        OrderAction::Receive => "allocation.receive",
        OrderAction::Cancel => "allocation.cancel",
    };
    log_step(
        &mut tx,
        ctx,
        now_ms,
        id,
        incident.as_ref(),
        audit_action,
        &text,
    )
    .await?;
    tx.commit().await?;
    get(store, &ctx.scope, id).await
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
