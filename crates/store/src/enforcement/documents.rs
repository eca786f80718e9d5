//! 执法文书: the issued documents with their PDF and its SHA-256, read within the caller's
//! departments (an inspector: the documents of their tasks and their own), written once in the
//! caller's transaction; a correction is another row.

use super::push_departments;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::is_unique_violation;
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use yingji_core::enforcement::document::{ALREADY_CORRECTED, Kind, issue_summary};
use yingji_core::enforcement::reads_only_own_tasks;

/// A document as stored, without its PDF.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub id: String,
    pub kind: String,
    pub number: String,
    pub department_id: String,
    pub department_name: String,
    pub year: i64,
    pub seq: i64,
    pub version: i64,
    pub supersedes_id: Option<String>,
    /// The newer version that corrects this one, if any.
    pub superseded_by: Option<String>,
    pub subject_kind: String,
    pub subject_id: String,
    pub party: String,
    pub fields: BTreeMap<String, String>,
    pub pdf_sha256: String,
    pub pdf_size: i64,
    pub issued_by_name: String,
    pub issued_ms: i64,
}

const COLUMNS: &str = "x.id, x.kind, x.number, x.department_id, d.name AS department_name, x.year, x.seq, x.version, x.supersedes_id, (SELECT n.id FROM enforcement_documents n WHERE n.supersedes_id = x.id) AS superseded_by, x.subject_kind, x.subject_id, x.party, x.fields, x.pdf_sha256, x.pdf_size, x.issued_by_name, x.issued_ms";
const FROM: &str =
    " FROM enforcement_documents x JOIN departments d ON d.id = x.department_id WHERE 1 = 1";

fn from_row(r: &AnyRow) -> StoreResult<Document> {
    let fields: String = r.try_get("fields")?;
    Ok(Document {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        number: r.try_get("number")?,
        department_id: r.try_get("department_id")?,
        department_name: r.try_get("department_name")?,
        year: r.try_get("year")?,
        seq: r.try_get("seq")?,
        version: r.try_get("version")?,
        supersedes_id: r.try_get("supersedes_id")?,
        superseded_by: r.try_get("superseded_by")?,
        subject_kind: r.try_get("subject_kind")?,
        subject_id: r.try_get("subject_id")?,
        party: r.try_get("party")?,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
        pdf_sha256: r.try_get("pdf_sha256")?,
        pdf_size: r.try_get("pdf_size")?,
        issued_by_name: r.try_get("issued_by_name")?,
        issued_ms: r.try_get("issued_ms")?,
    })
}

/// The caller's departments; an inspector only the documents of their tasks and their own.
fn push_scope(sql: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    push_departments(sql, ctx, "x.department_id")?;
    if reads_only_own_tasks(ctx.role) {
        sql.push_bind(" AND (x.issued_by = ", ctx.user_id.as_str())
            .push(" OR (x.subject_kind = 'task' AND x.subject_id IN (SELECT ti.task_id FROM inspection_task_inspectors ti WHERE ti.user_id = ")
            .bind(ctx.user_id.as_str())
            .push(")))");
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub kind: Option<String>,
    pub subject_id: Option<String>,
    pub year: Option<i64>,
    /// Only the latest version of each document.
    pub latest: bool,
}

/// The documents the caller may see, newest first.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    f: &DocumentFilter,
    page: Page,
) -> StoreResult<(Vec<Document>, i64)> {
    let mut w = Sql::new("");
    push_scope(&mut w, ctx)?;
    if let Some(k) = f.kind.as_deref() {
        w.push_bind(" AND x.kind = ", k);
    }
    if let Some(s) = f.subject_id.as_deref() {
        w.push_bind(" AND x.subject_id = ", s);
    }
    if let Some(y) = f.year {
        w.push_bind(" AND x.year = ", y);
    }
    if f.latest {
        w.push(
            " AND NOT EXISTS (SELECT 1 FROM enforcement_documents n WHERE n.supersedes_id = x.id)",
        );
    }
    store
        .page_of(
            &format!("SELECT COUNT(*){FROM}"),
            &format!("SELECT {COLUMNS}{FROM}"),
            w,
            "x.issued_ms DESC, x.id DESC",
            page,
            from_row,
        )
        .await
}

/// One document the caller may see.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Document> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM}"));
    q.push_bind(" AND x.id = ", id);
    push_scope(&mut q, ctx)?;
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// The stored PDF of a document the caller may see, as issued.
pub async fn pdf(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<(Document, Vec<u8>)> {
    let doc = get(store, ctx, id).await?;
    let mut q = Sql::new("SELECT pdf FROM enforcement_documents WHERE id = ");
    q.bind(id);
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let text: String = row.try_get("pdf")?;
    let bytes = STANDARD
        .decode(text)
        .map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))?;
    Ok((doc, bytes))
}

