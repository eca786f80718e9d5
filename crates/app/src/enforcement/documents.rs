//! 执法文书: issuing a document (its number drawn from the department's sequence for the kind and
//! year, its PDF rendered and stored with its SHA-256 in the audit record) and correcting one (a
//! new version with the same number that supersedes the old; the old is never changed), each in
//! one transaction.
//!
//! Task kinds (现场检查记录, 责令限期整改指令书, 整改复查意见书) are issued for an inspection task the
//! caller may see. Case kinds are accepted through `may_issue_for_case_state` with the case state
//! the caller gives, until the cases capability exists to read it (see docs/enforcement.md).

use super::named;
use std::collections::BTreeMap;
use yingji_core::enforcement::document::{
    self as rules, ALREADY_CORRECTED, Kind, NOT_AN_ISSUER, Subject, authority_name,
    bureau_short_name, check_fields, format_number, may_issue, may_issue_for_case_state,
    may_issue_for_task_status, sequence_name,
};
use yingji_core::enforcement::document_pdf::{LayoutInput, layout, render, sha256_hex};
use yingji_core::kernel::clock::today;
use yingji_core::kernel::role::Scope;
use yingji_store::directory::departments;
use yingji_store::enforcement::documents::{self, Document, NewDocument};
use yingji_store::kernel::Ctx;
use yingji_store::kernel::sequences::next_in_sequence;
use yingji_store::{Store, StoreError, StoreResult};

/// A document to issue.
#[derive(Debug, Clone, Default)]
pub struct IssueRequest {
    pub kind: String,
    /// `task` or `case`.
    pub subject_kind: String,
    pub subject_id: String,
    /// For a case document: the case's state (until cases are read from their own records).
    pub case_state: Option<String>,
    /// For a case document: the issuing department (default: the caller's).
    pub department_id: Option<String>,
    pub fields: BTreeMap<String, String>,
}

/// Where a document goes: its department and the party to default to.
struct Target {
    department_id: String,
    party: Option<String>,
}

/// Issues a document and answers it as stored.
pub async fn issue(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    req: &IssueRequest,
) -> StoreResult<Document> {
    if !may_issue(ctx.role) {
        return Err(StoreError::Forbidden(NOT_AN_ISSUER.into()));
    }
    let kind = rules::parse_kind(&req.kind)?;
    let target = target(store, ctx, kind, req).await?;
    let mut given = req.fields.clone();
    if let Some(p) = target.party {
        let party = given.entry("party".into()).or_default();
        if party.trim().is_empty() {
            *party = p;
        }
    }
    let fields = check_fields(kind, &given, today(now_ms))?;
    let year = i64::from(today(now_ms).year());
    let names = Names::of(store, &target.department_id).await?;
    let mut tx = store.begin().await?;
    let seq = next_in_sequence(&mut tx, &sequence_name(&target.department_id, kind, year)).await?;
    let draft = Draft {
        kind,
        department_id: &target.department_id,
        year,
        seq,
        version: 1,
        number: None,
        supersedes: None,
        subject_kind: kind.subject.code(),
        subject_id: req.subject_id.trim(),
        fields: &fields,
    };
    let id = record_in(&mut tx, ctx, now_ms, &names, &draft).await?;
    tx.commit().await?;
    documents::get(store, ctx, &id).await
}

/// Corrects a document: a new version with the given fields over the old ones ("" clears an
/// optional one), the same number, superseding the old, which stays as it was.
pub async fn correct(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    changes: &BTreeMap<String, String>,
) -> StoreResult<Document> {
    if !may_issue(ctx.role) {
        return Err(StoreError::Forbidden(NOT_AN_ISSUER.into()));
    }
    let old = documents::get(store, ctx, id).await?;
    if old.superseded_by.is_some() {
        return Err(StoreError::conflict("id", ALREADY_CORRECTED));
    }
    let kind = rules::kind(&old.kind).ok_or(StoreError::NotFound)?;
    let mut given = old.fields.clone();
    given.extend(changes.iter().map(|(k, v)| (k.clone(), v.clone())));
    let fields = check_fields(kind, &given, today(old.issued_ms))?;
    let corrects = format!("第{}版", old.version);
    let draft = Draft {
        kind,
        department_id: &old.department_id,
        year: old.year,
        seq: old.seq,
        version: old.version + 1,
        number: Some(&old.number),
        supersedes: Some((&old.id, &corrects)),
        subject_kind: &old.subject_kind,
        subject_id: &old.subject_id,
        fields: &fields,
    };
    let names = Names::of(store, &old.department_id).await?;
    let mut tx = store.begin().await?;
    let new_id = record_in(&mut tx, ctx, now_ms, &names, &draft).await?;
    tx.commit().await?;
    documents::get(store, ctx, &new_id).await
}

