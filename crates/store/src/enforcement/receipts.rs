//! 送达回执: the receipts of the documents served on enterprises (one per document version),
//! and the documents an enterprise has been served — task documents whose task is of its
//! enterprise, case documents of its cases — read by the enterprise itself; the issuing side
//! reads the receipts of the documents it sees. Written in the caller's transaction.

use super::documents;
use super::push_departments;
use crate::kernel::Ctx;
use crate::kernel::attachments;
use crate::kernel::audit::{self, Change};
use crate::kernel::is_unique_violation;
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use yingji_core::enforcement::reads_only_own_tasks;
use yingji_core::enforcement::receipt::{ALREADY_SERVED, CheckedReceipt, serve_summary};
use yingji_core::kernel::role::Scope;

/// The owner type of a receipt's signature image (attachments).
pub const OWNER_TYPE: &str = "enforcement_receipt";

/// The enterprise a document (alias x) was issued on: its task's, or its case's.
const ENTERPRISE_OF: &str = "COALESCE((SELECT t.enterprise_id FROM inspection_tasks t WHERE x.subject_kind = 'task' AND t.id = x.subject_id), (SELECT c.enterprise_id FROM enforcement_cases c WHERE x.subject_kind = 'case' AND c.id = x.subject_id))";

/// A 送达回执.
#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub id: String,
    pub document_id: String,
    pub enterprise_id: String,
    pub method: String,
    pub signer_name: String,
    pub image_id: Option<String>,
    pub witness: Option<String>,
    pub reason: Option<String>,
    pub reference: Option<String>,
    pub recorded_by_name: String,
    pub served_ms: i64,
}

fn receipt_row(r: &AnyRow) -> StoreResult<Receipt> {
    Ok(Receipt {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        method: r.try_get("method")?,
        signer_name: r.try_get("signer_name")?,
        image_id: r.try_get("image_id")?,
        witness: r.try_get("witness")?,
        reason: r.try_get("reason")?,
        reference: r.try_get("reference")?,
        recorded_by_name: r.try_get("recorded_by_name")?,
        served_ms: r.try_get("served_ms")?,
    })
}

/// A document served on an enterprise, as the enterprise reads it, with its receipt if any.
#[derive(Debug, Clone, Serialize)]
pub struct Served {
    pub id: String,
    pub kind: String,
    pub number: String,
    pub version: i64,
    pub department_name: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub party: String,
    pub fields: BTreeMap<String, String>,
    pub pdf_sha256: String,
    pub issued_by_name: String,
    pub issued_ms: i64,
    pub receipt: Option<Receipt>,
}

const SERVED_COLUMNS: &str = "x.id AS doc_id, x.kind, x.number, x.version, d.name AS department_name, x.subject_kind, x.subject_id, x.party, x.fields, x.pdf_sha256, x.issued_by_name, x.issued_ms, r.id, r.document_id, r.enterprise_id, r.method, r.signer_name, r.image_id, r.witness, r.reason, r.reference, r.recorded_by_name, r.served_ms";
const SERVED_FROM: &str = " FROM enforcement_documents x JOIN departments d ON d.id = x.department_id LEFT JOIN enforcement_receipts r ON r.document_id = x.id WHERE NOT EXISTS (SELECT 1 FROM enforcement_documents n WHERE n.supersedes_id = x.id)";

fn served_row(r: &AnyRow) -> StoreResult<Served> {
    let fields: String = r.try_get("fields")?;
    let receipt_id: Option<String> = r.try_get("id")?;
    Ok(Served {
        id: r.try_get("doc_id")?,
        kind: r.try_get("kind")?,
        number: r.try_get("number")?,
        version: r.try_get("version")?,
        department_name: r.try_get("department_name")?,
        subject_kind: r.try_get("subject_kind")?,
        subject_id: r.try_get("subject_id")?,
        party: r.try_get("party")?,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
        pdf_sha256: r.try_get("pdf_sha256")?,
        issued_by_name: r.try_get("issued_by_name")?,
        issued_ms: r.try_get("issued_ms")?,
        receipt: match receipt_id {
            Some(_) => Some(receipt_row(r)?),
            None => None,
        },
    })
}

/// The enterprise of the caller, if the caller is an enterprise user.
pub fn own_enterprise(ctx: &Ctx) -> Option<&str> {
    match &ctx.scope {
        Scope::Enterprise { enterprise_id } => Some(enterprise_id),
        _ => None,
    }
}

