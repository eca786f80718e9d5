//! 防汛责任人: the duty persons of reservoirs, dikes, 山洪危险区 and 地灾隐患点 (one per object and
//! duty), which objects lack some before the flood season, and the public 公示 list by street.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::keys;
use crate::warning::targeting::{self, ProtectedObject, push_region};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use yingji_core::disasters::flood::{
    self, CheckedDuty, DUTY_KINDS, duties_for, duty_label, missing_duties,
};
use yingji_core::disasters::flood_access::{self as access};
use yingji_core::warning::target::kind_label;

#[derive(Debug, Clone, Serialize)]
pub struct DutyPerson {
    pub duty: String,
    pub duty_label: String,
    pub name: String,
    pub post: String,
    pub phone: String,
    pub user_id: Option<String>,
}

/// An object with its duty persons and what it lacks.
#[derive(Debug, Clone, Serialize)]
pub struct DutyObject {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub address: String,
    pub region_code: String,
    pub street_code: String,
    pub street_name: String,
    pub persons: Vec<DutyPerson>,
    /// The duties nobody holds (labels).
    pub missing: Vec<String>,
    pub complete: bool,
}

/// Which duty objects to list.
#[derive(Debug, Clone, Default)]
pub struct DutyFilter {
    pub street: Option<String>,
    pub kind: Option<String>,
    pub incomplete: bool,
}

pub(crate) fn forbid_unless(allowed: bool) -> StoreResult<()> {
    if allowed {
        Ok(())
    } else {
        Err(StoreError::Forbidden(access::DENIED.into()))
    }
}

const OBJECT_SELECT: &str = "SELECT o.id, o.kind, o.name, o.address, o.region_code, o.street_code, r.name AS street_name FROM protected_objects o LEFT JOIN regions r ON r.code = o.street_code WHERE o.deactivated_ms IS NULL";

async fn persons_of(store: &Store, ids: &[String]) -> StoreResult<Vec<(String, DutyPerson)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut q = Sql::new(
            "SELECT object_id, duty, name, post, phone, user_id FROM flood_duty_persons WHERE object_id IN ",
        );
        q.bind_list(chunk.iter().map(String::as_str));
        for r in store.fetch_all(q).await? {
            let duty: String = r.try_get(1)?;
            out.push((
                r.try_get(0)?,
                DutyPerson {
                    duty_label: duty_label(&duty).into(),
                    duty,
                    name: r.try_get(2)?,
                    post: r.try_get(3)?,
                    phone: keys::open(r.try_get(4)?),
                    user_id: r.try_get(5)?,
                },
            ));
        }
    }
    Ok(out)
}

/// Objects (rows of OBJECT_SELECT) with their persons, in the 公示牌's duty order.
async fn with_persons(store: &Store, q: Sql, incomplete: bool) -> StoreResult<Vec<DutyObject>> {
    let rows = store.fetch_all(q).await?;
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<_, _>>()?;
    let persons = persons_of(store, &ids).await?;
    let mut out = Vec::new();
    for r in rows {
        let id: String = r.try_get(0)?;
        let kind: String = r.try_get(1)?;
        let mut mine: Vec<DutyPerson> = persons
            .iter()
            .filter(|(o, _)| *o == id)
            .map(|(_, p)| p.clone())
            .collect();
        let order = |d: &str| flood::DUTIES.iter().position(|(c, _)| *c == d);
        mine.sort_by_key(|p| order(&p.duty));
        let present: Vec<String> = mine.iter().map(|p| p.duty.clone()).collect();
        let missing = missing_duties(&kind, &present);
        if incomplete && missing.is_empty() {
            continue;
        }
        out.push(DutyObject {
            id,
            kind_label: kind_label(&kind).into(),
            kind,
            name: keys::open(r.try_get(2)?),
            address: keys::open(r.try_get(3)?),
            region_code: r.try_get(4)?,
            street_code: r.try_get(5)?,
            street_name: r.try_get::<Option<String>, _>(6)?.unwrap_or_default(),
            persons: mine,
            complete: missing.is_empty(),
            missing,
        });
    }
    Ok(out)
}

fn push_filter(q: &mut Sql, f: &DutyFilter) {
    match f.kind.as_deref().filter(|k| DUTY_KINDS.contains(k)) {
        Some(k) => {
            q.push_bind(" AND o.kind = ", k.to_string());
        }
        None => {
            q.push(" AND o.kind IN ")
                .bind_list(DUTY_KINDS.iter().copied());
        }
    }
    if let Some(s) = f.street.as_deref().filter(|s| !s.is_empty()) {
        q.push_bind(" AND o.street_code = ", s.to_string());
    }
}

/// The duty objects the caller sees, with their persons; `incomplete` keeps those lacking some.
pub async fn list(store: &Store, ctx: &Ctx, f: &DutyFilter) -> StoreResult<Vec<DutyObject>> {
    forbid_unless(access::may_read(ctx.role))?;
    let mut q = Sql::new(OBJECT_SELECT);
    push_filter(&mut q, f);
    push_region(&mut q, "o", &ctx.scope);
    q.push(" ORDER BY o.street_code, o.kind, o.name, o.id LIMIT 5000");
    with_persons(store, q, f.incomplete).await
}

