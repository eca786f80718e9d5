//! 执法文书: issuing a document (its number drawn from the department's sequence for the kind and
//! year, its PDF rendered and stored with its SHA-256 in the audit record) and correcting one (a
//! new version with the same number that supersedes the old; the old is never changed), each in
//! one transaction.
//!
//! Task kinds (现场检查记录, 责令限期整改指令书, 整改复查意见书) are issued for an inspection task the
//! caller may see; the task's enterprise is the party, and a 责令限期整改指令书's 整改期限 and
//! facts default from the inspection's findings (the hazards' deadlines). Case kinds are issued
//! for a case the caller may see, in the states core::enforcement::case_document allows (else
//! 409 naming `kind`), by the case's department, with the party, facts, legal basis and fine read
//! from the case's record over the caller's fields.

use super::named;
use std::collections::BTreeMap;
use yingji_core::enforcement::case::{CaseState, SOURCES};
use yingji_core::enforcement::case_document::{CaseRecord, fields_from_case, may_issue_for_case};
use yingji_core::enforcement::document::{
    self as rules, ALREADY_CORRECTED, Kind, NOT_AN_ISSUER, Subject, authority_name,
    bureau_short_name, check_fields, format_number, may_issue, may_issue_for_task_status,
    sequence_name,
};
use yingji_core::enforcement::document_pdf::{LayoutInput, layout, render, sha256_hex};
use yingji_core::enforcement::surcharge::owed;
use yingji_core::kernel::clock::today;
use yingji_core::kernel::label_of;
use yingji_store::enforcement::cases;
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
    pub fields: BTreeMap<String, String>,
}

/// Where a document goes: its department, the fields its record fills over the caller's
/// (`fixed`) and those it fills only where the caller wrote nothing (`defaults`).
struct Target {
    department_id: String,
    fixed: BTreeMap<String, String>,
    defaults: BTreeMap<String, String>,
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
    let target = target(store, ctx, now_ms, kind, req).await?;
    let mut given = req.fields.clone();
    for (k, v) in target.defaults {
        let mine = given.entry(k).or_default();
        if mine.trim().is_empty() {
            *mine = v;
        }
    }
    given.extend(target.fixed);
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

/// The department and the record's fields of a new document: a task's, or a case's read from
/// the case (which the caller must see, in a state that allows the kind).
async fn target(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
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
    let id = req.subject_id.trim();
    if id.is_empty() {
        return Err(StoreError::invalid(
            "subject_id",
            "请指明文书针对的检查任务或案件",
        ));
    }
    match kind.subject {
        Subject::Task => task_target(store, ctx, kind, id).await,
        Subject::Case => {
            let c = cases::get(store, ctx, id)
                .await
                .map_err(named("subject_id", "案件不存在或不在您的管辖范围内"))?;
            let state = CaseState::parse(&c.state).unwrap_or(CaseState::Closed);
            may_issue_for_case(kind, state).map_err(|m| StoreError::conflict("kind", m))?;
            let day = today(now_ms).to_string();
            let surcharge = owed(
                c.decided_fine,
                c.paid,
                c.payment_due.as_deref(),
                today(now_ms),
            );
            let record = CaseRecord {
                enterprise_name: &c.enterprise_name,
                title: &c.title,
                source_label: label_of(&SOURCES, &c.source).unwrap_or(""),
                facts: c.facts.as_deref(),
                legal_basis: c.legal_basis.as_deref(),
                proposed_fine: c.proposed_fine,
                decided_fine: c.decided_fine,
                payment_due: c.payment_due.as_deref(),
                today: Some(&day),
                surcharge,
            };
            Ok(Target {
                fixed: fields_from_case(kind, &record),
                defaults: BTreeMap::new(),
                department_id: c.department_id,
            })
        }
    }
}

/// A task document: the task's department, its enterprise as the party; a 责令限期整改指令书's
/// 整改期限 (the earliest of the findings' hazards' deadlines) and facts from the findings.
async fn task_target(
    store: &Store,
    ctx: &Ctx,
    kind: &'static Kind,
    id: &str,
) -> StoreResult<Target> {
    let task = documents::task_subject(store, ctx, id)
        .await
        .map_err(named("subject_id", "检查任务不存在或不在您的管辖范围内"))?;
    may_issue_for_task_status(kind, &task.status)
        .map_err(|m| StoreError::invalid("subject_id", m))?;
    let mut fixed = BTreeMap::new();
    fixed.insert("party".to_string(), task.enterprise_name);
    let mut defaults = BTreeMap::new();
    if kind.code == "rectify_order" {
        let findings = documents::task_findings(store, id).await?;
        if let Some(d) = findings.iter().filter_map(|f| f.2.clone()).min() {
            defaults.insert("deadline".to_string(), d);
        }
        let facts: Vec<String> = findings
            .iter()
            .enumerate()
            .map(|(i, (what, place, _))| format!("{}. {what}（{place}）", i + 1))
            .collect();
        if !facts.is_empty() {
            defaults.insert("facts".to_string(), facts.join("\n"));
        }
    }
    Ok(Target {
        department_id: task.department_id,
        fixed,
        defaults,
    })
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
