//! Work orders a targeted warning becomes: listing, answers (叫应), and the response and effectiveness figures.

use super::{ProtectedObject, chain_root_of, mask_name, push_region};
use crate::kernel::Ctx;
use crate::kernel::keys;
use crate::kernel::timers::{self, TimerCode};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::split_codes;
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::warning::access::sees_personal;
pub use yingji_core::warning::target::OrderAnswer;
pub(super) use yingji_core::warning::target::order::status_label;
use yingji_core::warning::target::order::{self, Answer};
use yingji_core::warning::target::{Effectiveness, OrderOutcome, kind_label, person_type_label};

#[derive(Debug, Clone, Serialize)]
pub struct WorkOrder {
    pub id: String,
    pub warning_id: String,
    pub headline: String,
    pub level: i64,
    pub object: ProtectedObject,
    /// open / acknowledged / reported / released / closed
    pub status: String,
    pub status_label: String,
    pub actions: Vec<String>,
    pub due_ms: i64,
    /// 0 none, 1 community/grid supervisor, 2 street.
    pub escalation: i64,
    pub acknowledged_ms: Option<i64>,
    pub acknowledged_by: Option<String>,
    pub on_time: Option<bool>,
    pub overdue: bool,
    pub relocated: i64,
    pub report: Option<serde_json::Value>,
}

pub(super) const ORDER_SELECT: &str = "SELECT w.*, n.headline, n.level, o.id AS o_id, o.kind, o.name, o.address, o.lon, o.lat, o.region_code AS o_region, o.responsible_user_id, o.responsible_name, o.responsible_phone, o.responsible_type, o.personal \
    FROM work_orders w JOIN warnings n ON n.id = w.warning_id JOIN protected_objects o ON o.id = w.object_id WHERE 1 = 1";

pub(super) fn order_from_row(
    r: &AnyRow,
    scope: &Scope,
    role: Role,
    now_ms: i64,
) -> StoreResult<WorkOrder> {
    let status: String = r.try_get("status")?;
    let due_ms: i64 = r.try_get("due_ms")?;
    let ack: Option<i64> = r.try_get("acknowledged_ms")?;
    let personal = r.try_get::<i64, _>("personal")? == 1;
    let region: String = r.try_get("o_region")?;
    let masked = personal && !sees_personal(scope, role, &region);
    let kind: String = r.try_get("kind")?;
    let name = keys::open(r.try_get("name")?);
    Ok(WorkOrder {
        id: r.try_get("id")?,
        warning_id: r.try_get("warning_id")?,
        headline: r.try_get("headline")?,
        level: r.try_get("level")?,
        object: ProtectedObject {
            id: r.try_get("o_id")?,
            kind_label: kind_label(&kind).into(),
            kind,
            name: if masked { mask_name(&name) } else { name },
            address: if masked {
                yingji_core::warning::target::object::MASKED_ADDRESS.into()
            } else {
                keys::open(r.try_get("address")?)
            },
            lon: r.try_get("lon")?,
            lat: r.try_get("lat")?,
            outline: None,
            region_code: region,
            responsible_user_id: r.try_get("responsible_user_id")?,
            responsible_name: r.try_get("responsible_name")?,
            responsible_phone: keys::open(r.try_get("responsible_phone")?),
            responsible_type_label: person_type_label(&r.try_get::<String, _>("responsible_type")?)
                .into(),
            responsible_type: r.try_get("responsible_type")?,
            personal,
            masked,
            active: true,
        },
        status_label: status_label(&status).into(),
        overdue: status == "open" && now_ms > due_ms,
        status,
        actions: split_codes(&r.try_get::<String, _>("actions")?),
        due_ms,
        escalation: r.try_get("escalation")?,
        on_time: ack.map(|a| a <= due_ms),
        acknowledged_ms: ack,
        acknowledged_by: r.try_get("acknowledged_by")?,
        relocated: r.try_get("relocated")?,
        report: r
            .try_get::<Option<String>, _>("report")?
            .and_then(|s| serde_json::from_str(&s).ok()),
    })
}

#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub warning_id: Option<String>,
    pub status: Option<String>,
    /// Orders of objects the caller is responsible for.
    pub mine: bool,
}

pub async fn list_orders(
    store: &Store,
    ctx: &Ctx,
    f: &OrderFilter,
    page: Page,
    now_ms: i64,
) -> StoreResult<(Vec<WorkOrder>, i64)> {
    let mut w = Sql::new("");
    push_region(&mut w, "w", &ctx.scope);
    if let Some(id) = &f.warning_id {
        let chain = chain_root_of(store, id).await?;
        w.push_bind(" AND w.chain_id = ", chain);
    }
    if let Some(s) = &f.status {
        // One status or several, comma-separated (the phone page's 待处理 is open,acknowledged).
        let statuses: Vec<&str> = s
            .split(',')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .collect();
        if !statuses.is_empty() {
            w.push(" AND w.status IN ").bind_list(statuses);
        }
    }
    if f.mine {
        w.push_bind(" AND (o.responsible_user_id = ", ctx.user_id.as_str());
        // 防汛与地灾: orders that went to the caller as a duty person.
        w.push_bind(
            " OR w.id IN (SELECT order_id FROM flood_order_persons WHERE user_id = ",
            ctx.user_id.as_str(),
        )
        .push("))");
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM work_orders w JOIN protected_objects o ON o.id = w.object_id WHERE 1 = 1",
            ORDER_SELECT,
            w,
            "w.status, w.due_ms, w.id",
            page,
            |r| order_from_row(r, &ctx.scope, ctx.role, now_ms),
        )
        .await
}

