//! 巡查打卡: the check-ins, read within the caller's scope (a grid worker their own, a supervisor
//! those of their area), and the write of one check-in with its photos and audit record.

use crate::kernel::Ctx;
use crate::kernel::attachments::{self, Attachment};
use crate::kernel::audit::{self, Change};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_core::kernel::role::Scope;
use yingji_core::patrols::{
    CheckedPatrol, NOT_A_PATROL_READER, check_in_summary, may_read, may_supervise,
};

pub use yingji_core::patrols::PatrolInput;

/// The attachments' owner type of a check-in's photos.
pub const OWNER_TYPE: &str = "patrol";

#[derive(Debug, Clone, serde::Serialize)]
pub struct Patrol {
    pub id: String,
    pub user_id: String,
    pub user_name: String,
    pub region_code: String,
    pub region_name: String,
    pub lon: f64,
    pub lat: f64,
    pub accuracy_m: Option<f64>,
    pub note: Option<String>,
    pub checked_ms: i64,
    /// The point lies outside the region's boundary (recorded, not refused).
    pub outside_area: bool,
    /// The patrol task (巡查任务) it belongs to.
    pub task_id: Option<String>,
    pub attachments: Vec<Attachment>,
}

fn from_row(r: &sqlx::any::AnyRow) -> StoreResult<Patrol> {
    Ok(Patrol {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        user_name: r.try_get("user_name")?,
        region_code: r.try_get("region_code")?,
        region_name: r.try_get("region_name")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        accuracy_m: r.try_get("accuracy_m")?,
        note: r.try_get("note")?,
        checked_ms: r.try_get("checked_ms")?,
        outside_area: r.try_get::<i64, _>("outside_area")? != 0,
        task_id: r.try_get("task_id")?,
        attachments: vec![],
    })
}

#[derive(Debug, Clone, Default)]
pub struct PatrolFilter {
    /// [start, end) in ms.
    pub span: Option<(i64, i64)>,
    /// Only the caller's own check-ins (what a grid worker always gets).
    pub mine: bool,
    /// A region (grid, community or street) inside the caller's scope.
    pub region: Option<String>,
}

/// Limits a query on `patrols` to what the caller may read.
fn push_visible(q: &mut Sql, ctx: &Ctx, mine: bool) -> StoreResult<()> {
    if !may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_PATROL_READER.into()));
    }
    if mine || !may_supervise(ctx.role) {
        q.push_bind(" AND user_id = ", ctx.user_id.clone());
    }
    match &ctx.scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            q.push_bind(" AND region_code LIKE ", format!("{prefix}%"));
        }
        // 保险机构人员 see only their policyholders' 安责险 records (credit::insurance).
        Scope::Insurer { .. } => {
            q.push(" AND 1 = 0");
        }
        Scope::Enterprise { .. } => {
            q.push(" AND 1 = 0");
        }
    }
    Ok(())
}

/// Check-ins the caller may read, newest first, with their photos.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    f: &PatrolFilter,
    page: Page,
) -> StoreResult<(Vec<Patrol>, i64)> {
    let mut w = Sql::new("");
    push_visible(&mut w, ctx, f.mine)?;
    if let Some((from, to)) = f.span {
        w.push_bind(" AND checked_ms >= ", from)
            .push_bind(" AND checked_ms < ", to);
    }
    if let Some(r) = f.region.as_deref().filter(|r| !r.is_empty()) {
        w.push_bind(" AND region_code LIKE ", format!("{r}%"));
    }
    let (rows, total) = store
        .page_of(
            "SELECT COUNT(*) FROM patrols WHERE 1 = 1",
            "SELECT * FROM patrols WHERE 1 = 1",
            w,
            "checked_ms DESC, id DESC",
            page,
            from_row,
        )
        .await?;
    let mut items = Vec::new();
    for mut p in rows {
        p.attachments = attachments::list_for(store, &p.id).await?;
        items.push(p);
    }
    Ok((items, total))
}

/// One check-in the caller may read.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Patrol> {
    let mut q = Sql::new("SELECT * FROM patrols WHERE id = ");
    q.bind(id);
    push_visible(&mut q, ctx, false)?;
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let mut p = from_row(&row)?;
    p.attachments = attachments::list_for(store, &p.id).await?;
    Ok(p)
}

/// The region a check-in is recorded in: its code and name, and whether the point lies outside
/// its boundary (`yingji_core::patrols::outside_area`).
pub struct Place<'a> {
    pub region_code: &'a str,
    pub region_name: &'a str,
    pub outside_area: bool,
    /// The patrol task it belongs to (checked by the caller).
    pub task_id: Option<&'a str>,
}

/// Writes a checked check-in of the caller at `place`, links its photos and appends the audit
/// record, in the caller's transaction; answers its id.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    place: Place<'_>,
    c: &CheckedPatrol,
    photos: &[String],
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO patrols (id, user_id, user_name, region_code, region_name, lon, lat, accuracy_m, note, checked_ms, outside_area, task_id) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        place.region_code.into(),
        place.region_name.into(),
        c.lon.into(),
        c.lat.into(),
        c.accuracy_m.into(),
        c.note.clone().into(),
        now_ms.into(),
        i64::from(place.outside_area).into(),
        place.task_id.into(),
    ]);
    q.execute(tx).await?;
    attachments::link(
        tx,
        photos,
        OWNER_TYPE,
        &id,
        Some(&ctx.user_id),
        "attachments",
    )
    .await?;
    let summary = check_in_summary(
        &ctx.display_name,
        place.region_name,
        photos.len(),
        place.outside_area,
    );
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(serde_json::json!({
                "region_code": place.region_code, "lon": c.lon, "lat": c.lat, "note": c.note,
                "photos": photos.len(), "outside_area": place.outside_area, "task_id": place.task_id,
            })),
            ..Change::of("patrol.check_in", "patrol", &id, summary)
        },
    )
    .await?;
    Ok(id)
}