/// The public 公示 list: every duty object of the district (or one street) that has persons,
/// with them.
pub async fn public_list(store: &Store, street: Option<&str>) -> StoreResult<Vec<DutyObject>> {
    let mut q = Sql::new(OBJECT_SELECT);
    push_filter(
        &mut q,
        &DutyFilter {
            street: street.map(str::to_string),
            ..Default::default()
        },
    );
    q.push(" ORDER BY o.street_code, o.kind, o.name, o.id LIMIT 5000");
    // Only objects with someone to call are posted.
    let mut out = with_persons(store, q, false).await?;
    out.retain(|o| !o.persons.is_empty());
    Ok(out)
}

/// One duty object the caller sees (not found outside its scope; refused when of another kind).
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<DutyObject> {
    let object = duty_object(store, ctx, id, "id").await?;
    let mut q = Sql::new(OBJECT_SELECT);
    q.push_bind(" AND o.id = ", object.id);
    with_persons(store, q, false)
        .await?
        .into_iter()
        .next()
        .ok_or(StoreError::NotFound)
}

/// A 承灾体 the caller sees that has duty persons; `field` names it in the refusal.
pub async fn duty_object(
    store: &Store,
    ctx: &Ctx,
    id: &str,
    field: &str,
) -> StoreResult<ProtectedObject> {
    forbid_unless(access::may_read(ctx.role))?;
    let o = targeting::get_object(store, ctx, id).await?;
    if !DUTY_KINDS.contains(&o.kind.as_str()) {
        return Err(StoreError::invalid(field, flood::wrong_kind(&o.kind_label)));
    }
    Ok(o)
}

/// Checks that the accounts named exist: the first unknown one's field.
pub async fn check_accounts(store: &Store, persons: &[CheckedDuty]) -> StoreResult<()> {
    for (i, p) in persons.iter().enumerate() {
        if let Some(u) = &p.user_id {
            let mut q = Sql::new("SELECT role FROM users WHERE id = ");
            q.bind(u.as_str());
            let role: Option<String> = match store.fetch_optional(q).await? {
                Some(r) => Some(r.try_get(0)?),
                None => None,
            };
            let field = format!("persons[{i}].user_id");
            match role {
                None => {
                    return Err(StoreError::invalid(
                        &field,
                        format!("第{}人：账号不存在", i + 1),
                    ));
                }
                Some(code) if !access::may_hold_duty(&code) => {
                    return Err(StoreError::invalid(
                        &field,
                        format!(
                            "第{}人：该账号不能担任防汛责任人（应为政府工作人员或网格员）",
                            i + 1
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}

/// Replaces an object's duty persons (checked by the caller) and audits it.
pub async fn save_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    object: &ProtectedObject,
    persons: &[CheckedDuty],
) -> StoreResult<()> {
    forbid_unless(access::may_keep_duty(ctx.role))?;
    if !ctx.scope.covers_region(&object.region_code) {
        return Err(StoreError::Forbidden(access::OUTSIDE.into()));
    }
    let mut d = Sql::new("DELETE FROM flood_duty_persons WHERE object_id = ");
    d.bind(object.id.as_str());
    d.execute(tx).await?;
    for p in persons {
        let mut q = Sql::new(
            "INSERT INTO flood_duty_persons (id, object_id, duty, name, post, phone, user_id, region_code, updated_ms) VALUES ",
        );
        q.values(vec![
            new_id().into(),
            object.id.as_str().into(),
            p.duty.as_str().into(),
            p.name.as_str().into(),
            p.post.as_str().into(),
            keys::seal(&p.phone)?.into(),
            p.user_id.clone().into(),
            object.region_code.as_str().into(),
            now_ms.into(),
        ]);
        q.execute(tx).await?;
    }
    let after = serde_json::json!(
        persons
            .iter()
            .map(|p| serde_json::json!({"duty": p.duty, "name": p.name, "post": p.post}))
            .collect::<Vec<_>>()
    );
    let change = Change {
        after: Some(after),
        ..Change::of(
            "flood.duty_save",
            "protected_object",
            &object.id,
            flood::duty_saved(&object.name, persons),
        )
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// The duty persons of `object_id` holding one of `duties` (in the caller's transaction):
/// (duty, user id, name, phone).
pub(crate) async fn holders_in(
    tx: &mut Tx,
    object_id: &str,
    duties: &[&str],
) -> StoreResult<Vec<(String, Option<String>, String, String)>> {
    let mut q =
        Sql::new("SELECT duty, user_id, name, phone FROM flood_duty_persons WHERE object_id = ");
    q.bind(object_id)
        .push(" AND duty IN ")
        .bind_list(duties.iter().copied());
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            let phone = keys::open(r.try_get(3)?);
            Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, phone))
        })
        .collect()
}

/// The duties an object of `kind` has, as codes (for the console's form).
pub fn duty_codes(kind: &str) -> Vec<&'static str> {
    duties_for(kind).iter().map(|(c, _)| *c).collect()
}

/// The name of the district `region_code` lies in (its first six digits), for the 公示牌.
pub async fn district_name(store: &Store, region_code: &str) -> StoreResult<String> {
    let mut q = Sql::new("SELECT name FROM regions WHERE code = ");
    q.bind(region_code.get(..6).unwrap_or(region_code));
    Ok(match store.fetch_optional(q).await? {
        Some(r) => r.try_get(0)?,
        None => String::new(),
    })
}
