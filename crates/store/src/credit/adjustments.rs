//! A department's adjustment of a rating: points with a written reason, audited; it counts as a
//! fact of the rating from its day, like any other record.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreResult, Tx, new_id};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct AdjustmentRow {
    pub id: String,
    pub day: String,
    pub points: i64,
    pub reason: String,
    pub objection_id: Option<String>,
    pub created_by_name: String,
    pub created_ms: i64,
}

/// An adjustment to record.
pub struct NewAdjustment<'a> {
    pub enterprise_id: &'a str,
    pub day: &'a str,
    pub points: i32,
    pub reason: &'a str,
    pub objection_id: Option<&'a str>,
}

/// Records an adjustment with its audit record; answers its id.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    a: &NewAdjustment<'_>,
) -> StoreResult<String> {
    let NewAdjustment {
        enterprise_id,
        day,
        points,
        reason,
        objection_id,
    } = *a;
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO credit_adjustments (id, enterprise_id, day, points, reason, objection_id, created_by, created_by_name, created_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        enterprise_id.into(),
        day.into(),
        i64::from(points).into(),
        reason.into(),
        objection_id.into(),
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
            action: "credit.adjust",
            entity_type: "credit_rating",
            entity_id: Some(enterprise_id),
            summary: yingji_core::credit::rating::adjustment_summary(points, reason),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(id)
}

/// An enterprise's adjustments, newest first (the caller has checked the scope).
pub async fn list(store: &Store, enterprise_id: &str) -> StoreResult<Vec<AdjustmentRow>> {
    let mut q = Sql::new("SELECT * FROM credit_adjustments WHERE enterprise_id = ");
    q.bind(enterprise_id)
        .push(" ORDER BY created_ms DESC, id DESC");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(AdjustmentRow {
                id: r.try_get("id")?,
                day: r.try_get("day")?,
                points: r.try_get("points")?,
                reason: r.try_get("reason")?,
                objection_id: r.try_get("objection_id")?,
                created_by_name: r.try_get("created_by_name")?,
                created_ms: r.try_get("created_ms")?,
            })
        })
        .collect()
}
