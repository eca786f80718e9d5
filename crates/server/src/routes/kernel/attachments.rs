//! Attachment upload (raw body, `?filename=`) and download. The type is decided by content.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller};
use crate::routes::kernel::api::attachments::Attachment;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use yingji_core::kernel::attachment;
use yingji_store::kernel::attachments;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    pub filename: String,
}

pub async fn store_upload(
    app: &AppState,
    uploaded_by: Option<&str>,
    filename: &str,
    body: &[u8],
) -> ApiResult<Attachment> {
    let name = attachment::clean_filename(filename);
    let mime = attachment::check(&name, body, app.cfg.attachment_max_bytes)
        .map_err(|m| ApiError::field("file", m))?;
    Ok(attachments::insert(
        &app.store,
        app.clock.now_ms(),
        uploaded_by,
        &name,
        mime,
        body,
    )
    .await?
    .into())
}

/// 上传附件 (JPEG/PNG/WebP/PDF; the body is the file). Link it by id in a report or an action.
#[utoipa::path(post, path = "/api/v1/attachments", tag = "附件", params(UploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 201, body = Attachment), (status = 400, body = crate::error::ErrorBody), (status = 413)))]
pub async fn upload(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
    Ok((
        StatusCode::CREATED,
        Json(store_upload(&app, Some(&caller.user.id), &q.filename, &body).await?),
    ))
}

/// Public upload for the report form (rate-limited like the form).
#[utoipa::path(post, path = "/api/public/attachments", tag = "公众", params(UploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 201, body = Attachment), (status = 400, body = crate::error::ErrorBody), (status = 413), (status = 429, body = crate::error::ErrorBody)))]
pub async fn upload_public(
    State(app): State<AppState>,
    parts: axum::http::request::Parts,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Attachment>)> {
    let ip = crate::extract::client_ip(&parts);
    app.public_limiter.check(
        &format!("upload:{}", ip.as_deref().unwrap_or("?")),
        app.clock.now_ms(),
        "提交过于频繁，请稍后再试",
    )?;
    Ok((
        StatusCode::CREATED,
        Json(store_upload(&app, None, &q.filename, &body).await?),
    ))
}

/// 下载附件: visible when its hazard, work order or patrol check-in is visible to the caller (or the caller
/// uploaded it).
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "附件", params(("id" = String, Path)), responses((status = 200, description = "The file, in the type it was stored as.", content(("image/jpeg"), ("image/png"), ("image/webp"), ("application/pdf"))), (status = 404, body = crate::error::ErrorBody)))]
pub async fn download(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let (meta, uploaded_by, bytes) = attachments::get(&app.store, &id).await?;
    let visible = match &meta.owner_id {
        Some(owner) => {
            yingji_store::prevention::hazards::get(&app.store, &caller.scope, owner)
                .await
                .is_ok()
                || yingji_store::warning::targeting::get_order(
                    &app.store,
                    &crate::extract::ctx(&caller),
                    owner,
                    app.clock.now_ms(),
                )
                .await
                .is_ok()
                || yingji_store::patrols::get(&app.store, &crate::extract::ctx(&caller), owner)
                    .await
                    .is_ok()
        }
        None => uploaded_by.as_deref() == Some(caller.user.id.as_str()),
    };
    if !visible {
        return Err(ApiError::not_found());
    }
    let disposition = format!(
        "inline; filename*=UTF-8''{}",
        crate::spreadsheet::utf8_percent(&meta.filename)
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(&meta.mime)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("inline")),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'"),
            ),
        ],
        bytes,
    )
        .into_response())
}
