//! 转移: evacuation plans per hazard point and community with their name lists, 转移 orders made
//! from a plan (the list copied, one answer per person: 到达 / 拒绝 / 失联), and the check-in of an
//! arrived person at the plan's shelter through the shelters register (its occupancy moves by the
//! register's guarded update; beyond capacity is refused).

use super::flood::forbid_unless;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::keys;
use crate::warning::targeting::{ProtectedObject, push_region};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::disasters::evacuation::{self as rules, CheckedPlan, answer_label};
use yingji_core::disasters::flood_access as access;

#[derive(Debug, Clone, Serialize)]
pub struct PlanPerson {
    pub id: String,
    pub name: String,
    pub phone: String,
    pub household: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub id: String,
    pub name: String,
    pub object_id: Option<String>,
    pub object_name: Option<String>,
    pub region_code: String,
    pub region_name: String,
    pub street_code: String,
    pub shelter_id: String,
    pub shelter_name: String,
    pub route: String,
    pub people: Vec<PlanPerson>,
    pub updated_ms: i64,
}

const PLAN_SELECT: &str = "SELECT p.*, o.name AS o_name, s.name AS s_name, r.name AS r_name FROM evacuation_plans p LEFT JOIN protected_objects o ON o.id = p.object_id JOIN shelters s ON s.id = p.shelter_id LEFT JOIN regions r ON r.code = p.region_code WHERE 1 = 1";

async fn plan_of(store: &Store, r: &AnyRow, with_people: bool) -> StoreResult<Plan> {
    let id: String = r.try_get("id")?;
    let mut people = Vec::new();
    if with_people {
        let mut q = Sql::new(
            "SELECT id, name, phone, household FROM evacuation_plan_people WHERE plan_id = ",
        );
        q.bind(id.as_str()).push(" ORDER BY seq");
        for p in store.fetch_all(q).await? {
            people.push(PlanPerson {
                id: p.try_get(0)?,
                name: p.try_get(1)?,
                phone: keys::open(p.try_get(2)?),
                household: p.try_get(3)?,
            });
        }
    }
    Ok(Plan {
        id,
        name: r.try_get("name")?,
        object_id: r.try_get("object_id")?,
        object_name: keys::open_opt(r.try_get("o_name")?),
        region_code: r.try_get("region_code")?,
        region_name: r
            .try_get::<Option<String>, _>("r_name")?
            .unwrap_or_default(),
        street_code: r.try_get("street_code")?,
        shelter_id: r.try_get("shelter_id")?,
        shelter_name: r.try_get("s_name")?,
        route: r.try_get("route")?,
        people,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// The plans the caller sees (without their lists).
pub async fn list_plans(store: &Store, ctx: &Ctx) -> StoreResult<Vec<Plan>> {
    forbid_unless(access::may_read(ctx.role))?;
    let mut q = Sql::new(PLAN_SELECT);
    push_region(&mut q, "p", &ctx.scope);
    q.push(" ORDER BY p.street_code, p.name, p.id LIMIT 2000");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        out.push(plan_of(store, &r, false).await?);
    }
    Ok(out)
}

/// One plan with its name list.
pub async fn get_plan(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Plan> {
    forbid_unless(access::may_read(ctx.role))?;
    let mut q = Sql::new(PLAN_SELECT);
    q.push_bind(" AND p.id = ", id);
    push_region(&mut q, "p", &ctx.scope);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    plan_of(store, &r, true).await
}

/// What a plan refers to, looked up before the transaction.
pub struct PlanRefs {
    pub object: Option<ProtectedObject>,
    pub region_code: String,
    pub shelter_id: String,
}

/// Looks up a plan's object (a hazard point the caller sees), community (inside the caller's
/// area) and shelter (in the register), each refused naming its field.
pub async fn plan_refs(
    store: &Store,
    ctx: &Ctx,
    object_id: Option<&str>,
    region_code: &str,
    shelter_id: &str,
) -> StoreResult<PlanRefs> {
    forbid_unless(access::may_command(ctx.role))?;
    let object = match object_id.filter(|o| !o.is_empty()) {
        None => None,
        Some(id) => {
            let o = crate::warning::targeting::get_object(store, ctx, id)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => StoreError::invalid("object_id", "承灾体不存在"),
                    e => e,
                })?;
            if !rules::PLAN_KINDS.contains(&o.kind.as_str()) {
                return Err(StoreError::invalid("object_id", rules::NOT_A_HAZARD_POINT));
            }
            Some(o)
        }
    };
    let mut q = Sql::new("SELECT COUNT(*) FROM regions WHERE code = ");
    q.bind(region_code);
    if region_code.len() < 12 || store.fetch_i64(q).await? == 0 {
        return Err(StoreError::invalid(
            "region_code",
            "请选择存在的村（社区）或网格",
        ));
    }
    if !ctx.scope.covers_region(region_code) {
        return Err(StoreError::Forbidden(access::OUTSIDE.into()));
    }
    let shelter = crate::resources::get_shelter(store, &ctx.scope, shelter_id)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => StoreError::invalid("shelter_id", "避难场所不存在"),
            e => e,
        })?;
    Ok(PlanRefs {
        object,
        region_code: region_code.to_string(),
        shelter_id: shelter.id,
    })
}

