//! A targeted warning's work order for a reservoir, dike, 山洪危险区 or 地灾隐患点 goes to its duty
//! persons, each with their part of the actions (`core::disasters::flood::duties_for_actions`):
//! recorded per order and duty, told in the app and by SMS; they see the order as theirs and may
//! answer it.

use crate::kernel::Ctx;
use crate::kernel::keys;
use crate::{Sql, Store, StoreResult, Tx};
use serde::Serialize;
use sqlx::Row;
use yingji_core::directory::enterprise::{join_codes, split_codes};
use yingji_core::disasters::flood::{self, DUTY_KINDS, duty_label};

/// One duty person an order went to.
#[derive(Debug, Clone, Serialize)]
pub struct OrderPerson {
    pub order_id: String,
    pub duty: String,
    pub duty_label: String,
    pub user_id: Option<String>,
    pub name: String,
    pub phone: String,
    pub actions: Vec<String>,
}

/// Gives each new order (id, object id, actions) of a duty object to its duty persons, in the
/// targeting transaction.
pub async fn assign(
    tx: &mut Tx,
    now_ms: i64,
    headline: &str,
    minutes: i64,
    created: &[(String, String, Vec<String>)],
) -> StoreResult<()> {
    for chunk in created.chunks(500) {
        let mut q = Sql::new("SELECT id, kind, name FROM protected_objects WHERE kind IN ");
        q.bind_list(DUTY_KINDS.iter().copied())
            .push(" AND id IN ")
            .bind_list(chunk.iter().map(|(_, o, _)| o.as_str()));
        for r in q.fetch_all(tx).await? {
            let (object_id, kind, name): (String, String, String) =
                (r.try_get(0)?, r.try_get(1)?, keys::open(r.try_get(2)?));
            let Some((order_id, _, actions)) = chunk.iter().find(|(_, o, _)| *o == object_id)
            else {
                continue;
            };
            let parts = flood::duties_for_actions(&kind, actions);
            let duties: Vec<&str> = parts.iter().map(|(d, _)| *d).collect();
            let holders = super::flood::holders_in(tx, &object_id, &duties).await?;
            for (duty, user, pname, phone) in holders {
                let Some((_, acts)) = parts.iter().find(|(d, _)| *d == duty) else {
                    continue;
                };
                let mut ins = Sql::new(
                    "INSERT INTO flood_order_persons (order_id, duty, user_id, name, phone, actions, created_ms) VALUES ",
                );
                ins.values(vec![
                    order_id.as_str().into(),
                    duty.as_str().into(),
                    user.clone().into(),
                    pname.as_str().into(),
                    keys::seal(&phone)?.into(),
                    join_codes(acts).into(),
                    now_ms.into(),
                ]);
                ins.execute(tx).await?;
                let (title, body) = flood::order_notice(headline, &name, &duty, acts, minutes);
                let msg = yingji_core::kernel::notify::Message {
                    event: "warning.order".into(),
                    title,
                    body,
                    link: format!("/work-orders?id={order_id}"),
                    subject_id: order_id.clone(),
                };
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
                let person = (user.unwrap_or_default(), pname, Some(phone));
                crate::kernel::outbox::text_people(tx, now_ms, &[person], &msg).await?;
            }
        }
    }
    Ok(())
}

/// Whether `user_id` is one of the duty persons `order_id` went to.
pub async fn is_order_person(store: &Store, order_id: &str, user_id: &str) -> StoreResult<bool> {
    let mut q = Sql::new("SELECT COUNT(*) FROM flood_order_persons WHERE order_id = ");
    q.bind(order_id).push_bind(" AND user_id = ", user_id);
    Ok(store.fetch_i64(q).await? > 0)
}

/// The duty persons of the orders of one warning chain the caller sees (`work_orders` scoped
/// by region), or of one order.
pub async fn persons(
    store: &Store,
    ctx: &Ctx,
    order_ids: &[String],
) -> StoreResult<Vec<OrderPerson>> {
    super::flood::forbid_unless(yingji_core::disasters::flood_access::may_read(ctx.role))?;
    let mut out = Vec::new();
    for chunk in order_ids.chunks(500) {
        let mut q = Sql::new(
            "SELECT p.order_id, p.duty, p.user_id, p.name, p.phone, p.actions FROM flood_order_persons p JOIN work_orders w ON w.id = p.order_id WHERE p.order_id IN ",
        );
        q.bind_list(chunk.iter().map(String::as_str));
        crate::warning::targeting::push_region(&mut q, "w", &ctx.scope);
        q.push(" ORDER BY p.order_id, p.duty");
        for r in store.fetch_all(q).await? {
            let duty: String = r.try_get(1)?;
            out.push(OrderPerson {
                order_id: r.try_get(0)?,
                duty_label: duty_label(&duty).into(),
                duty,
                user_id: r.try_get(2)?,
                name: r.try_get(3)?,
                phone: keys::open(r.try_get(4)?),
                actions: split_codes(&r.try_get::<String, _>(5)?),
            });
        }
    }
    Ok(out)
}

/// The ids of the work orders of an object (newest first), for its duty page.
pub async fn order_ids_of_object(store: &Store, object_id: &str) -> StoreResult<Vec<String>> {
    let mut q = Sql::new("SELECT id FROM work_orders WHERE object_id = ");
    q.bind(object_id).push(" ORDER BY created_ms DESC LIMIT 50");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
}