/// The latest versions of the documents served on an enterprise, newest first; `pending`: only
/// those without a receipt.
pub async fn served(
    store: &Store,
    enterprise_id: &str,
    pending: bool,
    page: Page,
) -> StoreResult<(Vec<Served>, i64)> {
    let mut w = Sql::new("");
    w.push_bind(&format!(" AND {ENTERPRISE_OF} = "), enterprise_id);
    if pending {
        w.push(" AND r.id IS NULL");
    }
    store
        .page_of(
            &format!("SELECT COUNT(*){SERVED_FROM}"),
            &format!("SELECT {SERVED_COLUMNS}{SERVED_FROM}"),
            w,
            "x.issued_ms DESC, x.id DESC",
            page,
            served_row,
        )
        .await
}

/// One document served on the enterprise (any version), else `NotFound`.
pub async fn served_one(store: &Store, enterprise_id: &str, id: &str) -> StoreResult<Served> {
    let from = SERVED_FROM.replace(
        "WHERE NOT EXISTS (SELECT 1 FROM enforcement_documents n WHERE n.supersedes_id = x.id)",
        "WHERE 1 = 1",
    );
    let mut q = Sql::new(&format!("SELECT {SERVED_COLUMNS}{from}"));
    q.push_bind(" AND x.id = ", id)
        .push_bind(&format!(" AND {ENTERPRISE_OF} = "), enterprise_id);
    served_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// The stored PDF of a document served on the enterprise, as issued.
pub async fn served_pdf(
    store: &Store,
    enterprise_id: &str,
    id: &str,
) -> StoreResult<(Served, Vec<u8>)> {
    let doc = served_one(store, enterprise_id, id).await?;
    let mut q = Sql::new("SELECT pdf FROM enforcement_documents WHERE id = ");
    q.bind(id);
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let text: String = row.try_get("pdf")?;
    let bytes = STANDARD
        .decode(text)
        .map_err(|e| StoreError::Db(sqlx::Error::Decode(Box::new(e))))?;
    Ok((doc, bytes))
}

/// A document to serve: what the receipt and its audit record need.
#[derive(Debug, Clone)]
pub struct Target {
    pub document_id: String,
    pub kind: String,
    pub number: String,
    /// Superseded by a correction (then the correction is served instead).
    pub superseded: bool,
    /// The enterprise it was issued on (none: a case document naming no case).
    pub enterprise_id: Option<String>,
}

/// The document to serve as the caller sees it: an enterprise user one served on their
/// enterprise, the issuing side one in their scope (`documents::get`).
pub async fn target(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Target> {
    if let Some(e) = own_enterprise(ctx) {
        let d = served_one(store, e, id).await?;
        let superseded = superseded(store, id).await?;
        return Ok(Target {
            document_id: d.id,
            kind: d.kind,
            number: d.number,
            superseded,
            enterprise_id: Some(e.to_string()),
        });
    }
    let d = documents::get(store, ctx, id).await?;
    let mut q = Sql::new(&format!(
        "SELECT {ENTERPRISE_OF} AS enterprise_id FROM enforcement_documents x WHERE x.id = "
    ));
    q.bind(id);
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    Ok(Target {
        document_id: d.id,
        kind: d.kind,
        number: d.number,
        superseded: d.superseded_by.is_some(),
        enterprise_id: row.try_get("enterprise_id")?,
    })
}

async fn superseded(store: &Store, id: &str) -> StoreResult<bool> {
    let mut q = Sql::new("SELECT COUNT(*) AS n FROM enforcement_documents WHERE supersedes_id = ");
    q.bind(id);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    Ok(r.try_get::<i64, _>("n")? > 0)
}

/// The receipt of a document, if it was served.
pub async fn of_document(store: &Store, document_id: &str) -> StoreResult<Option<Receipt>> {
    let mut q = Sql::new("SELECT * FROM enforcement_receipts WHERE document_id = ");
    q.bind(document_id);
    store
        .fetch_optional(q)
        .await?
        .as_ref()
        .map(receipt_row)
        .transpose()
}

/// The receipts the caller reads: an enterprise its own; the issuing side those of the
/// documents it sees (an inspector: of their tasks and of what they issued). `subject_id`
/// narrows to one task's or case's documents.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    subject_id: Option<&str>,
    page: Page,
) -> StoreResult<(Vec<Receipt>, i64)> {
    let mut w = Sql::new("");
    if let Some(e) = own_enterprise(ctx) {
        w.push_bind(" AND r.enterprise_id = ", e);
    } else {
        push_departments(&mut w, ctx, "x.department_id")?;
        if reads_only_own_tasks(ctx.role) {
            w.push_bind(" AND (x.issued_by = ", ctx.user_id.as_str())
                .push(" OR (x.subject_kind = 'task' AND x.subject_id IN (SELECT ti.task_id FROM inspection_task_inspectors ti WHERE ti.user_id = ")
                .bind(ctx.user_id.as_str())
                .push(")))");
        }
    }
    if let Some(s) = subject_id {
        w.push_bind(" AND x.subject_id = ", s);
    }
    let from = " FROM enforcement_receipts r JOIN enforcement_documents x ON x.id = r.document_id WHERE 1 = 1";
    store
        .page_of(
            &format!("SELECT COUNT(*){from}"),
            &format!("SELECT r.*{from}"),
            w,
            "r.served_ms DESC, r.id",
            page,
            receipt_row,
        )
        .await
}

/// Whether the caller reads the receipt (for its signature image).
pub async fn visible(store: &Store, ctx: &Ctx, receipt_id: &str) -> bool {
    let mut q = Sql::new("SELECT document_id, enterprise_id FROM enforcement_receipts WHERE id = ");
    q.bind(receipt_id);
    let Ok(Some(r)) = store.fetch_optional(q).await else {
        return false;
    };
    let doc: String = r.try_get("document_id").unwrap_or_default();
    let ent: String = r.try_get("enterprise_id").unwrap_or_default();
    match own_enterprise(ctx) {
        Some(e) => e == ent,
        None => documents::get(store, ctx, &doc).await.is_ok(),
    }
}

/// Records the receipt of a document (its signature image linked to it) with the audit record
/// `enforcement.serve`; a second receipt of the same version fails on the unique key (409).
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    t: &Target,
    enterprise_id: &str,
    r: &CheckedReceipt,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO enforcement_receipts (id, document_id, enterprise_id, method, signer_name, image_id, witness, reason, reference, recorded_by, recorded_by_name, served_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        t.document_id.clone().into(),
        enterprise_id.into(),
        r.method.clone().into(),
        r.signer_name.clone().into(),
        r.image_id.clone().into(),
        r.witness.clone().into(),
        r.reason.clone().into(),
        r.reference.clone().into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
    ]);
    q.execute(tx).await.map_err(|e| match e {
        StoreError::Db(e) if is_unique_violation(&e) => {
            StoreError::conflict("document_id", ALREADY_SERVED)
        }
        e => e,
    })?;
    if let Some(image) = &r.image_id {
        attachments::link(
            tx,
            std::slice::from_ref(image),
            OWNER_TYPE,
            &id,
            Some(&ctx.user_id),
            "image_id",
        )
        .await?;
    }
    let title = yingji_core::enforcement::document::kind(&t.kind)
        .map(|k| k.title)
        .unwrap_or("执法文书");
    let after = serde_json::json!({
        "document_id": t.document_id, "number": t.number, "method": r.method,
        "signer_name": r.signer_name, "witness": r.witness, "reason": r.reason,
        "reference": r.reference, "image_id": r.image_id,
    });
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(after),
            ..Change::of(
                "enforcement.serve",
                "enforcement_receipt",
                &id,
                serve_summary(&t.number, title, &r.method, &r.signer_name),
            )
        },
    )
    .await?;
    Ok(id)
}

/// 工作台 待办 of an enterprise user: the documents served on its enterprise not signed for yet
/// (none for other callers).
pub async fn todo(
    store: &Store,
    ctx: &Ctx,
    limit: i64,
) -> StoreResult<crate::kernel::todo::TodoList> {
    let Some(e) = own_enterprise(ctx) else {
        return Ok(Default::default());
    };
    let page = served(store, e, true, Page::new(Some(1), Some(limit))).await?;
    Ok(crate::kernel::todo::TodoList::from_page(page, |d| {
        let title = yingji_core::enforcement::document::kind(&d.kind)
            .map(|k| k.title.to_string())
            .unwrap_or_default();
        crate::kernel::todo::TodoItem {
            link: "/enforcement/mine?tab=documents".into(),
            id: d.id,
            code: Some(d.number),
            title,
            place: Some(d.department_name),
            status_label: "未签收".into(),
            at_ms: Some(d.issued_ms),
            due_ms: None,
            due_date: d.fields.get("deadline").cloned(),
            overdue: false,
        }
    }))
}