/// Writes a new plan with its list: its id.
pub async fn create_plan_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    plan: &CheckedPlan,
    refs: &PlanRefs,
) -> StoreResult<String> {
    let id = new_id();
    let street = refs.region_code.get(..9).unwrap_or(&refs.region_code);
    let mut q = Sql::new(
        "INSERT INTO evacuation_plans (id, name, object_id, region_code, street_code, shelter_id, route, created_by, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        plan.name.as_str().into(),
        refs.object.as_ref().map(|o| o.id.clone()).into(),
        refs.region_code.as_str().into(),
        street.into(),
        refs.shelter_id.as_str().into(),
        plan.route.as_str().into(),
        ctx.display_name.as_str().into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    for (i, (name, phone, household)) in plan.people.iter().enumerate() {
        let mut p = Sql::new(
            "INSERT INTO evacuation_plan_people (id, plan_id, seq, name, phone, household) VALUES ",
        );
        p.values(vec![
            new_id().into(),
            id.as_str().into(),
            (i as i64).into(),
            name.as_str().into(),
            keys::seal(phone)?.into(),
            household.as_str().into(),
        ]);
        p.execute(tx).await?;
    }
    let summary = format!("转移预案：{}（{}人）", plan.name, plan.people.len());
    let change = Change::of("evacuation.plan_save", "evacuation_plan", &id, summary);
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// One person on a 转移 order, with their answer.
#[derive(Debug, Clone, Serialize)]
pub struct OrderPerson {
    pub person_id: String,
    pub name: String,
    pub phone: String,
    pub household: String,
    /// arrived / refused / unreachable, or None while waiting.
    pub answer: Option<String>,
    pub answer_label: String,
    pub answered_ms: Option<i64>,
    pub checked_in: bool,
}

/// A 转移 order with its progress.
#[derive(Debug, Clone, Serialize)]
pub struct Order {
    pub id: String,
    pub plan_id: String,
    pub plan_name: String,
    pub warning_id: Option<String>,
    pub incident_id: Option<String>,
    pub region_code: String,
    pub street_code: String,
    pub shelter_id: String,
    pub shelter_name: String,
    pub shelter_capacity: i64,
    pub shelter_occupancy: i64,
    pub issued_by: String,
    pub issued_ms: i64,
    pub total: i64,
    pub arrived: i64,
    pub refused: i64,
    pub unreachable: i64,
    pub waiting: i64,
    pub checked_in: i64,
    pub people: Vec<OrderPerson>,
}

const ORDER_SELECT: &str = "SELECT e.*, p.name AS p_name, s.name AS s_name, s.capacity, s.occupancy FROM evacuation_orders e JOIN evacuation_plans p ON p.id = e.plan_id JOIN shelters s ON s.id = e.shelter_id WHERE 1 = 1";

async fn order_of(store: &Store, r: &AnyRow) -> StoreResult<Order> {
    let id: String = r.try_get("id")?;
    let mut q = Sql::new(
        "SELECT person_id, name, phone, household, answer, answered_ms, checked_in_ms FROM evacuation_answers WHERE order_id = ",
    );
    q.bind(id.as_str()).push(" ORDER BY seq");
    let mut people = Vec::new();
    for p in store.fetch_all(q).await? {
        let answer: Option<String> = p.try_get(4)?;
        people.push(OrderPerson {
            person_id: p.try_get(0)?,
            name: p.try_get(1)?,
            phone: keys::open(p.try_get(2)?),
            household: p.try_get(3)?,
            answer_label: answer_label(answer.as_deref().unwrap_or("")).into(),
            answer,
            answered_ms: p.try_get(5)?,
            checked_in: p.try_get::<Option<i64>, _>(6)?.is_some(),
        });
    }
    let count = |a: &str| {
        people
            .iter()
            .filter(|p| p.answer.as_deref() == Some(a))
            .count() as i64
    };
    Ok(Order {
        plan_id: r.try_get("plan_id")?,
        plan_name: r.try_get("p_name")?,
        warning_id: r.try_get("warning_id")?,
        incident_id: r.try_get("incident_id")?,
        region_code: r.try_get("region_code")?,
        street_code: r.try_get("street_code")?,
        shelter_id: r.try_get("shelter_id")?,
        shelter_name: r.try_get("s_name")?,
        shelter_capacity: r.try_get("capacity")?,
        shelter_occupancy: r.try_get("occupancy")?,
        issued_by: r.try_get("issued_by")?,
        issued_ms: r.try_get("issued_ms")?,
        total: people.len() as i64,
        arrived: count("arrived"),
        refused: count("refused"),
        unreachable: count("unreachable"),
        waiting: people.iter().filter(|p| p.answer.is_none()).count() as i64,
        checked_in: people.iter().filter(|p| p.checked_in).count() as i64,
        people,
        id,
    })
}

/// The 转移 orders the caller sees, newest first.
pub async fn list_orders(store: &Store, ctx: &Ctx) -> StoreResult<Vec<Order>> {
    forbid_unless(access::may_read(ctx.role))?;
    let mut q = Sql::new(ORDER_SELECT);
    push_region(&mut q, "e", &ctx.scope);
    q.push(" ORDER BY e.issued_ms DESC, e.id LIMIT 200");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        out.push(order_of(store, &r).await?);
    }
    Ok(out)
}

/// One 转移 order with its name list.
pub async fn get_order(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Order> {
    forbid_unless(access::may_read(ctx.role))?;
    let mut q = Sql::new(ORDER_SELECT);
    q.push_bind(" AND e.id = ", id);
    push_region(&mut q, "e", &ctx.scope);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    order_of(store, &r).await
}

/// Whether a warning or incident named exists; refused naming `field` if not.
pub async fn check_link(
    store: &Store,
    table: &str,
    field: &str,
    id: Option<&str>,
) -> StoreResult<()> {
    let Some(id) = id.filter(|i| !i.is_empty()) else {
        return Ok(());
    };
    let mut q = Sql::new(&format!("SELECT COUNT(*) FROM {table} WHERE id = "));
    q.bind(id);
    if store.fetch_i64(q).await? == 0 {
        let what = if table == "warnings" {
            "预警"
        } else {
            "突发事件"
        };
        return Err(StoreError::invalid(field, format!("{what}不存在")));
    }
    Ok(())
}

/// Issues a 转移 order from `plan` (read by the caller): its name list copied, every answer
/// waiting; the order's id.
pub async fn issue_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    plan: &Plan,
    warning_id: Option<&str>,
    incident_id: Option<&str>,
) -> StoreResult<String> {
    forbid_unless(access::may_command(ctx.role))?;
    if !ctx.scope.covers_region(&plan.region_code) {
        return Err(StoreError::Forbidden(access::OUTSIDE.into()));
    }
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO evacuation_orders (id, plan_id, warning_id, incident_id, region_code, street_code, shelter_id, issued_by, issued_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        plan.id.as_str().into(),
        warning_id.filter(|s| !s.is_empty()).into(),
        incident_id.filter(|s| !s.is_empty()).into(),
        plan.region_code.as_str().into(),
        plan.street_code.as_str().into(),
        plan.shelter_id.as_str().into(),
        ctx.display_name.as_str().into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    for (i, p) in plan.people.iter().enumerate() {
        let mut a = Sql::new(
            "INSERT INTO evacuation_answers (order_id, person_id, seq, name, phone, household) VALUES ",
        );
        a.values(vec![
            id.as_str().into(),
            p.id.as_str().into(),
            (i as i64).into(),
            p.name.as_str().into(),
            keys::seal(&p.phone)?.into(),
            p.household.as_str().into(),
        ]);
        a.execute(tx).await?;
    }
    let summary = format!("转移指令：{}（{}人）", plan.name, plan.people.len());
    let change = Change::of("evacuation.order", "evacuation_order", &id, summary);
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// The person `person_id` on `order`, or refused naming `person_id`.
pub fn person_on<'a>(order: &'a Order, person_id: &str) -> StoreResult<&'a OrderPerson> {
    order
        .people
        .iter()
        .find(|p| p.person_id == person_id)
        .ok_or_else(|| StoreError::invalid("person_id", rules::NOT_ON_LIST))
}

/// Records a person's answer (checked by the caller) on `order` (read by the caller).
pub async fn answer_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    order: &Order,
    person: &OrderPerson,
    answer: &str,
) -> StoreResult<()> {
    forbid_unless(access::may_answer(ctx.role))?;
    if !ctx.scope.covers_region(&order.region_code) {
        return Err(StoreError::Forbidden(access::OUTSIDE.into()));
    }
    if person.checked_in && answer != "arrived" {
        return Err(StoreError::conflict("answer", rules::ALREADY_CHECKED_IN));
    }
    let mut u = Sql::new("UPDATE evacuation_answers SET answer = ");
    u.bind(answer)
        .push_bind(", answered_ms = ", now_ms)
        .push_bind(", answered_by = ", ctx.display_name.as_str())
        .push_bind(" WHERE order_id = ", order.id.as_str())
        .push_bind(" AND person_id = ", person.person_id.as_str());
    u.execute(tx).await?;
    let change = Change::of(
        "evacuation.answer",
        "evacuation_order",
        &order.id,
        rules::answered(&person.name, answer),
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// Marks an arrived person checked in (after the shelter's movement was written in the same
/// transaction); refused when they were already.
pub async fn mark_checked_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    order: &Order,
    person: &OrderPerson,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE evacuation_answers SET checked_in_ms = ");
    u.bind(now_ms)
        .push_bind(
            " WHERE checked_in_ms IS NULL AND answer = 'arrived' AND order_id = ",
            order.id.as_str(),
        )
        .push_bind(" AND person_id = ", person.person_id.as_str());
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict("person_id", rules::ALREADY_CHECKED_IN));
    }
    let summary = format!("转移安置：{}入住{}", person.name, order.shelter_name);
    let change = Change::of(
        "evacuation.check_in",
        "evacuation_order",
        &order.id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}
