//! 信用异议: an enterprise objects to its rating; the department answers (upheld, with the
//! rating adjusted, or rejected with its reason). Both steps audited.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone)]
pub struct ObjectionRow {
    pub id: String,
    pub enterprise_id: String,
    pub text: String,
    pub status: String,
    pub answer: Option<String>,
    pub points: Option<i64>,
    pub created_by_name: String,
    pub created_ms: i64,
    pub answered_by_name: Option<String>,
    pub answered_ms: Option<i64>,
}

fn from_row(r: &AnyRow) -> StoreResult<ObjectionRow> {
    Ok(ObjectionRow {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        text: r.try_get("text")?,
        status: r.try_get("status")?,
        answer: r.try_get("answer")?,
        points: r.try_get("points")?,
        created_by_name: r.try_get("created_by_name")?,
        created_ms: r.try_get("created_ms")?,
        answered_by_name: r.try_get("answered_by_name")?,
        answered_ms: r.try_get("answered_ms")?,
    })
}

/// Records an objection (status `open`) with its audit record; answers its id.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    enterprise_id: &str,
    text: &str,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO credit_objections (id, enterprise_id, text, status, created_by, created_by_name, created_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        enterprise_id.into(),
        text.into(),
        "open".into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
    ]);
    q.execute(&mut *tx).await?;
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            action: "credit.object",
            entity_type: "credit_objection",
            entity_id: Some(&id),
            summary: format!("对信用等级提出异议：{text}"),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(id)
}

/// One objection (the caller checks the enterprise's scope).
pub async fn get(store: &Store, id: &str) -> StoreResult<ObjectionRow> {
    let mut q = Sql::new("SELECT * FROM credit_objections WHERE id = ");
    q.bind(id);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// An enterprise's objections, newest first.
pub async fn list(store: &Store, enterprise_id: &str) -> StoreResult<Vec<ObjectionRow>> {
    let mut q = Sql::new("SELECT * FROM credit_objections WHERE enterprise_id = ");
    q.bind(enterprise_id)
        .push(" ORDER BY created_ms DESC, id DESC");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// Records the answer of an open objection; false when it was answered already.
pub async fn answer_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    o: &ObjectionRow,
    upheld: bool,
    answer: &str,
    points: Option<i32>,
) -> StoreResult<bool> {
    let mut u = Sql::new("UPDATE credit_objections SET status = ");
    u.bind(if upheld { "upheld" } else { "rejected" })
        .push_bind(", answer = ", answer)
        .push_bind(", points = ", points.map(i64::from))
        .push_bind(", answered_by_name = ", ctx.display_name.clone())
        .push_bind(", answered_ms = ", now_ms)
        .push_bind(" WHERE status = 'open' AND id = ", o.id.clone());
    if u.execute(&mut *tx).await? == 0 {
        return Ok(false);
    }
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            action: "credit.answer_objection",
            entity_type: "credit_objection",
            entity_id: Some(&o.id),
            summary: yingji_core::credit::rating::answer_summary(upheld, answer),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(true)
}
