//! 申请: a request checked against the warehouses, the incident and the stock lines it names,
//! then written with its number (调拨单号) in the caller's transaction.

use super::log_step;
use crate::kernel::Ctx;
use crate::kernel::sequences::next_in_sequence;
use crate::resources::{self, Warehouse};
use crate::response::incidents::{self, Incident};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use std::collections::HashSet;
use yingji_core::kernel::validation::Errors;
use yingji_core::resources::access::may_manage_resources;
use yingji_core::resources::allocations::{
    BOTH_SIDES_OUTSIDE, OrderInput, OrderLineInput, REQUEST_DENIED, SAME_WAREHOUSE, SourceLine,
    SourceWarehouse, UNKNOWN_DESTINATION, UNKNOWN_INCIDENT, UNKNOWN_SOURCE, check_request,
    check_request_line, order_code, request_text,
};

/// A request, checked: its two ends, its texts and its lines.
#[derive(Debug, Clone)]
pub struct CheckedOrder {
    from: Warehouse,
    to: Option<Warehouse>,
    incident: Option<Incident>,
    purpose: String,
    destination: String,
    lines: Vec<OrderLineInput>,
}

/// Checks a request (申请): the requester is the sending or the receiving side, the lines are
/// the source warehouse's and within its available stock now (approval checks again,
/// atomically).
pub async fn check_create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &OrderInput,
) -> StoreResult<CheckedOrder> {
    if !may_manage_resources(ctx.role) {
        return Err(StoreError::Forbidden(REQUEST_DENIED.into()));
    }
    let from = resources::get_warehouse(store, &ctx.scope, &input.from_warehouse_id, now_ms)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("from_warehouse_id", UNKNOWN_SOURCE),
            e => e,
        })?;
    let mut errs = Errors::default();
    let to = destination_warehouse(store, ctx, now_ms, input, &from, &mut errs).await?;
    let incident = served_incident(store, ctx, now_ms, input, &mut errs).await?;
    // The requester is the sending or the receiving side: a street cannot order another street's
    // materials to a third place.
    let to_region = to
        .as_ref()
        .map(|w| w.region_code.as_str())
        .or(incident.as_ref().map(|i| i.region_code.as_str()));
    if !ctx.scope.covers_region(&from.region_code)
        && !to_region.is_some_and(|r| ctx.scope.covers_region(r))
    {
        return Err(StoreError::Forbidden(BOTH_SIDES_OUTSIDE.into()));
    }
    let has_target = given(input.to_warehouse_id.as_deref()).is_some() || incident.is_some();
    let fallback = to
        .as_ref()
        .map(|w| w.name.clone())
        .or_else(|| incident.as_ref().map(|i| i.location.clone()));
    let (purpose, destination) = check_request(&mut errs, input, has_target, fallback);
    check_lines(store, ctx, now_ms, input, &from, &mut errs).await?;
    let (Some(purpose), true) = (purpose, errs.is_empty()) else {
        return Err(errs.into_invalid().into());
    };
    Ok(CheckedOrder {
        from,
        to,
        incident,
        purpose,
        destination: destination.unwrap_or_default(),
        lines: input.lines.clone(),
    })
}

/// An optional id as given: None when missing or empty.
fn given(id: Option<&str>) -> Option<&str> {
    id.filter(|s| !s.is_empty())
}

/// The destination warehouse, if one is named: not the source, and visible.
async fn destination_warehouse(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &OrderInput,
    from: &Warehouse,
    errs: &mut Errors,
) -> StoreResult<Option<Warehouse>> {
    match given(input.to_warehouse_id.as_deref()) {
        Some(id) if id == from.id => {
            errs.add("to_warehouse_id", SAME_WAREHOUSE);
            Ok(None)
        }
        Some(id) => match resources::get_warehouse(store, &ctx.scope, id, now_ms).await {
            Ok(w) => Ok(Some(w)),
            Err(StoreError::NotFound) => {
                errs.add("to_warehouse_id", UNKNOWN_DESTINATION);
                Ok(None)
            }
            Err(e) => Err(e),
        },
        None => Ok(None),
    }
}

/// The incident the materials go to, if one is named and visible.
async fn served_incident(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &OrderInput,
    errs: &mut Errors,
) -> StoreResult<Option<Incident>> {
    match given(input.incident_id.as_deref()) {
        Some(id) => match incidents::get(store, &ctx.scope, id, now_ms).await {
            Ok(i) => Ok(Some(i)),
            Err(StoreError::NotFound) => {
                errs.add("incident_id", UNKNOWN_INCIDENT);
                Ok(None)
            }
            Err(e) => Err(e),
        },
        None => Ok(None),
    }
}

/// Checks each line against the stock line it names, as read now.
async fn check_lines(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &OrderInput,
    from: &Warehouse,
    errs: &mut Errors,
) -> StoreResult<()> {
    let from_side = SourceWarehouse {
        id: &from.id,
        name: &from.name,
        active: from.active,
    };
    let mut seen = HashSet::new();
    for (i, l) in input.lines.iter().enumerate() {
        if !seen.insert(l.stock_id.clone()) {
            check_request_line(errs, i, l.quantity, true, None, from_side);
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
        check_request_line(errs, i, l.quantity, false, source, from_side);
    }
    Ok(())
}

/// Writes a checked request in the caller's transaction, numbered in its source district's
/// sequence for the year; returns the order's id.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    c: &CheckedOrder,
) -> StoreResult<String> {
    let id = new_id();
    let district = c.from.region_code.get(..6).unwrap_or("");
    let year = yingji_core::kernel::clock::today(now_ms).year();
    let n = next_in_sequence(tx, &format!("DB-{district}-{year}")).await?;
    let code = order_code(year, n);
    let mut q = Sql::new(
        "INSERT INTO allocation_orders (id, code, status, incident_id, from_warehouse_id, to_warehouse_id, destination, purpose, district_code, requested_by, requested_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        code.clone().into(),
        "requested".into(),
        c.incident.as_ref().map(|i| i.id.clone()).into(),
        c.from.id.clone().into(),
        c.to.as_ref().map(|w| w.id.clone()).into(),
        c.destination.clone().into(),
        c.purpose.clone().into(),
        district.into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    for (i, l) in c.lines.iter().enumerate() {
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
        q.execute(tx).await?;
    }
    let text = request_text(&code, &c.from.name, &c.destination, &c.purpose);
    let incident = c.incident.as_ref();
    log_step(tx, ctx, now_ms, &id, incident, "allocation.request", &text).await?;
    Ok(id)
}