/// What an inspection task gives a document: its department, party and state.
#[derive(Debug, Clone)]
pub struct TaskSubject {
    pub id: String,
    pub department_id: String,
    pub enterprise_name: String,
    pub status: String,
}

/// The task a document is issued for, if the caller may see it (an inspector: one they are on).
pub async fn task_subject(store: &Store, ctx: &Ctx, task_id: &str) -> StoreResult<TaskSubject> {
    let mut q = Sql::new(
        "SELECT t.id, t.department_id, t.enterprise_name, t.status FROM inspection_tasks t WHERE t.id = ",
    );
    q.bind(task_id);
    push_departments(&mut q, ctx, "t.department_id")?;
    if reads_only_own_tasks(ctx.role) {
        q.push_bind(
            " AND t.id IN (SELECT ti.task_id FROM inspection_task_inspectors ti WHERE ti.user_id = ",
            ctx.user_id.as_str(),
        )
        .push(")");
    }
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    Ok(TaskSubject {
        id: r.try_get("id")?,
        department_id: r.try_get("department_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        status: r.try_get("status")?,
    })
}

/// What the number of a department's documents is made from: the department's name, its
/// district's name and the configured short name, if any.
pub async fn bureau_names(
    store: &Store,
    department_id: &str,
) -> StoreResult<(String, String, Option<String>)> {
    let mut q = Sql::new(
        "SELECT d.name, COALESCE(r.name, '') AS region_name, d.documents_short_name FROM departments d LEFT JOIN regions r ON r.code = d.region_code WHERE d.id = ",
    );
    q.bind(department_id);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    Ok((
        r.try_get("name")?,
        r.try_get("region_name")?,
        r.try_get("documents_short_name")?,
    ))
}

/// A document to record.
pub struct NewDocument<'a> {
    pub kind: &'static Kind,
    pub number: &'a str,
    pub department_id: &'a str,
    pub year: i64,
    pub seq: i64,
    pub version: i64,
    pub supersedes_id: Option<&'a str>,
    pub subject_kind: &'a str,
    pub subject_id: &'a str,
    pub party: &'a str,
    pub fields: &'a BTreeMap<String, String>,
    pub pdf: &'a [u8],
    pub pdf_sha256: &'a str,
}

/// Records a document with its PDF and the audit record carrying the PDF's SHA-256; answers its
/// id. A second correction of the same version fails on the unique `supersedes_id` (409).
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    d: &NewDocument<'_>,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO enforcement_documents (id, kind, number, department_id, year, seq, version, supersedes_id, subject_kind, subject_id, party, fields, pdf, pdf_sha256, pdf_size, issued_by, issued_by_name, issued_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        d.kind.code.into(),
        d.number.into(),
        d.department_id.into(),
        d.year.into(),
        d.seq.into(),
        d.version.into(),
        d.supersedes_id.into(),
        d.subject_kind.into(),
        d.subject_id.into(),
        d.party.into(),
        serde_json::to_string(d.fields).unwrap_or_default().into(),
        STANDARD.encode(d.pdf).into(),
        d.pdf_sha256.into(),
        (d.pdf.len() as i64).into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
    ]);
    q.execute(tx).await.map_err(|e| match e {
        StoreError::Db(e) if is_unique_violation(&e) => {
            StoreError::conflict("supersedes_id", ALREADY_CORRECTED)
        }
        e => e,
    })?;
    let action = if d.version > 1 {
        "enforcement.correct_document"
    } else {
        "enforcement.issue_document"
    };
    let summary = issue_summary(d.kind, d.number, d.version);
    let after = serde_json::json!({
        "kind": d.kind.code, "number": d.number, "version": d.version,
        "supersedes_id": d.supersedes_id, "subject": format!("{}:{}", d.subject_kind, d.subject_id),
        "pdf_sha256": d.pdf_sha256, "pdf_size": d.pdf.len(),
    });
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(after),
            ..Change::of(action, "enforcement_document", &id, summary)
        },
    )
    .await?;
    Ok(id)
}

/// The findings of a task's inspection record, in order: (description, location, the deadline
/// of the hazard the finding became, if set). Empty before the inspection is recorded.
pub async fn task_findings(
    store: &Store,
    task_id: &str,
) -> StoreResult<Vec<(String, String, Option<String>)>> {
    let mut q = Sql::new(
        "SELECT f.description, f.location, h.deadline FROM inspection_findings f JOIN inspection_records r ON r.id = f.record_id LEFT JOIN hazards h ON h.id = f.hazard_id WHERE r.task_id = ",
    );
    q.bind(task_id).push(" ORDER BY f.ord");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("description")?,
                r.try_get("location")?,
                r.try_get("deadline")?,
            ))
        })
        .collect()
}
