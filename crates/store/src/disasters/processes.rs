//! 灾害过程: rows, the scope predicate (the district's staff see the district's processes, a
//! street's or a grid's those affecting their township), the writes in the caller's transaction
//! and the deadline timer of the next report (ADR 0018: `TimerKind::DisasterReportDue`).

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::timers::{self, DisasterReportDue, Family, TimerKind};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::disasters::processes::{
    CheckedProcess, NOT_A_READER, Status, created_summary, kind_label, may_read, subtype_label,
};
use yingji_core::disasters::reports::ReportKind;
use yingji_core::disasters::reports_rules::{Due, Facts, next_due};
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Process {
    pub id: String,
    pub district_code: String,
    pub kind: String,
    pub kind_label: String,
    pub subtype: String,
    pub subtype_label: String,
    pub name: String,
    pub started_ms: i64,
    pub status: String,
    pub status_label: String,
    pub stable_ms: Option<i64>,
    pub major: bool,
    pub incident_id: Option<String>,
    pub note: Option<String>,
    /// The next report due (initial/update/final) and when it is late.
    pub next_kind: Option<String>,
    pub next_due_ms: Option<i64>,
    /// The next report's deadline passed without it (escalated).
    pub overdue: bool,
    pub suggested_level: Option<i64>,
    pub latest_report_id: Option<String>,
    pub created_by_name: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// (code, name) of the affected townships.
    pub townships: Vec<(String, String)>,
}

impl Process {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).unwrap_or(Status::Ongoing)
    }
}

fn from_row(r: &AnyRow) -> StoreResult<Process> {
    let kind: String = r.try_get("kind")?;
    let subtype: String = r.try_get("subtype")?;
    let status: String = r.try_get("status")?;
    Ok(Process {
        id: r.try_get("id")?,
        district_code: r.try_get("district_code")?,
        kind_label: kind_label(&kind).into(),
        subtype_label: subtype_label(&kind, &subtype).into(),
        kind,
        subtype,
        name: r.try_get("name")?,
        started_ms: r.try_get("started_ms")?,
        status_label: Status::parse(&status).map_or("", Status::label).into(),
        status,
        stable_ms: r.try_get("stable_ms")?,
        major: r.try_get::<i64, _>("major")? != 0,
        incident_id: r.try_get("incident_id")?,
        note: r.try_get("note")?,
        next_kind: r.try_get("next_kind")?,
        next_due_ms: r.try_get("next_due_ms")?,
        overdue: r.try_get::<i64, _>("overdue")? != 0,
        suggested_level: r.try_get("suggested_level")?,
        latest_report_id: r.try_get("latest_report_id")?,
        created_by_name: r.try_get("created_by_name")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
        townships: vec![],
    })
}

/// Limits a query on `disaster_processes p` to what the caller may read.
pub fn push_visible(q: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    if !may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_READER.into()));
    }
    match &ctx.scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            q.push_bind(" AND (p.district_code LIKE ", format!("{prefix}%"))
                .push(" OR EXISTS (SELECT 1 FROM disaster_process_townships t WHERE t.process_id = p.id AND (t.region_code LIKE ")
                .bind(format!("{prefix}%"))
                .push_bind(" OR ", prefix.as_str())
                .push(" LIKE t.region_code || '%')))");
        }
        Scope::Enterprise { .. } | Scope::Insurer { .. } => {
            q.push(" AND 1 = 0");
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct ProcessFilter {
    pub status: Option<String>,
    /// Started in [from, to) (ms).
    pub span: Option<(i64, i64)>,
}

async fn townships_of(store: &Store, id: &str) -> StoreResult<Vec<(String, String)>> {
    let mut q = Sql::new(
        "SELECT region_code, region_name FROM disaster_process_townships WHERE process_id = ",
    );
    q.bind(id).push(" ORDER BY position");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// The processes the caller may read, the latest first.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    f: &ProcessFilter,
    page: Page,
) -> StoreResult<(Vec<Process>, i64)> {
    let mut w = Sql::new("");
    push_visible(&mut w, ctx)?;
    if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
        w.push_bind(" AND p.status = ", s);
    }
    if let Some((from, to)) = f.span {
        w.push_bind(" AND p.started_ms >= ", from)
            .push_bind(" AND p.started_ms < ", to);
    }
    let (rows, total) = store
        .page_of(
            "SELECT COUNT(*) FROM disaster_processes p WHERE 1 = 1",
            "SELECT p.* FROM disaster_processes p WHERE 1 = 1",
            w,
            "p.started_ms DESC, p.id DESC",
            page,
            from_row,
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for mut p in rows {
        p.townships = townships_of(store, &p.id).await?;
        out.push(p);
    }
    Ok((out, total))
}

/// One process the caller may read.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Process> {
    let mut q = Sql::new("SELECT p.* FROM disaster_processes p WHERE p.id = ");
    q.bind(id);
    push_visible(&mut q, ctx)?;
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let mut p = from_row(&row)?;
    p.townships = townships_of(store, &p.id).await?;
    Ok(p)
}

