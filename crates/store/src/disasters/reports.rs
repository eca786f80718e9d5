//! 灾情报告: the reports of a process with their township rows and the district totals kept on
//! the report, written in the caller's transaction; the latest totals of the process linked to
//! an incident (what the response plans' triggers read).

use crate::disasters::processes::{Process, schedule_due_in};
use crate::kernel::Ctx;
use crate::kernel::attachments::{self, Attachment};
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::disasters::processes::Status;
use yingji_core::disasters::reports::{CheckedReport, ReportKind};
use yingji_core::disasters::reports_figures::{FIGURES, Figures};
use yingji_core::disasters::reports_rules::{Due, Facts, next_due};

/// The attachments' owner type of a report's photos.
pub const OWNER_TYPE: &str = "disaster_report";

#[derive(Debug, Clone, serde::Serialize)]
pub struct ReportRow {
    pub region_code: String,
    pub region_name: String,
    #[serde(skip)]
    pub figures: Figures,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub id: String,
    pub process_id: String,
    pub seq: i64,
    pub kind: String,
    pub filed_ms: i64,
    pub filed_by: String,
    pub filed_by_name: String,
    pub due_ms: Option<i64>,
    /// 迟报 5 分钟 / 迟报 1 天; None when on time.
    pub late_note: Option<String>,
    pub description: String,
    pub relief: Option<String>,
    pub explanation: Option<String>,
    #[serde(skip)]
    pub totals: Figures,
    pub rows: Vec<ReportRow>,
    pub attachments: Vec<Attachment>,
}

impl Report {
    pub fn kind(&self) -> ReportKind {
        ReportKind::parse(&self.kind).unwrap_or(ReportKind::Update)
    }
}

fn figures_of(r: &AnyRow) -> StoreResult<Figures> {
    let mut out = [0i64; 15];
    for (o, d) in out.iter_mut().zip(FIGURES.iter()) {
        *o = r.try_get(d.key)?;
    }
    Ok(Figures(out))
}

fn from_row(r: &AnyRow) -> StoreResult<Report> {
    Ok(Report {
        id: r.try_get("id")?,
        process_id: r.try_get("process_id")?,
        seq: r.try_get("seq")?,
        kind: r.try_get("kind")?,
        filed_ms: r.try_get("filed_ms")?,
        filed_by: r.try_get("filed_by")?,
        filed_by_name: r.try_get("filed_by_name")?,
        due_ms: r.try_get("due_ms")?,
        late_note: r.try_get("late_note")?,
        description: r.try_get("description")?,
        relief: r.try_get("relief")?,
        explanation: r.try_get("explanation")?,
        totals: figures_of(r)?,
        rows: vec![],
        attachments: vec![],
    })
}

fn row_from(r: &AnyRow) -> StoreResult<ReportRow> {
    Ok(ReportRow {
        region_code: r.try_get("region_code")?,
        region_name: r.try_get("region_name")?,
        figures: figures_of(r)?,
    })
}

/// The reports of a process (the caller has read the process), in order, with rows and photos.
pub async fn of_process(store: &Store, process_id: &str) -> StoreResult<Vec<Report>> {
    let mut q = Sql::new("SELECT * FROM disaster_reports WHERE process_id = ");
    q.bind(process_id).push(" ORDER BY seq");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        let mut rep = from_row(&r)?;
        let mut rows = Sql::new("SELECT * FROM disaster_report_rows WHERE report_id = ");
        rows.bind(rep.id.as_str()).push(" ORDER BY position");
        rep.rows = store
            .fetch_all(rows)
            .await?
            .iter()
            .map(row_from)
            .collect::<StoreResult<_>>()?;
        rep.attachments = attachments::list_for(store, &rep.id).await?;
        out.push(rep);
    }
    Ok(out)
}

fn columns() -> String {
    FIGURES.iter().map(|d| d.key).collect::<Vec<_>>().join(", ")
}

fn values(v: &mut Vec<crate::Val>, f: &Figures) {
    v.extend(f.0.iter().map(|x| crate::Val::from(*x)));
}

/// What a filed report does to its process.
pub struct Filing<'a> {
    pub process: &'a Process,
    pub report: &'a CheckedReport,
    /// The deadline it answered, and how late it came.
    pub due: Option<&'a Due>,
    pub late_note: Option<String>,
    pub seq: i64,
    pub photos: &'a [String],
    pub summary: String,
}

