//! 送达: the documents served on the caller's enterprise (with the PDF as issued) and their
//! 送达回执 — the enterprise signs for one; the issuing side records 留置、邮寄 or 电子送达 and
//! reads whether each document was served.

use super::documents::pdf_response;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::enforcement::receipt::{DOCUMENT_NOT_FOUND, ReceiptInput, method_label};
use yingji_store::enforcement::receipts::{self, own_enterprise};
use yingji_store::{Page, StoreError};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(served))
        .routes(routes!(served_pdf))
        .routes(routes!(serve))
        .routes(routes!(list))
}

/// A 送达回执.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Receipt {
    pub id: String,
    pub document_id: String,
    pub enterprise_id: String,
    /// signed, lodged, mail or electronic.
    pub method: String,
    pub method_label: String,
    /// Who signed, or who it was left with.
    pub signer_name: String,
    /// The drawn signature (an attachment).
    pub image_id: Option<String>,
    pub witness: Option<String>,
    pub reason: Option<String>,
    /// The mail number or the electronic address.
    pub reference: Option<String>,
    pub recorded_by_name: String,
    pub served_ms: i64,
}

impl From<receipts::Receipt> for Receipt {
    fn from(v: receipts::Receipt) -> Self {
        Self {
            method_label: method_label(&v.method).unwrap_or("").into(),
            id: v.id,
            document_id: v.document_id,
            enterprise_id: v.enterprise_id,
            method: v.method,
            signer_name: v.signer_name,
            image_id: v.image_id,
            witness: v.witness,
            reason: v.reason,
            reference: v.reference,
            recorded_by_name: v.recorded_by_name,
            served_ms: v.served_ms,
        }
    }
}

/// A document served on the enterprise, with its receipt (none: 未送达).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServedDocument {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub number: String,
    pub version: i64,
    pub department_name: String,
    /// `task` or `case`.
    pub subject_kind: String,
    pub subject_id: String,
    pub party: String,
    pub fields: BTreeMap<String, String>,
    pub pdf_sha256: String,
    pub issued_by_name: String,
    pub issued_ms: i64,
    pub receipt: Option<Receipt>,
}

impl From<receipts::Served> for ServedDocument {
    fn from(v: receipts::Served) -> Self {
        let title = yingji_core::enforcement::document::kind(&v.kind)
            .map(|k| k.title.to_string())
            .unwrap_or_default();
        Self {
            id: v.id,
            kind: v.kind,
            title,
            number: v.number,
            version: v.version,
            department_name: v.department_name,
            subject_kind: v.subject_kind,
            subject_id: v.subject_id,
            party: v.party,
            fields: v.fields,
            pdf_sha256: v.pdf_sha256,
            issued_by_name: v.issued_by_name,
            issued_ms: v.issued_ms,
            receipt: v.receipt.map(Into::into),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ServedQuery {
    /// Only those not signed for yet.
    pub pending: Option<bool>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

fn enterprise_of(caller: &Caller) -> Result<String, StoreError> {
    own_enterprise(&ctx(caller))
        .map(str::to_string)
        .ok_or_else(|| StoreError::Forbidden(DOCUMENT_NOT_FOUND.into()))
}

/// 送达给本企业的执法文书 (the latest versions), newest first, each with its receipt.
#[utoipa::path(get, path = "/api/v1/enforcement/served", tag = "执法监管", params(ServedQuery), responses((status = 200, body = ListResponse<ServedDocument>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn served(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ServedQuery>,
) -> ApiResult<Json<ListResponse<ServedDocument>>> {
    let e = enterprise_of(&caller)?;
    let page = Page::new(q.page, q.page_size);
    let (items, total) = receipts::served(&app.store, &e, q.pending.unwrap_or(false), page).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// The PDF of a document served on the enterprise, exactly as issued.
#[utoipa::path(get, path = "/api/v1/enforcement/served/{id}/pdf", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, description = "The PDF as issued.", content(("application/pdf"))), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn served_pdf(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let e = enterprise_of(&caller)?;
    let (doc, bytes) = receipts::served_pdf(&app.store, &e, &id).await?;
    Ok(pdf_response(
        &format!("{}-v{}.pdf", doc.kind, doc.version),
        bytes,
    ))
}

/// 送达回执 of a document: the enterprise signs for it (`signed`, name and a drawn signature);
/// the issuing side records `lodged` (留置送达, witness and reason), `mail` or `electronic`.
/// One per document version (again: 409).
#[utoipa::path(post, path = "/api/v1/enforcement/documents/{id}/receipt", tag = "执法监管", params(("id" = String, Path)), request_body = ReceiptInput, responses((status = 201, body = Receipt), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn serve(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ReceiptInput>,
) -> ApiResult<(StatusCode, Json<Receipt>)> {
    let r = yingji_app::enforcement::receipts::serve(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReceiptQuery {
    /// Only the receipts of this task's or case's documents.
    pub subject_id: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 送达回执 the caller reads: of the documents they see (an enterprise: its own); a document
/// without one is 未送达.
#[utoipa::path(get, path = "/api/v1/enforcement/receipts", tag = "执法监管", params(ReceiptQuery), responses((status = 200, body = ListResponse<Receipt>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ReceiptQuery>,
) -> ApiResult<Json<ListResponse<Receipt>>> {
    let page = Page::new(q.page, q.page_size);
    let (items, total) =
        receipts::list(&app.store, &ctx(&caller), q.subject_id.as_deref(), page).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}
