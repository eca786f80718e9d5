//! The web console, built by Vite into web/dist and embedded in the binary. Unknown paths that
//! are not API calls get index.html, so the console's own routes survive a reload.

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

#[derive(rust_embed::RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist"]
#[allow_missing = true]
struct Assets;

/// The console's Content-Security-Policy: scripts only from its own files (no inline scripts or
/// event handlers, no eval), so markup that slips into the page cannot run. Element Plus and
/// ECharts set inline styles; MapLibre starts its workers from blob: URLs and decodes images
/// through them; nothing is loaded from elsewhere, and no other site may frame the console.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; font-src 'self' data:; \
    object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") {
        return crate::error::ApiError::new(StatusCode::NOT_FOUND, "not_found", "接口不存在")
            .into_response();
    }
    if let Some(resp) = asset(path) {
        return resp;
    }
    match asset("index.html") {
        Some(resp) => resp,
        None => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
                (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)),
                (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            ],
            "<!doctype html><meta charset=utf-8><title>应急管理综合平台</title><p>前端尚未构建：请运行 <code>make web</code> 后重新编译。接口文档见 <a href=/api/docs/>/api/docs/</a>。</p>",
        )
            .into_response(),
    }
}

fn asset(path: &str) -> Option<Response> {
    let file = Assets::get(path)?;
    let mime = match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    };
    // Vite puts a content hash in asset names, so those can be cached for good. Everything else
    // (index.html, the service worker, the manifest) is revalidated, so a new build is seen.
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    Some(
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
                (
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ),
                (
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CSP),
                ),
            ],
            file.data.into_owned(),
        )
            .into_response(),
    )
}
