//! The 重大安全风险 a department publishes on the public page: recorded, withdrawn, read within
//! the caller's departments and, for the public, those in their period.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::disclosure::CheckedRisk;
use yingji_core::credit::listings::{NOT_A_MANAGER, may_manage};

#[derive(Debug, Clone)]
pub struct Risk {
    pub id: String,
    pub department_id: String,
    pub department_name: String,
    pub title: String,
    pub place: String,
    pub advice: String,
    pub from_day: String,
    pub until_day: String,
    pub withdrawn: bool,
    pub created_by_name: String,
    pub created_ms: i64,
}

const SELECT: &str = "SELECT r.*, d.name AS department_name FROM credit_public_risks r JOIN departments d ON d.id = r.department_id WHERE 1 = 1";

fn from_row(r: &AnyRow) -> StoreResult<Risk> {
    Ok(Risk {
        id: r.try_get("id")?,
        department_id: r.try_get("department_id")?,
        department_name: r.try_get("department_name")?,
        title: r.try_get("title")?,
        place: r.try_get("place")?,
        advice: r.try_get("advice")?,
        from_day: r.try_get("from_day")?,
        until_day: r.try_get("until_day")?,
        withdrawn: r.try_get::<i64, _>("withdrawn")? != 0,
        created_by_name: r.try_get("created_by_name")?,
        created_ms: r.try_get("created_ms")?,
    })
}

fn push_scope(sql: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    if !may_manage(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    super::listings::push_department_scope(sql, &ctx.scope, "r.department_id", "r.department_id");
    Ok(())
}

pub async fn list(store: &Store, ctx: &Ctx) -> StoreResult<Vec<Risk>> {
    let mut q = Sql::new(SELECT);
    push_scope(&mut q, ctx)?;
    q.push(" ORDER BY r.created_ms DESC");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Risk> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND r.id = ", id);
    push_scope(&mut q, ctx)?;
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    department_id: &str,
    r: &CheckedRisk,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO credit_public_risks (id, department_id, title, place, advice, from_day, until_day, withdrawn, created_by_name, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        department_id.into(),
        r.title.clone().into(),
        r.place.clone().into(),
        r.advice.clone().into(),
        r.from_day.to_string().into(),
        r.until_day.to_string().into(),
        0i64.into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let summary = format!(
        "公开重大安全风险“{}”（{}至{}）",
        r.title, r.from_day, r.until_day
    );
    let change = Change {
        after: Some(serde_json::json!({
            "department_id": department_id, "title": r.title, "place": r.place,
            "advice": r.advice, "from_day": r.from_day.to_string(), "until_day": r.until_day.to_string(),
        })),
        ..Change::of("credit.publish_risk", "credit_public_risk", &id, summary)
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// Takes a risk off the public page.
pub async fn withdraw_in(tx: &mut Tx, ctx: &Ctx, now_ms: i64, risk: &Risk) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE credit_public_risks SET withdrawn = 1, updated_ms = ");
    q.bind(now_ms)
        .push_bind(" WHERE withdrawn = 0 AND id = ", risk.id.clone());
    if q.execute(tx).await? == 0 {
        return Err(StoreError::Conflict {
            field: "id".into(),
            message: "该风险已撤下".into(),
        });
    }
    let summary = format!("撤下公开的重大安全风险“{}”", risk.title);
    let change = Change::of(
        "credit.withdraw_risk",
        "credit_public_risk",
        &risk.id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// The risks shown on the public page on `today`.
pub async fn public(store: &Store, today: &str) -> StoreResult<Vec<Risk>> {
    let mut q = Sql::new(SELECT);
    q.push(" AND r.withdrawn = 0")
        .push_bind(" AND r.from_day <= ", today.to_string())
        .push_bind(" AND r.until_day >= ", today.to_string())
        .push(" ORDER BY r.from_day DESC, r.id");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}
