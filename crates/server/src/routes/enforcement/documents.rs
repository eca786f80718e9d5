//! 执法文书: the kinds with their fields, issue, list, read, the stored PDF, and a correction
//! (a new version; the old one is kept as issued).

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::enforcement::documents::{self as app_documents, IssueRequest};
use yingji_core::enforcement::document::KINDS;
use yingji_store::Page;
use yingji_store::enforcement::documents::{self, DocumentFilter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(kinds))
        .routes(routes!(list, issue))
        .routes(routes!(get))
        .routes(routes!(pdf))
        .routes(routes!(correct))
}

/// A field of a kind's form.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentField {
    pub key: String,
    pub label: String,
    pub required: bool,
    /// A day (YYYY-MM-DD).
    pub date: bool,
    pub max: i64,
}

/// A kind of 执法文书.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentKind {
    pub code: String,
    pub title: String,
    /// Its code in the number (现记, 责改 …).
    pub short: String,
    /// `task` or `case`.
    pub subject: String,
    pub fields: Vec<DocumentField>,
}

/// An issued 执法文书 (without its PDF; see `/pdf`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Document {
    pub id: String,
    pub kind: String,
    pub title: String,
    /// 〔2026〕浔应急现记〔0012〕号; a correction keeps the number.
    pub number: String,
    pub department_id: String,
    pub department_name: String,
    pub year: i64,
    pub seq: i64,
    pub version: i64,
    pub supersedes_id: Option<String>,
    pub superseded_by: Option<String>,
    /// `task` or `case`.
    pub subject_kind: String,
    pub subject_id: String,
    pub party: String,
    pub fields: BTreeMap<String, String>,
    /// SHA-256 of the stored PDF (also in the audit log).
    pub pdf_sha256: String,
    pub pdf_size: i64,
    pub issued_by_name: String,
    pub issued_ms: i64,
}

impl From<documents::Document> for Document {
    fn from(v: documents::Document) -> Self {
        let title = yingji_core::enforcement::document::kind(&v.kind)
            .map(|k| k.title.to_string())
            .unwrap_or_default();
        Self {
            id: v.id,
            kind: v.kind,
            title,
            number: v.number,
            department_id: v.department_id,
            department_name: v.department_name,
            year: v.year,
            seq: v.seq,
            version: v.version,
            supersedes_id: v.supersedes_id,
            superseded_by: v.superseded_by,
            subject_kind: v.subject_kind,
            subject_id: v.subject_id,
            party: v.party,
            fields: v.fields,
            pdf_sha256: v.pdf_sha256,
            pdf_size: v.pdf_size,
            issued_by_name: v.issued_by_name,
            issued_ms: v.issued_ms,
        }
    }
}

/// A document to issue.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    /// site_check, rectify_order, review_opinion (for a task); case_approval, penalty_notice,
    /// statement_record, penalty_decision, closing_approval (for a case).
    pub kind: String,
    /// `task` or `case`.
    pub subject_kind: String,
    pub subject_id: String,
    /// The form's fields by key (see `/document-kinds`). The record fills what it has: a task
    /// document's party is the task's enterprise (a 责令限期整改指令书's 整改期限 and facts default
    /// from the findings); a case document's party, facts, legal basis and fine come from the
    /// case, which must be in a state that allows the kind (else 409 naming `kind`).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// A correction: the fields that change ("" clears an optional one).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionInput {
    pub fields: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    pub kind: Option<String>,
    /// The task's or case's id.
    pub subject_id: Option<String>,
    pub year: Option<i64>,
    /// Only the latest version of each document.
    pub latest: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// The kinds of 执法文书 with the fields of their forms.
#[utoipa::path(get, path = "/api/v1/enforcement/document-kinds", tag = "执法监管", responses((status = 200, body = [DocumentKind])))]
pub async fn kinds(_caller: Caller) -> Json<Vec<DocumentKind>> {
    Json(
        KINDS
            .iter()
            .map(|k| DocumentKind {
                code: k.code.into(),
                title: k.title.into(),
                short: k.short.into(),
                subject: k.subject.code().into(),
                fields: k
                    .fields
                    .iter()
                    .map(|f| DocumentField {
                        key: f.key.into(),
                        label: f.label.into(),
                        required: f.required,
                        date: f.date,
                        max: f.max as i64,
                    })
                    .collect(),
            })
            .collect(),
    )
}

/// 执法文书 of the caller's departments (an inspector: of their tasks and their own), newest first.
#[utoipa::path(get, path = "/api/v1/enforcement/documents", tag = "执法监管", params(DocumentQuery), responses((status = 200, body = ListResponse<Document>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DocumentQuery>,
) -> ApiResult<Json<ListResponse<Document>>> {
    let f = DocumentFilter {
        kind: q.kind,
        subject_id: q.subject_id,
        year: q.year,
        latest: q.latest.unwrap_or(false),
    };
    let page = Page::new(q.page, q.page_size);
    let (items, total) = documents::list(&app.store, &ctx(&caller), &f, page).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// Issues a 执法文书: numbered per department, kind and year, rendered as PDF and stored with its
/// SHA-256 in the audit log.
#[utoipa::path(post, path = "/api/v1/enforcement/documents", tag = "执法监管", request_body = DocumentInput, responses((status = 201, body = Document), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn issue(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<DocumentInput>,
) -> ApiResult<(StatusCode, Json<Document>)> {
    let req = IssueRequest {
        kind: input.kind,
        subject_kind: input.subject_kind,
        subject_id: input.subject_id,
        fields: input.fields,
    };
    let d = app_documents::issue(&app.store, &ctx(&caller), app.clock.now_ms(), &req).await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

/// One 执法文书.
#[utoipa::path(get, path = "/api/v1/enforcement/documents/{id}", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, body = Document), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Document>> {
    Ok(Json(
        documents::get(&app.store, &ctx(&caller), &id).await?.into(),
    ))
}

/// The PDF of a 执法文书 exactly as issued (its SHA-256 is the document's `pdf_sha256`).
#[utoipa::path(get, path = "/api/v1/enforcement/documents/{id}/pdf", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, description = "The PDF as issued.", content(("application/pdf"))), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn pdf(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (doc, bytes) = documents::pdf(&app.store, &ctx(&caller), &id).await?;
    let name = format!("{}-{}-v{}.pdf", doc.kind, doc.seq, doc.version);
    Ok(pdf_response(&name, bytes))
}

/// A stored PDF as answered: inline, with its file name, not sniffed, cached privately.
pub(super) fn pdf_response(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("inline; filename=\"{name}\""))
                    .unwrap_or(HeaderValue::from_static("inline")),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("private")),
        ],
        bytes,
    )
        .into_response()
}

/// Corrects a 执法文书: a new version with the same number that supersedes it; the old one stays
/// as issued.
#[utoipa::path(post, path = "/api/v1/enforcement/documents/{id}/versions", tag = "执法监管", params(("id" = String, Path)), request_body = CorrectionInput, responses((status = 201, body = Document), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn correct(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CorrectionInput>,
) -> ApiResult<(StatusCode, Json<Document>)> {
    let d = app_documents::correct(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input.fields,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}
