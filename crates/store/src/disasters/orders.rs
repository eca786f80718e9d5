//! 断、禁、停、撤、疏 orders: issued in a warning's or an incident's response with their scope
//! (an area, 承灾体, words), then reported carried out by whom and when.

use super::flood::forbid_unless;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::warning::targeting::push_region;
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::{join_codes, split_codes};
use yingji_core::disasters::flood_access as access;
use yingji_core::disasters::orders::{self as rules, kind_label};

#[derive(Debug, Clone, Serialize)]
pub struct DisasterOrder {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub scope_text: String,
    pub object_ids: Vec<String>,
    pub region_code: String,
    pub region_name: String,
    pub warning_id: Option<String>,
    pub incident_id: Option<String>,
    pub issued_by: String,
    pub issued_ms: i64,
    /// issued / done
    pub status: String,
    pub carried_out_by: Option<String>,
    pub carried_out_ms: Option<i64>,
    pub carried_out_note: Option<String>,
}

const SELECT: &str = "SELECT d.*, r.name AS r_name FROM disaster_orders d LEFT JOIN regions r ON r.code = d.region_code WHERE 1 = 1";

fn order_of(r: &AnyRow) -> StoreResult<DisasterOrder> {
    let kind: String = r.try_get("kind")?;
    Ok(DisasterOrder {
        id: r.try_get("id")?,
        kind_label: kind_label(&kind).into(),
        kind,
        scope_text: r.try_get("scope_text")?,
        object_ids: split_codes(&r.try_get::<String, _>("object_ids")?),
        region_code: r.try_get("region_code")?,
        region_name: r
            .try_get::<Option<String>, _>("r_name")?
            .unwrap_or_default(),
        warning_id: r.try_get("warning_id")?,
        incident_id: r.try_get("incident_id")?,
        issued_by: r.try_get("issued_by")?,
        issued_ms: r.try_get("issued_ms")?,
        status: r.try_get("status")?,
        carried_out_by: r.try_get("carried_out_by")?,
        carried_out_ms: r.try_get("carried_out_ms")?,
        carried_out_note: r.try_get("carried_out_note")?,
    })
}

/// The orders the caller sees, newest first; one warning's or incident's when given.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    warning_id: Option<&str>,
    incident_id: Option<&str>,
) -> StoreResult<Vec<DisasterOrder>> {
    forbid_unless(access::may_read(ctx.role))?;
    let mut q = Sql::new(SELECT);
    if let Some(w) = warning_id {
        q.push_bind(" AND d.warning_id = ", w);
    }
    if let Some(i) = incident_id {
        q.push_bind(" AND d.incident_id = ", i);
    }
    push_region(&mut q, "d", &ctx.scope);
    q.push(" ORDER BY d.issued_ms DESC, d.id LIMIT 500");
    store.fetch_all(q).await?.iter().map(order_of).collect()
}

pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<DisasterOrder> {
    forbid_unless(access::may_read(ctx.role))?;
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND d.id = ", id);
    push_region(&mut q, "d", &ctx.scope);
    order_of(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// Checks the order's area (exists, inside the caller's) and its 承灾体 (the caller sees them).
pub async fn check_refs(
    store: &Store,
    ctx: &Ctx,
    region_code: &str,
    object_ids: &[String],
) -> StoreResult<()> {
    forbid_unless(access::may_command(ctx.role))?;
    let mut q = Sql::new("SELECT COUNT(*) FROM regions WHERE code = ");
    q.bind(region_code);
    if store.fetch_i64(q).await? == 0 {
        return Err(StoreError::invalid("region_code", "区划不存在"));
    }
    if !ctx.scope.covers_region(region_code) {
        return Err(StoreError::Forbidden(access::OUTSIDE.into()));
    }
    for (i, o) in object_ids.iter().enumerate() {
        if crate::warning::targeting::get_object(store, ctx, o)
            .await
            .is_err()
        {
            return Err(StoreError::invalid(
                &format!("object_ids[{i}]"),
                format!("第{}个承灾体不存在", i + 1),
            ));
        }
    }
    Ok(())
}

/// What an order is issued with, checked.
pub struct NewOrder<'a> {
    pub kind: &'a str,
    pub scope_text: &'a str,
    pub region_code: &'a str,
    pub object_ids: &'a [String],
    pub warning_id: Option<&'a str>,
    pub incident_id: Option<&'a str>,
}

/// Writes an issued order: its id.
pub async fn issue_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    o: &NewOrder<'_>,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO disaster_orders (id, kind, scope_text, object_ids, region_code, warning_id, incident_id, issued_by, issued_ms, status) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        o.kind.into(),
        o.scope_text.into(),
        join_codes(o.object_ids).into(),
        o.region_code.into(),
        o.warning_id.filter(|s| !s.is_empty()).into(),
        o.incident_id.filter(|s| !s.is_empty()).into(),
        ctx.display_name.as_str().into(),
        now_ms.into(),
        "issued".into(),
    ]);
    q.execute(tx).await?;
    let summary = format!("{}：{}", kind_label(o.kind), o.scope_text);
    let change = Change::of("disaster_order.issue", "disaster_order", &id, summary);
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// Records that `order` (read by the caller) was carried out by `by`.
pub async fn carry_out_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    order: &DisasterOrder,
    by: &str,
    note: Option<&str>,
) -> StoreResult<()> {
    forbid_unless(access::may_answer(ctx.role))?;
    if !ctx.scope.covers_region(&order.region_code) {
        return Err(StoreError::Forbidden(access::OUTSIDE.into()));
    }
    let mut u = Sql::new("UPDATE disaster_orders SET status = 'done', carried_out_by = ");
    u.bind(by)
        .push_bind(", carried_out_ms = ", now_ms)
        .push_bind(", carried_out_note = ", note)
        .push_bind(" WHERE status = 'issued' AND id = ", order.id.as_str());
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict("id", rules::ALREADY_DONE));
    }
    let summary = format!("{}已执行：{by}", kind_label(&order.kind));
    let change = Change::of(
        "disaster_order.carry_out",
        "disaster_order",
        &order.id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}