/// The department and default party of a new document: a task's, or for a case document the
/// caller's department once the case's state allows the kind.
async fn target(
    store: &Store,
    ctx: &Ctx,
    kind: &'static Kind,
    req: &IssueRequest,
) -> StoreResult<Target> {
    if req.subject_kind.trim() != kind.subject.code() {
        let what = match kind.subject {
            Subject::Task => "task（检查任务）",
            Subject::Case => "case（案件）",
        };
        return Err(StoreError::invalid(
            "subject_kind",
            format!("{}的对象应为 {what}", kind.title),
        ));
    }
    if req.subject_id.trim().is_empty() {
        return Err(StoreError::invalid(
            "subject_id",
            "请指明文书针对的检查任务或案件",
        ));
    }
    match kind.subject {
        Subject::Task => {
            let task = documents::task_subject(store, ctx, req.subject_id.trim())
                .await
                .map_err(named("subject_id", "检查任务不存在或不在您的管辖范围内"))?;
            may_issue_for_task_status(kind, &task.status)
                .map_err(|m| StoreError::invalid("subject_id", m))?;
            Ok(Target {
                department_id: task.department_id,
                party: Some(task.enterprise_name),
            })
        }
        Subject::Case => {
            let state = req.case_state.as_deref().unwrap_or("").trim();
            if state.is_empty() {
                return Err(StoreError::invalid("case_state", "请填写案件状态"));
            }
            may_issue_for_case_state(kind, state)
                .map_err(|m| StoreError::invalid("case_state", m))?;
            Ok(Target {
                department_id: case_department(store, ctx, req.department_id.as_deref()).await?,
                party: None,
            })
        }
    }
}

/// The department a case document is issued by: the caller's, or the one named (which the
/// caller must see).
async fn case_department(store: &Store, ctx: &Ctx, named_id: Option<&str>) -> StoreResult<String> {
    let named_id = named_id.map(str::trim).filter(|d| !d.is_empty());
    match (&ctx.scope, named_id) {
        (Scope::Department { department_id, .. }, None) => Ok(department_id.clone()),
        (_, Some(id)) => {
            let d = departments::get(store, &ctx.scope, id)
                .await
                .map_err(named("department_id", "部门不存在或不在您的管辖范围内"))?;
            if let Scope::Department { department_id, .. } = &ctx.scope
                && department_id != &d.id
            {
                return Err(StoreError::invalid("department_id", "只能开具本部门的文书"));
            }
            Ok(d.id)
        }
        (_, None) => Err(StoreError::invalid("department_id", "请选择开具文书的部门")),
    }
}

/// A document ready to number, render and record.
struct Draft<'a> {
    kind: &'static Kind,
    department_id: &'a str,
    year: i64,
    seq: i64,
    version: i64,
    /// A correction keeps the number of the version it corrects.
    number: Option<&'a str>,
    /// (id, 第n版) of the version corrected.
    supersedes: Option<(&'a str, &'a str)>,
    subject_kind: &'a str,
    subject_id: &'a str,
    fields: &'a BTreeMap<String, String>,
}

/// The issuing authority as printed and its short name in numbers, read before the transaction.
struct Names {
    authority: String,
    bureau: String,
}

impl Names {
    async fn of(store: &Store, department_id: &str) -> StoreResult<Self> {
        let (dept, region, configured) = documents::bureau_names(store, department_id).await?;
        Ok(Names {
            authority: authority_name(&region, &dept),
            bureau: bureau_short_name(configured.as_deref(), &region, &dept),
        })
    }
}

/// Renders the PDF and records the document with its audit record, in `tx`.
async fn record_in(
    tx: &mut yingji_store::Tx,
    ctx: &Ctx,
    now_ms: i64,
    names: &Names,
    d: &Draft<'_>,
) -> StoreResult<String> {
    let number = match d.number {
        Some(n) => n.to_string(),
        None => format_number(d.year, &names.bureau, d.kind.short, d.seq),
    };
    let l = layout(&LayoutInput {
        kind: d.kind,
        authority: &names.authority,
        number: &number,
        version: d.version,
        corrects: d.supersedes.map(|(_, v)| v),
        fields: d.fields,
        day: today(now_ms),
    });
    // Only a broken shipped font fails here (the core tests render every kind).
    let pdf = render(&l).map_err(|m| StoreError::Db(sqlx_protocol(m)))?;
    let sha = sha256_hex(&pdf);
    let party = d.fields.get("party").cloned().unwrap_or_default();
    let new = NewDocument {
        kind: d.kind,
        number: &number,
        department_id: d.department_id,
        year: d.year,
        seq: d.seq,
        version: d.version,
        supersedes_id: d.supersedes.map(|(id, _)| id),
        subject_kind: d.subject_kind,
        subject_id: d.subject_id,
        party: &party,
        fields: d.fields,
        pdf: &pdf,
        pdf_sha256: &sha,
    };
    documents::create_in(tx, ctx, now_ms, &new).await
}

fn sqlx_protocol(m: String) -> yingji_store::sqlx::Error {
    yingji_store::sqlx::Error::Protocol(m)
}
