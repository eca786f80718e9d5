//! 靶向预警: protected objects (承灾体), and the response work orders a published warning creates
//! for those inside its area that its event concerns (rules in `yingji_core::warning::target`). Candidates
//! come from the search cells of the area's bounding box (an index range scan), then an exact
//! point-in-polygon test; an update re-targets the chain (new objects get orders, those no longer
//! inside are released); 解除 closes the open orders. Unacknowledged orders escalate on durable
//! timers: to the community/grid supervisor at the deadline, to the street after that.

mod objects;
pub(crate) use objects::push_region;
pub(crate) use objects::{OBJECT_COLUMNS, forbid_object_role, forbid_object_writes, object_values};
pub use objects::{
    ObjectInput, ProtectedObject, get_object, list_objects, objects_inside,
    objects_inside_polygons, save_object,
};
use yingji_core::warning::target::{mask_name, order};
mod orders;
pub use orders::{
    Group, OrderAnswer, OrderFilter, Response, WorkOrder, answer_in, effectiveness, get_order,
    list_orders, may_answer, response,
};

use crate::kernel::escalation::{self, Escalation, Target};
use crate::kernel::keys;
use crate::kernel::timers::{self, OrderStep, TimerCode, TimerKind};
use crate::{Sql, Store, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use yingji_core::directory::enterprise::join_codes;

// ---------------------------------------------------------------------------------------------
// Protected objects

// ---------------------------------------------------------------------------------------------
// Targeting

/// The first warning of an update chain: orders belong to it, so an update re-targets them.
async fn chain_root(tx: &mut Tx, warning_id: &str) -> StoreResult<String> {
    let mut id = warning_id.to_string();
    for _ in 0..50 {
        let mut q = Sql::new("SELECT supersedes FROM warnings WHERE id = ");
        q.bind(id.as_str());
        match q
            .fetch_optional(tx)
            .await?
            .map(|r| r.try_get::<Option<String>, _>(0))
            .transpose()?
            .flatten()
        {
            Some(p) => id = p,
            None => break,
        }
    }
    Ok(id)
}

/// `chain_root` read outside a transaction (the order list and the command view).
async fn chain_root_of(store: &Store, warning_id: &str) -> StoreResult<String> {
    let mut id = warning_id.to_string();
    for _ in 0..50 {
        let mut q = Sql::new("SELECT supersedes FROM warnings WHERE id = ");
        q.bind(id.as_str());
        match store
            .fetch_optional(q)
            .await?
            .map(|r| r.try_get::<Option<String>, _>(0))
            .transpose()?
            .flatten()
        {
            Some(p) => id = p,
            None => break,
        }
    }
    Ok(id)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Targeted {
    pub created: usize,
    pub kept: usize,
    pub released: usize,
    pub closed: usize,
}

/// Applies a published message to the work orders of its chain (in the caller's transaction).
/// An Alert or Update targets; a Cancel closes; a message that is not Actual does nothing.
pub async fn apply(tx: &mut Tx, now_ms: i64, warning_id: &str) -> StoreResult<Targeted> {
    let mut q = Sql::new("SELECT * FROM warnings WHERE id = ");
    q.bind(warning_id);
    let w = q.fetch_one(tx).await?;
    let (msg_type, cap_status): (String, String) =
        (w.try_get("msg_type")?, w.try_get("cap_status")?);
    let chain = chain_root(tx, warning_id).await?;
    let mut out = Targeted::default();
    if cap_status != "Actual" {
        return Ok(out);
    }
    if msg_type == "Cancel" {
        out.closed = close_chain(tx, now_ms, &chain).await?;
        return Ok(out);
    }
    let district: String = w.try_get("district_code")?;
    let event: String = w.try_get("event_code")?;
    let level: i64 = w.try_get("level")?;
    let polygons = yingji_core::kernel::geo::stored_polygons(&w.try_get::<String, _>("area")?);
    let cfg = crate::prevention::rules::current_tx(tx, &district)
        .await?
        .rules
        .warning;
    let kinds = cfg.kinds_for(&event);
    let inside = objects_inside_polygons(tx, &polygons, &kinds, &district).await?;
    let existing = chain_orders(tx, &chain).await?;
    let at = ChainAt {
        now_ms,
        warning_id,
        chain: &chain,
        due: now_ms + cfg.ack_minutes_for(level) * 60_000,
    };
    let mut created: Vec<(String, String, Vec<String>)> = Vec::new();
    for (object_id, kind, region) in &inside {
        match existing.iter().find(|(_, o, _)| o == object_id) {
            Some((id, _, status)) => {
                keep_order(tx, &at, id, status).await?;
                out.kept += 1;
            }
            None => {
                let actions = cfg.actions_for(&event, level, kind);
                let id = open_order(tx, &at, object_id, region, &actions).await?;
                created.push((id, object_id.clone(), actions));
                out.created += 1;
            }
        }
    }
    for (id, object_id, status) in &existing {
        if matches!(status.as_str(), "open" | "acknowledged")
            && !inside.iter().any(|(o, ..)| o == object_id)
        {
            let mut u = Sql::new("UPDATE work_orders SET status = 'released', updated_ms = ");
            u.bind(now_ms).push_bind(" WHERE id = ", id.as_str());
            u.execute(tx).await?;
            timers::cancel(tx, id, TimerCode::WorkOrderEscalate).await?;
            out.released += 1;
        }
    }
    let headline: String = w.try_get("headline")?;
    notify_responsible(tx, now_ms, &headline, cfg.ack_minutes_for(level), &created).await?;
    // 防汛与地灾: a duty object's order goes to its duty persons too.
    crate::disasters::flood_orders::assign(
        tx,
        now_ms,
        &headline,
        cfg.ack_minutes_for(level),
        &created,
    )
    .await?;
    Ok(out)
}

/// The message a chain's orders now follow, and the deadline of those (re)opened.
struct ChainAt<'a> {
    now_ms: i64,
    warning_id: &'a str,
    chain: &'a str,
    due: i64,
}

/// 解除: the chain's orders still in progress are closed; answers the number closed.
async fn close_chain(tx: &mut Tx, now_ms: i64, chain: &str) -> StoreResult<usize> {
    let mut u = Sql::new("UPDATE work_orders SET status = 'closed', closed_ms = ");
    u.bind(now_ms)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE chain_id = ", chain)
        .push(" AND status IN ('open', 'acknowledged', 'reported') RETURNING id");
    let mut closed = 0;
    for r in u.fetch_all(tx).await? {
        let id: String = r.try_get(0)?;
        timers::cancel(tx, &id, TimerCode::WorkOrderEscalate).await?;
        closed += 1;
    }
    Ok(closed)
}

/// The chain's orders: (id, object, status).
async fn chain_orders(tx: &mut Tx, chain: &str) -> StoreResult<Vec<(String, String, String)>> {
    let mut q = Sql::new("SELECT id, object_id, status FROM work_orders WHERE chain_id = ");
    q.bind(chain);
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

/// Still inside: the order follows the newest message; a released one comes back.
async fn keep_order(tx: &mut Tx, at: &ChainAt<'_>, id: &str, status: &str) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE work_orders SET warning_id = ");
    u.bind(at.warning_id)
        .push_bind(", updated_ms = ", at.now_ms);
    if status == "released" {
        u.push_bind(", status = 'open', escalation = 0, due_ms = ", at.due);
        let first = TimerKind::WorkOrderEscalate(OrderStep { step: 1 });
        timers::schedule(tx, at.now_ms, &first, id, at.due).await?;
    }
    u.push_bind(" WHERE id = ", id);
    u.execute(tx).await?;
    Ok(())
}

/// A new order for an object newly inside, with its first escalation timer; answers its id.
async fn open_order(
    tx: &mut Tx,
    at: &ChainAt<'_>,
    object_id: &str,
    region: &str,
    actions: &[String],
) -> StoreResult<String> {
    let id = new_id();
    let mut ins = Sql::new(
        "INSERT INTO work_orders (id, chain_id, warning_id, object_id, region_code, status, actions, due_ms, escalation, relocated, created_ms, updated_ms) VALUES ",
    );
    ins.values(vec![
        id.clone().into(),
        at.chain.into(),
        at.warning_id.into(),
        object_id.into(),
        region.into(),
        "open".into(),
        join_codes(actions).into(),
        at.due.into(),
        0i64.into(),
        0i64.into(),
        at.now_ms.into(),
        at.now_ms.into(),
    ]);
    ins.execute(tx).await?;
    let first = TimerKind::WorkOrderEscalate(OrderStep { step: 1 });
    timers::schedule(tx, at.now_ms, &first, &id, at.due).await?;
    Ok(id)
}

/// Tells each new order's responsible person: in the app when they have an account, by SMS
/// (through the outbox) when their phone is a mobile. A 特殊群体's name stays out of the text.
async fn notify_responsible(
    tx: &mut Tx,
    now_ms: i64,
    headline: &str,
    minutes: i64,
    created: &[(String, String, Vec<String>)],
) -> StoreResult<()> {
    for chunk in created.chunks(500) {
        let mut q = Sql::new(
            "SELECT id, kind, name, personal, responsible_user_id, responsible_name, responsible_phone FROM protected_objects WHERE id IN ",
        );
        q.bind_list(chunk.iter().map(|(_, o, _)| o.as_str()));
        for r in q.fetch_all(tx).await? {
            let object_id: String = r.try_get(0)?;
            let Some((order_id, _, actions)) = chunk.iter().find(|(_, o, _)| *o == object_id)
            else {
                continue;
            };
            let (kind, name): (String, String) = (r.try_get(1)?, keys::open(r.try_get(2)?));
            let personal = r.try_get::<i64, _>(3)? == 1;
            let (title, body) =
                order::order_notice(headline, &kind, &name, personal, actions, minutes);
            let msg = yingji_core::kernel::notify::Message {
                event: "warning.order".into(),
                title,
                body,
                link: format!("/work-orders?id={order_id}"),
                subject_id: order_id.clone(),
            };
            let user: Option<String> = r.try_get(4)?;
            if let Some(u) = &user {
                crate::kernel::notifications::send(
                    tx,
                    now_ms,
                    std::slice::from_ref(u),
                    &msg.title,
                    &msg.body,
                    Some(&msg.link),
                )
                .await?;
            }
            let phone = keys::open_opt(r.try_get(6)?);
            let person = (user.unwrap_or_default(), r.try_get(5)?, phone);
            crate::kernel::outbox::text_people(tx, now_ms, &[person], &msg).await?;
        }
    }
    Ok(())
}

/// An order's deadline passed: if nobody acknowledged it, it goes up a level — step 1 to the
/// community's or street's staff (网格长/社区), step 2 to the street — each with a notification.
pub async fn fire_order_step(
    tx: &mut Tx,
    order_id: &str,
    timer: OrderStep,
    now_ms: i64,
) -> StoreResult<()> {
    let step = timer.step;
    let mut q = Sql::new(
        "SELECT w.status, w.region_code, o.name, o.kind, o.personal, n.headline FROM work_orders w JOIN protected_objects o ON o.id = w.object_id JOIN warnings n ON n.id = w.warning_id WHERE w.id = ",
    );
    q.bind(order_id);
    let Some(r) = q.fetch_optional(tx).await? else {
        return Ok(());
    };
    let status: String = r.try_get(0)?;
    if status != "open" {
        return Ok(());
    }
    let region: String = r.try_get(1)?;
    let (name, kind): (String, String) = (keys::open(r.try_get(2)?), r.try_get(3)?);
    let personal = r.try_get::<i64, _>(4)? == 1;
    let headline: String = r.try_get(5)?;
    let mut u = Sql::new("UPDATE work_orders SET escalation = ");
    u.bind(step)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE status = 'open' AND id = ", order_id);
    u.execute(tx).await?;
    // Step 1: staff of the community (12 digits) or, without any, of the street; step 2: the
    // street's staff and its duty group's robot or mailbox.
    let street = region.get(..9).unwrap_or(&region).to_string();
    let community = region.get(..12).unwrap_or(&region).to_string();
    let mut audience = escalation::resolve(tx, &[Target::Staff(&community)], false).await?;
    if step >= 2 || audience.users.is_empty() {
        audience = escalation::resolve(tx, &[Target::Staff(&street)], step >= 2).await?;
    }
    let (title, body) = order::escalation_notice(step, &headline, &kind, &name, personal);
    let msg = yingji_core::kernel::notify::Message {
        event: "warning.order.escalate".into(),
        title,
        body,
        link: format!("/work-orders?id={order_id}"),
        subject_id: order_id.to_string(),
    };
    let mut e = Escalation::to(msg, &audience);
    if step < 2 {
        let cfg = crate::prevention::rules::current_tx(tx, region.get(..6).unwrap_or(&region))
            .await?
            .rules
            .warning;
        let next = TimerKind::WorkOrderEscalate(OrderStep { step: 2 });
        e = e.then(next, now_ms + cfg.street_after_minutes * 60_000);
    }
    escalation::step(tx, now_ms, e).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Orders: the responsible person's answer, and the command view's figures