pub async fn get_order(store: &Store, ctx: &Ctx, id: &str, now_ms: i64) -> StoreResult<WorkOrder> {
    let mut q = Sql::new(ORDER_SELECT);
    q.push_bind(" AND w.id = ", id);
    push_region(&mut q, "w", &ctx.scope);
    order_from_row(
        &store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?,
        &ctx.scope,
        ctx.role,
        now_ms,
    )
}

/// Whether the caller may answer `order` (叫应 and 反馈): its responsible person, or staff of its
/// area answering for them.
pub fn may_answer(ctx: &Ctx, order: &WorkOrder) -> StoreResult<()> {
    let own = order.object.responsible_user_id.as_deref() == Some(ctx.user_id.as_str());
    if !own && !yingji_core::warning::access::may_answer_for_others(ctx.role) {
        return Err(StoreError::Forbidden(order::ONLY_RESPONSIBLE.into()));
    }
    Ok(())
}

/// Writes the answer (checked by `yingji_core::warning::target::check_answer`) to `order` (read
/// by the caller through `get_order`), its timers and audit record, in the use case's transaction.
pub async fn answer_in(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    order: &WorkOrder,
    answer: &Answer,
    attachments: &[String],
) -> StoreResult<()> {
    let id = order.id.as_str();
    let written = match answer {
        Answer::Acknowledge => acknowledge(tx, ctx, now_ms, id).await?,
        Answer::Report { .. } => report(tx, store, ctx, now_ms, id, answer, attachments).await?,
    };
    if !written {
        let m = if answer.is_report() {
            order::no_report_now(&order.status_label)
        } else {
            order::no_ack_needed(&order.status_label)
        };
        return Err(StoreError::conflict("action", m));
    }
    timers::cancel(&mut *tx, id, TimerCode::WorkOrderEscalate).await?;
    let change = crate::kernel::audit::Change {
        action: if answer.is_report() {
            "work_order.report"
        } else {
            "work_order.acknowledge"
        },
        entity_type: "work_order",
        entity_id: Some(id),
        summary: order::answered(answer, &order.object.name, &order.headline),
        before: None,
        after: None,
    };
    crate::kernel::audit::append(&mut *tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// 叫应: an open order is acknowledged; false when it was not open.
async fn acknowledge(tx: &mut Tx, ctx: &Ctx, now_ms: i64, id: &str) -> StoreResult<bool> {
    let mut u = Sql::new("UPDATE work_orders SET status = 'acknowledged', acknowledged_ms = ");
    u.bind(now_ms)
        .push_bind(", acknowledged_by = ", ctx.display_name.clone())
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE status = 'open' AND id = ", id);
    Ok(u.execute(&mut *tx).await? > 0)
}

/// 反馈: the report with its photos (the caller's uploads linked to the order; those of an
/// earlier report stay); acknowledges too if that was not done. False when the order is closed.
async fn report(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    answer: &Answer,
    attachments: &[String],
) -> StoreResult<bool> {
    let Answer::Report {
        arrived,
        patrolled,
        relocated,
        note,
    } = answer
    else {
        return Ok(false);
    };
    let mut photos: Vec<String> = crate::kernel::attachments::list_for(store, id)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let new: Vec<String> = attachments
        .iter()
        .filter(|a| !photos.contains(a))
        .cloned()
        .collect();
    let by = Some(ctx.user_id.as_str());
    crate::kernel::attachments::link(&mut *tx, &new, "work_order", id, by, "attachments").await?;
    photos.extend(new);
    let report = serde_json::json!({"arrived": arrived, "patrolled": patrolled, "relocated": relocated, "note": note, "attachments": photos});
    let mut u = Sql::new("UPDATE work_orders SET status = 'reported', report = ");
    u.bind(report.to_string())
        .push_bind(", relocated = ", *relocated)
        .push_bind(", reported_ms = ", now_ms)
        .push_bind(", acknowledged_ms = COALESCE(acknowledged_ms, ", now_ms)
        .push(")")
        .push_bind(
            ", acknowledged_by = COALESCE(acknowledged_by, ",
            ctx.display_name.clone(),
        )
        .push(")")
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(
            " WHERE status IN ('open', 'acknowledged', 'reported') AND id = ",
            id,
        );
    Ok(u.execute(&mut *tx).await? > 0)
}

/// 叫应 figures of one group of orders: a street, a person type, an object kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Group {
    pub code: String,
    pub name: String,
    pub relocated: i64,
    #[serde(flatten)]
    pub figures: Effectiveness,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Response {
    /// Warning chains the figures cover (1 for one warning).
    pub warnings: i64,
    /// Orders still concerning an object (not released by an update).
    pub targeted: i64,
    pub released: i64,
    pub relocated: i64,
    /// on_time / late / never / waiting, 叫应率 and acknowledgement times over all orders.
    #[serde(flatten)]
    pub figures: Effectiveness,
    pub by_street: Vec<Group>,
    pub by_person_type: Vec<Group>,
    pub by_kind: Vec<Group>,
}

pub(super) const RESPONSE_SELECT: &str = "SELECT w.status, w.due_ms, w.created_ms, w.acknowledged_ms, w.relocated, o.street_code, r.name, o.responsible_type, o.kind, w.chain_id FROM work_orders w JOIN protected_objects o ON o.id = w.object_id LEFT JOIN regions r ON r.code = o.street_code WHERE 1 = 1";

/// Folds order rows (RESPONSE_SELECT) into the figures, overall and by group.
pub(super) fn figures_of(rows: &[AnyRow], now_ms: i64) -> StoreResult<Response> {
    type Groups = Vec<(Group, Vec<OrderOutcome>)>;
    fn add(groups: &mut Groups, code: &str, name: &str, o: OrderOutcome, relocated: i64) {
        let i = match groups.iter().position(|(g, _)| g.code == code) {
            Some(i) => i,
            None => {
                groups.push((
                    Group {
                        code: code.into(),
                        name: name.into(),
                        ..Default::default()
                    },
                    Vec::new(),
                ));
                groups.len() - 1
            }
        };
        groups[i].0.relocated += relocated;
        groups[i].1.push(o);
    }
    fn finish(mut groups: Groups) -> Vec<Group> {
        groups.sort_by(|a, b| a.0.code.cmp(&b.0.code));
        groups
            .into_iter()
            .map(|(mut g, orders)| {
                g.figures = Effectiveness::of(&orders);
                g
            })
            .collect()
    }
    let mut out = Response::default();
    let (mut all, mut chains) = (Vec::new(), Vec::<String>::new());
    let (mut streets, mut people, mut kinds): (Groups, Groups, Groups) = Default::default();
    for r in rows {
        let status: String = r.try_get(0)?;
        let chain: String = r.try_get(9)?;
        if !chains.contains(&chain) {
            chains.push(chain);
        }
        if status == "released" {
            out.released += 1;
            continue;
        }
        let due_ms: i64 = r.try_get(1)?;
        let o = OrderOutcome {
            due_ms,
            created_ms: r.try_get(2)?,
            acknowledged_ms: r.try_get(3)?,
            decided: now_ms > due_ms || status == "closed",
        };
        let relocated: i64 = r.try_get(4)?;
        out.relocated += relocated;
        let street: String = r.try_get(5)?;
        let street_name = r.try_get::<Option<String>, _>(6)?.unwrap_or_default();
        add(&mut streets, &street, &street_name, o, relocated);
        let ptype: String = r.try_get(7)?;
        add(&mut people, &ptype, person_type_label(&ptype), o, relocated);
        let kind: String = r.try_get(8)?;
        add(&mut kinds, &kind, kind_label(&kind), o, relocated);
        all.push(o);
    }
    out.warnings = chains.len() as i64;
    out.targeted = all.len() as i64;
    out.figures = Effectiveness::of(&all);
    out.by_street = finish(streets);
    out.by_person_type = finish(people);
    out.by_kind = finish(kinds);
    Ok(out)
}

/// The command view's figures for a warning's chain, by street, person type and object kind.
pub async fn response(
    store: &Store,
    ctx: &Ctx,
    warning_id: &str,
    now_ms: i64,
) -> StoreResult<Response> {
    crate::warning::get(store, &ctx.scope, warning_id, now_ms).await?;
    let chain = chain_root_of(store, warning_id).await?;
    let mut q = Sql::new(RESPONSE_SELECT);
    q.push_bind(" AND w.chain_id = ", chain);
    push_region(&mut q, "w", &ctx.scope);
    figures_of(&store.fetch_all(q).await?, now_ms)
}

/// 叫应效能分析 after the event: every order created in [from, to) that the caller may see.
pub async fn effectiveness(
    store: &Store,
    ctx: &Ctx,
    from_ms: i64,
    to_ms: i64,
    now_ms: i64,
) -> StoreResult<Response> {
    if to_ms <= from_ms {
        return Err(StoreError::invalid(
            "to",
            yingji_core::kernel::wording::PERIOD_BACKWARDS,
        ));
    }
    let mut q = Sql::new(RESPONSE_SELECT);
    q.push_bind(" AND w.created_ms >= ", from_ms)
        .push_bind(" AND w.created_ms < ", to_ms);
    push_region(&mut q, "w", &ctx.scope);
    figures_of(&store.fetch_all(q).await?, now_ms)
}
