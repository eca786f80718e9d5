//! 调拨单: 申请 → 审批 → 出库 → 签收, with partial fulfilment at every step. Approval reserves the
//! approved quantities on the source lines with a guarded update (`quantity - reserved >= n`), so
//! two orders approved at the same moment can never promise more than is in stock; shipping takes
//! the shipped quantity out of the ledger and releases the reservation; receipt puts what arrived
//! into the destination warehouse's line (or, for a site, records it as delivered).
//!
//! This module holds the order's types and reads and the record of a step; the request is in
//! `request` (`check_create`, `create_in`), the steps on an order in `steps` (`check_act`,
//! `act_in`). The use cases that run them in one transaction are in `yingji-app`.

mod request;
pub use request::{CheckedOrder, check_create, create_in};
mod steps;
pub use steps::{CheckedStep, act_in, check_act};

use crate::kernel::Ctx;
use crate::resources::push_visible;
use crate::response::incidents::{self, Step};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::role::Scope;
use yingji_core::resources::{ORDER_STATUSES, label};

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