/// The townships (streets) of a district: (code, name).
pub async fn district_townships(
    store: &Store,
    district: &str,
) -> StoreResult<Vec<(String, String)>> {
    let mut q =
        Sql::new("SELECT code, name FROM regions WHERE level = 'street' AND parent_code = ");
    q.bind(district).push(" ORDER BY code");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Registers a checked process with its townships, its 初报 deadline and the audit record.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    district: &str,
    c: &CheckedProcess,
) -> StoreResult<String> {
    let id = new_id();
    let facts = Facts {
        started_ms: c.started_ms,
        status: Status::Ongoing,
        stable_ms: None,
        major: c.major,
        last: None,
    };
    let due = next_due(&facts);
    let mut q = Sql::new(
        "INSERT INTO disaster_processes (id, district_code, kind, subtype, name, started_ms, status, stable_ms, major, incident_id, note, next_kind, next_due_ms, overdue, suggested_level, latest_report_id, created_by_name, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        district.into(),
        c.kind.clone().into(),
        c.subtype.clone().into(),
        c.name.clone().into(),
        c.started_ms.into(),
        Status::Ongoing.as_str().into(),
        None::<i64>.into(),
        i64::from(c.major).into(),
        c.incident_id.clone().into(),
        c.note.clone().into(),
        due.as_ref().map(|d| d.kind.as_str()).into(),
        due.as_ref().map(|d| d.due_ms).into(),
        0i64.into(),
        None::<i64>.into(),
        None::<String>.into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    for (i, (code, name)) in c.townships.iter().enumerate() {
        let mut t = Sql::new(
            "INSERT INTO disaster_process_townships (process_id, region_code, region_name, position) VALUES ",
        );
        t.values(vec![
            id.clone().into(),
            code.clone().into(),
            name.clone().into(),
            (i as i64).into(),
        ]);
        t.execute(tx).await?;
    }
    schedule_due_in(tx, now_ms, &id, due.as_ref()).await?;
    let summary = created_summary(&c.name, c.townships.len());
    let change = Change {
        after: Some(serde_json::json!({
            "kind": c.kind, "subtype": c.subtype, "started_ms": c.started_ms, "major": c.major,
            "townships": c.townships.iter().map(|t| &t.0).collect::<Vec<_>>(),
        })),
        ..Change::of("disaster.process_create", "disaster_process", &id, summary)
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// Replaces the pending deadline of a process with `due` (none once 核报'd) and records it on the
/// row; the overdue mark is cleared.
pub async fn schedule_due_in(
    tx: &mut Tx,
    now_ms: i64,
    id: &str,
    due: Option<&Due>,
) -> StoreResult<()> {
    timers::cancel(tx, id, Family::DisasterReport).await?;
    let mut u = Sql::new("UPDATE disaster_processes SET overdue = 0, next_kind = ");
    u.bind(due.map(|d| d.kind.as_str()))
        .push_bind(", next_due_ms = ", due.map(|d| d.due_ms))
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", id);
    u.execute(tx).await?;
    if let Some(d) = due {
        let kind = TimerKind::DisasterReportDue(DisasterReportDue {
            report: d.kind.as_str().into(),
            due_ms: d.due_ms,
        });
        // 初报 at 16:00 sharp is in time: its timer fires the millisecond after.
        let fire_at = d.due_ms + i64::from(d.due_day.is_none());
        timers::schedule(tx, now_ms, &kind, id, fire_at).await?;
    }
    Ok(())
}

/// 灾情稳定: the status and the stable time, the 核报 deadline, the audit record.
pub async fn set_stable_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    p: &Process,
    stable_ms: i64,
    last: Option<(ReportKind, i64)>,
    summary: String,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE disaster_processes SET status = ");
    u.bind(Status::Stable.as_str())
        .push_bind(", stable_ms = ", stable_ms)
        .push_bind(" WHERE id = ", p.id.as_str())
        .push_bind(" AND status = ", Status::Ongoing.as_str());
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict(
            "status",
            "灾害过程的状态已变更，请刷新后重试",
        ));
    }
    let facts = Facts {
        started_ms: p.started_ms,
        status: Status::Stable,
        stable_ms: Some(stable_ms),
        major: p.major,
        last,
    };
    schedule_due_in(tx, now_ms, &p.id, next_due(&facts).as_ref()).await?;
    let change = Change::of(
        "disaster.process_stable",
        "disaster_process",
        &p.id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}
