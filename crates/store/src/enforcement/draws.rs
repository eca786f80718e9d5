//! 双随机 draws: the record of each (its inputs, their hash and the result), read within the
//! caller's departments or, once published, by anyone (一公开).

use super::push_departments;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::enforcement::{draw_summary, publish_summary};

/// An inspector of a drawn team, as published (name and 执法证号 only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub user_id: String,
    pub name: String,
    pub cert_no: String,
}

/// One drawn enterprise with its team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawnPick {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub team: Vec<TeamMember>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Draw {
    pub id: String,
    pub department_id: String,
    pub department_name: String,
    pub item_id: String,
    pub item_name: String,
    pub title: String,
    pub region_code: String,
    pub seed: String,
    pub draw_day: String,
    pub pool_size: i64,
    pub candidates: i64,
    pub picked: i64,
    pub inputs_hash: String,
    pub result: Vec<DrawnPick>,
    pub drawn_by_name: String,
    pub drawn_ms: i64,
    pub published_ms: Option<i64>,
}

const COLUMNS: &str = "w.id, w.department_id, d.name AS department_name, w.item_id, i.name AS item_name, w.title, w.region_code, w.seed, w.draw_day, w.pool_size, w.candidates, w.picked, w.inputs_hash, w.result, w.drawn_by_name, w.drawn_ms, w.published_ms";
const FROM: &str = " FROM enforcement_draws w JOIN departments d ON d.id = w.department_id JOIN enforcement_items i ON i.id = w.item_id WHERE 1 = 1";

fn from_row(r: &AnyRow) -> StoreResult<Draw> {
    let result: String = r.try_get("result")?;
    Ok(Draw {
        id: r.try_get("id")?,
        department_id: r.try_get("department_id")?,
        department_name: r.try_get("department_name")?,
        item_id: r.try_get("item_id")?,
        item_name: r.try_get("item_name")?,
        title: r.try_get("title")?,
        region_code: r.try_get("region_code")?,
        seed: r.try_get("seed")?,
        draw_day: r.try_get("draw_day")?,
        pool_size: r.try_get("pool_size")?,
        candidates: r.try_get("candidates")?,
        picked: r.try_get("picked")?,
        inputs_hash: r.try_get("inputs_hash")?,
        result: serde_json::from_str(&result).unwrap_or_default(),
        drawn_by_name: r.try_get("drawn_by_name")?,
        drawn_ms: r.try_get("drawn_ms")?,
        published_ms: r.try_get("published_ms")?,
    })
}

/// Draws the caller may see (or, `public`, the published ones), newest first.
pub async fn list(store: &Store, ctx: Option<&Ctx>, page: Page) -> StoreResult<(Vec<Draw>, i64)> {
    let mut w = Sql::new("");
    match ctx {
        Some(ctx) => push_departments(&mut w, ctx, "w.department_id")?,
        None => {
            w.push(" AND w.published_ms IS NOT NULL");
        }
    }
    store
        .page_of(
            &format!("SELECT COUNT(*){FROM}"),
            &format!("SELECT {COLUMNS}{FROM}"),
            w,
            "w.drawn_ms DESC, w.id DESC",
            page,
            from_row,
        )
        .await
}

/// One draw the caller may see (`None`: a published one, for the public).
pub async fn get(store: &Store, ctx: Option<&Ctx>, id: &str) -> StoreResult<Draw> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM}"));
    q.push_bind(" AND w.id = ", id);
    match ctx {
        Some(ctx) => push_departments(&mut q, ctx, "w.department_id")?,
        None => {
            q.push(" AND w.published_ms IS NOT NULL");
        }
    }
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// The recorded inputs of a draw the caller may see, as stored.
pub async fn inputs(store: &Store, ctx: Option<&Ctx>, id: &str) -> StoreResult<String> {
    let mut q = Sql::new("SELECT w.inputs FROM enforcement_draws w WHERE w.id = ");
    q.bind(id);
    match ctx {
        Some(ctx) => push_departments(&mut q, ctx, "w.department_id")?,
        None => {
            q.push(" AND w.published_ms IS NOT NULL");
        }
    }
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    Ok(row.try_get("inputs")?)
}

/// A draw to record.
pub struct NewDraw<'a> {
    pub department_id: &'a str,
    pub item_id: &'a str,
    pub title: &'a str,
    pub region_code: &'a str,
    pub seed: u64,
    pub draw_day: &'a str,
    pub pool_size: usize,
    pub candidates: usize,
    pub inputs: &'a str,
    pub inputs_hash: &'a str,
    pub result: &'a [DrawnPick],
}

/// Records a draw with its audit record (which carries the inputs' hash); answers its id.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    d: &NewDraw<'_>,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO enforcement_draws (id, department_id, item_id, title, region_code, seed, draw_day, pool_size, candidates, picked, inputs, inputs_hash, result, drawn_by, drawn_by_name, drawn_ms, published_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        d.department_id.into(),
        d.item_id.into(),
        d.title.into(),
        d.region_code.into(),
        d.seed.to_string().into(),
        d.draw_day.into(),
        (d.pool_size as i64).into(),
        (d.candidates as i64).into(),
        (d.result.len() as i64).into(),
        d.inputs.into(),
        d.inputs_hash.into(),
        serde_json::to_string(d.result).unwrap_or_default().into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        None::<i64>.into(),
    ]);
    q.execute(tx).await?;
    let summary = draw_summary(d.title, d.seed, d.result.len(), d.pool_size);
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(serde_json::json!({
                "seed": d.seed.to_string(), "inputs_sha256": d.inputs_hash,
                "picked": d.result.iter().map(|p| &p.enterprise_id).collect::<Vec<_>>(),
            })),
            ..Change::of("enforcement.draw", "enforcement_draw", &id, summary)
        },
    )
    .await?;
    Ok(id)
}

/// Makes a draw public (一公开); publishing again changes nothing.
pub async fn publish_in(tx: &mut Tx, ctx: &Ctx, now_ms: i64, draw: &Draw) -> StoreResult<()> {
    if draw.published_ms.is_some() {
        return Ok(());
    }
    let mut q = Sql::new("UPDATE enforcement_draws SET published_ms = ");
    q.bind(now_ms).push_bind(" WHERE id = ", draw.id.as_str());
    q.execute(tx).await?;
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change::of(
            "enforcement.publish",
            "enforcement_draw",
            &draw.id,
            publish_summary(&draw.title),
        ),
    )
    .await?;
    Ok(())
}
