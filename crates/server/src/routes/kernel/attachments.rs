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
use yingji_core::kernel::{attachment, photo};
use yingji_store::kernel::attachments;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    pub filename: String,
}

/// At most two photos are decoded at once (each may hold up to ~200 MB while it is resized).
static PHOTO_WORK: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// The display version and the thumbnail of a photo, made off the async workers.
async fn derive(name: &str, mime: &str, body: &[u8]) -> ApiResult<Result<photo::Derived, String>> {
    let _permit = PHOTO_WORK.acquire().await.map_err(ApiError::internal)?;
    let (name, mime, body) = (name.to_string(), mime.to_string(), body.to_vec());
    tokio::task::spawn_blocking(move || photo::derive(&name, &mime, &body))
        .await
        .map_err(ApiError::internal)
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
    let derived = if photo::is_picture(mime) {
        Some(
            derive(&name, mime, body)
                .await?
                .map_err(|m| ApiError::field("file", m))?,
        )
    } else {
        None
    };
    let upload = attachments::Upload {
        uploaded_by,
        filename: &name,
        mime,
        bytes: body,
        derived: derived.as_ref(),
    };
    Ok(attachments::insert(&app.store, app.clock.now_ms(), upload)
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
    app.public_limiter
        .check(
            &format!("upload:{}", crate::extract::rate_key(&parts)),
            app.clock.now_ms(),
            "提交过于频繁，请稍后再试",
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(store_upload(&app, None, &q.filename, &body).await?),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DownloadQuery {
    /// original (default), display (≤1600 px, JPEG) or thumb (≤320 px, JPEG); photos only.
    #[param(inline)]
    pub size: Option<photo::Size>,
}

/// Whether the caller sees the record the attachment belongs to (checked on that record), or
/// uploaded it while it belongs to none yet.
async fn visible(app: &AppState, caller: &Caller, stored: &attachments::Stored) -> bool {
    let Some(owner) = stored.meta.owner_id.as_deref() else {
        return stored.uploaded_by.as_deref() == Some(caller.user.id.as_str());
    };
    let now = app.clock.now_ms();
    match stored.owner_type.as_deref() {
        Some("hazard") => yingji_store::prevention::hazards::get(&app.store, &caller.scope, owner)
            .await
            .is_ok(),
        Some("work_order") => {
            let ctx = crate::extract::ctx(caller);
            yingji_store::warning::targeting::get_order(&app.store, &ctx, owner, now)
                .await
                .is_ok()
        }
        Some("incident") => {
            yingji_store::response::incidents::get(&app.store, &caller.scope, owner, now)
                .await
                .is_ok()
        }
        Some(yingji_store::patrols::OWNER_TYPE) => {
            let ctx = crate::extract::ctx(caller);
            yingji_store::patrols::get(&app.store, &ctx, owner)
                .await
                .is_ok()
        }
        Some(yingji_store::enforcement::inspections::OWNER_TYPE) => {
            let ctx = crate::extract::ctx(caller);
            yingji_store::enforcement::inspections::get(&app.store, &ctx, owner)
                .await
                .is_ok()
        }
        Some(yingji_store::enforcement::receipts::OWNER_TYPE) => {
            let ctx = crate::extract::ctx(caller);
            yingji_store::enforcement::receipts::visible(&app.store, &ctx, owner).await
        }
        Some(yingji_store::credit::duty_reports::OWNER_TYPE) => {
            yingji_store::credit::duty_reports::get(&app.store, &caller.scope, owner)
                .await
                .is_ok()
        }
        Some(yingji_app::disasters::forest_patrols::PATROL_OWNER) => {
            let ctx = crate::extract::ctx(caller);
            yingji_app::disasters::forest_patrols::patrol(&app.store, &ctx, owner)
                .await
                .is_ok()
        }
        Some(yingji_app::disasters::forest_patrols::FIRE_POINT_OWNER) => {
            let ctx = crate::extract::ctx(caller);
            yingji_app::disasters::forest_patrols::point(&app.store, &ctx, owner)
                .await
                .is_ok()
        }
        Some(yingji_store::disasters::consultations::OWNER_TYPE) => {
            let ctx = crate::extract::ctx(caller);
            yingji_store::disasters::consultations::visible(&app.store, &ctx, owner).await
        }
        // An owner this route does not know is nobody's to see (fail closed).
        _ => false,
    }
}

/// 下载附件: the original, or for a photo its display version or thumbnail. Visible when the
/// record it belongs to (hazard, work order, incident) is visible to the caller, or to its
/// uploader before it is linked. A photo stored before versions were made gets them on the
/// first request for one.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "附件", params(("id" = String, Path), DownloadQuery), responses((status = 200, description = "The file, in the type it was stored as (display and thumb: JPEG).", content(("image/jpeg"), ("image/png"), ("image/webp"), ("application/pdf"))), (status = 404, body = crate::error::ErrorBody)))]
pub async fn download(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<DownloadQuery>,
) -> ApiResult<Response> {
    let size = q.size.unwrap_or(photo::Size::Original);
    let stored = attachments::get(&app.store, &id, size).await?;
    if !visible(&app, &caller, &stored).await {
        return Err(ApiError::not_found());
    }
    let meta = stored.meta;
    let (mime, bytes) = match stored.bytes {
        Some(b) if size == photo::Size::Original => (meta.mime.clone(), b),
        Some(b) => (photo::DERIVED_MIME.to_string(), b),
        None => (
            photo::DERIVED_MIME.to_string(),
            lazily(&app, &meta, size).await?,
        ),
    };
    Ok(file(&meta.filename, &mime, bytes))
}

/// The version of a photo stored before versions were made: made now from the original, kept.
async fn lazily(
    app: &AppState,
    meta: &yingji_store::kernel::attachments::Attachment,
    size: photo::Size,
) -> ApiResult<Vec<u8>> {
    let no_version = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "no_version",
            photo::no_smaller_size(&meta.filename),
        )
    };
    if !photo::is_picture(&meta.mime) {
        return Err(no_version());
    }
    let original = attachments::get(&app.store, &meta.id, photo::Size::Original)
        .await?
        .bytes
        .ok_or_else(ApiError::not_found)?;
    let derived = derive(&meta.filename, &meta.mime, &original)
        .await?
        .map_err(|m| ApiError::new(StatusCode::NOT_FOUND, "no_version", m))?;
    attachments::fill_derived(&app.store, &meta.id, &derived).await?;
    Ok(match size {
        photo::Size::Thumb => derived.thumb,
        _ => derived.display,
    })
}

/// The bytes as a file the browser shows inline, never sniffed or run as a page; the browser
/// may keep it for a day (an attachment's bytes never change).
fn file(filename: &str, mime: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!(
        "inline; filename*=UTF-8''{}",
        crate::spreadsheet::utf8_percent(filename)
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_str(mime)
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
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=86400"),
            ),
        ],
        bytes,
    )
        .into_response()
}