/// Moves the process's 灾情统计 lines from its previous latest report to this one.
async fn roll_summary_in(tx: &mut Tx, p: &Process, c: &CheckedReport) -> StoreResult<()> {
    let rows: Vec<(&str, &str, Figures)> = c
        .rows
        .iter()
        .map(|r| (r.township.as_str(), r.name.as_str(), r.figures))
        .collect();
    let key = super::summary::LineKey {
        district_code: &p.district_code,
        year: yingji_core::disasters::summary::year_of(p.started_ms),
        kind: &p.kind,
    };
    let previous = p.latest_report_id.as_deref();
    super::summary::roll_in(tx, &key, previous, &c.totals, &rows).await
}

/// Writes a checked report with its rows and photos, moves the process on (核报: 已核报), sets
/// its next deadline, and appends the audit record; answers the report's id.
pub async fn create_in(tx: &mut Tx, ctx: &Ctx, now_ms: i64, f: Filing<'_>) -> StoreResult<String> {
    let id = new_id();
    let c = f.report;
    let mut q = Sql::new(&format!(
        "INSERT INTO disaster_reports (id, process_id, seq, kind, filed_ms, filed_by, filed_by_name, due_ms, late_note, description, relief, explanation, {}) VALUES ",
        columns()
    ));
    let mut v: Vec<crate::Val> = vec![
        id.clone().into(),
        f.process.id.clone().into(),
        f.seq.into(),
        c.kind.as_str().into(),
        now_ms.into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        f.due.map(|d| d.due_ms).into(),
        f.late_note.clone().into(),
        c.description.clone().into(),
        c.relief.clone().into(),
        c.explanation.clone().into(),
    ];
    values(&mut v, &c.totals);
    q.values(v);
    q.execute(tx).await?;
    for (i, r) in c.rows.iter().enumerate() {
        let mut q = Sql::new(&format!(
            "INSERT INTO disaster_report_rows (report_id, region_code, region_name, position, {}) VALUES ",
            columns()
        ));
        let mut v: Vec<crate::Val> = vec![
            id.clone().into(),
            r.township.clone().into(),
            r.name.clone().into(),
            (i as i64).into(),
        ];
        values(&mut v, &r.figures);
        q.values(v);
        q.execute(tx).await?;
    }
    attachments::link(
        tx,
        f.photos,
        OWNER_TYPE,
        &id,
        Some(&ctx.user_id),
        "attachments",
    )
    .await?;
    roll_summary_in(tx, f.process, c).await?;
    let status = match c.kind {
        ReportKind::Final => Status::Verified,
        _ => f.process.status(),
    };
    let mut u = Sql::new("UPDATE disaster_processes SET latest_report_id = ");
    u.bind(id.as_str())
        .push_bind(", status = ", status.as_str())
        .push_bind(" WHERE id = ", f.process.id.as_str());
    u.execute(tx).await?;
    let facts = Facts {
        started_ms: f.process.started_ms,
        status,
        stable_ms: f.process.stable_ms,
        major: f.process.major,
        last: Some((c.kind, now_ms)),
    };
    schedule_due_in(tx, now_ms, &f.process.id, next_due(&facts).as_ref()).await?;
    let change = Change {
        after: Some(serde_json::json!({
            "kind": c.kind.as_str(), "seq": f.seq, "late": f.late_note,
            "rows": c.rows.iter().map(|r| (&r.township, r.figures.0)).collect::<Vec<_>>(),
        })),
        ..Change::of(
            "disaster.report",
            "disaster_process",
            &f.process.id,
            f.summary,
        )
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// The query of the latest district totals of the processes linked to an incident (run on the
/// store or in a transaction; read with [`totals_of_row`]).
pub fn linked_totals_sql(incident_id: &str) -> Sql {
    let mut q = Sql::new(&format!(
        "SELECT {} FROM disaster_reports r JOIN disaster_processes p ON p.latest_report_id = r.id WHERE p.incident_id = ",
        columns()
    ));
    q.bind(incident_id)
        .push(" ORDER BY r.filed_ms DESC LIMIT 1");
    q
}

pub fn totals_of_row(r: &AnyRow) -> StoreResult<Figures> {
    figures_of(r)
}
