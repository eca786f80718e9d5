//! 巡查任务: the rows of patrol tasks, read within the caller's reach (the assignee their own;
//! administrators, the bureau and street staff those of their area), and their writes with the
//! audit record in the caller's transaction.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::grid::overlays::kind_label;
use yingji_core::grid::patrol_tasks::{CheckedTask, TrackPoint, created_summary};
use yingji_core::kernel::role::Scope;

pub const NOT_A_TASK_READER: &str = "巡查任务仅供接受任务的网格员、街道人员、局领导和管理员查看";

#[derive(Debug, Clone, serde::Serialize)]
pub struct Task {
    pub id: String,
    pub title: String,
    pub assignee_id: String,
    pub assignee_name: String,
    pub grid_kind: String,
    pub grid_kind_label: String,
    pub grid_code: String,
    pub grid_name: String,
    pub street_code: String,
    pub route: Option<serde_json::Value>,
    pub note: Option<String>,
    pub due_day: String,
    /// As stored: pending, in_progress, done (overdue is computed when read).
    pub status: String,
    /// `[[lon, lat, t_ms], …]`.
    pub track: Vec<TrackPoint>,
    pub track_points: i64,
    pub started_ms: Option<i64>,
    pub finished_ms: Option<i64>,
    pub created_by_name: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

fn from_row(r: &AnyRow) -> StoreResult<Task> {
    let kind: String = r.try_get("grid_kind")?;
    let route: Option<String> = r.try_get("route")?;
    let track: String = r.try_get("track")?;
    Ok(Task {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        assignee_id: r.try_get("assignee_id")?,
        assignee_name: r.try_get("assignee_name")?,
        grid_kind_label: kind_label(&kind).to_string(),
        grid_kind: kind,
        grid_code: r.try_get("grid_code")?,
        grid_name: r.try_get("grid_name")?,
        street_code: r.try_get("street_code")?,
        route: route.and_then(|t| serde_json::from_str(&t).ok()),
        note: r.try_get("note")?,
        due_day: r.try_get("due_day")?,
        status: r.try_get("status")?,
        track: serde_json::from_str(&track).unwrap_or_default(),
        track_points: r.try_get("track_points")?,
        started_ms: r.try_get("started_ms")?,
        finished_ms: r.try_get("finished_ms")?,
        created_by_name: r.try_get("created_by_name")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Limits a query on `grid_patrol_tasks` to what the caller may read.
fn push_visible(q: &mut Sql, ctx: &Ctx, mine: bool) -> StoreResult<()> {
    use yingji_core::grid::patrol_tasks::{may_read, supervises};
    if !may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_TASK_READER.into()));
    }
    if mine || !supervises(ctx.role) {
        q.push_bind(" AND assignee_id = ", ctx.user_id.clone());
        return Ok(());
    }
    match &ctx.scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            q.push_bind(" AND (street_code LIKE ", format!("{prefix}%"))
                .push_bind(" OR assignee_id = ", ctx.user_id.clone())
                .push(")");
        }
        Scope::Enterprise { .. } | Scope::Insurer { .. } => {
            q.push(" AND 1 = 0");
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// Only the caller's own.
    pub mine: bool,
    pub assignee: Option<String>,
    pub grid_code: Option<String>,
}

/// The tasks the caller may read, latest due first (at most 500).
pub async fn list(store: &Store, ctx: &Ctx, f: &TaskFilter) -> StoreResult<Vec<Task>> {
    let mut q = Sql::new("SELECT * FROM grid_patrol_tasks WHERE 1 = 1");
    push_visible(&mut q, ctx, f.mine)?;
    if let Some(a) = f.assignee.as_deref().filter(|a| !a.is_empty()) {
        q.push_bind(" AND assignee_id = ", a);
    }
    if let Some(g) = f.grid_code.as_deref().filter(|g| !g.is_empty()) {
        q.push_bind(" AND grid_code = ", g);
    }
    q.push(" ORDER BY due_day DESC, created_ms DESC, id LIMIT 500");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// One task the caller may read.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Task> {
    let mut q = Sql::new("SELECT * FROM grid_patrol_tasks WHERE id = ");
    q.bind(id);
    push_visible(&mut q, ctx, false)?;
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// The task in the writing transaction (after the caller's reach was checked).
pub async fn get_in(tx: &mut Tx, id: &str) -> StoreResult<Task> {
    let mut q = Sql::new("SELECT * FROM grid_patrol_tasks WHERE id = ");
    q.bind(id);
    let row = q.fetch_optional(tx).await?.ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// The grid a task is given for: its kind, code, name and street.
pub struct TaskGrid<'a> {
    pub kind: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    pub street_code: &'a str,
}

/// Writes a new task for `assignee` (id, name) with the audit record; answers its id.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    c: &CheckedTask,
    assignee: (&str, &str),
    grid: TaskGrid<'_>,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO grid_patrol_tasks (id, title, assignee_id, assignee_name, grid_kind, grid_code, grid_name, street_code, route, note, due_day, status, track, track_points, started_ms, finished_ms, created_by, created_by_name, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        c.title.clone().into(),
        assignee.0.into(),
        assignee.1.into(),
        grid.kind.into(),
        grid.code.into(),
        grid.name.into(),
        grid.street_code.into(),
        c.route.as_ref().map(|r| r.to_string()).into(),
        c.note.clone().into(),
        c.due_day.clone().into(),
        "pending".into(),
        "[]".into(),
        0_i64.into(),
        Option::<i64>::None.into(),
        Option::<i64>::None.into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(serde_json::json!({
                "title": c.title, "assignee_id": assignee.0, "grid_code": grid.code, "due_day": c.due_day,
            })),
            ..Change::of(
                "grid.patrol_task_create",
                "grid_patrol_task",
                &id,
                created_summary(&c.title, assignee.1, grid.name, &c.due_day),
            )
        },
    )
    .await?;
    Ok(id)
}

/// Appends track points (the task moves to in progress), or finishes it, with the audit record.
pub async fn progress_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    t: &Task,
    points: &[TrackPoint],
    finish: bool,
) -> StoreResult<()> {
    let mut track = t.track.clone();
    track.extend_from_slice(points);
    let status = if finish { "done" } else { "in_progress" };
    let mut q = Sql::new("UPDATE grid_patrol_tasks SET status = ");
    q.bind(status)
        .push_bind(
            ", track = ",
            serde_json::to_string(&track).unwrap_or_else(|_| "[]".into()),
        )
        .push_bind(", track_points = ", track.len() as i64)
        .push_bind(", started_ms = ", t.started_ms.unwrap_or(now_ms))
        .push_bind(", finished_ms = ", finish.then_some(now_ms))
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", t.id.clone());
    q.execute(tx).await?;
    // Track points arrive every few seconds: only the start and the finish are audited.
    if finish || t.started_ms.is_none() {
        let (action, verb) = if finish {
            ("grid.patrol_task_finish", "完成")
        } else {
            ("grid.patrol_task_start", "开始")
        };
        audit::append(
            tx,
            now_ms,
            &ctx.actor,
            Change {
                after: Some(serde_json::json!({"status": status, "track_points": track.len()})),
                ..Change::of(
                    action,
                    "grid_patrol_task",
                    &t.id,
                    format!(
                        "{} {verb}巡查任务“{}”（轨迹点 {} 个）",
                        ctx.display_name,
                        t.title,
                        track.len()
                    ),
                )
            },
        )
        .await?;
    }
    Ok(())
}
