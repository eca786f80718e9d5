//! What every request passes on its way in and out: the client's address behind the trusted
//! proxies, a request id (`x-request-id`, honoured or made, echoed), the request counters of
//! `/metrics`, one log line per request (method, route, status, latency, request id), and the
//! security headers on every response, API and console alike (`harden`, docs/security.md).

use crate::AppState;
use crate::extract::ClientAddr;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::time::Instant;
use tracing::Instrument;

pub const REQUEST_ID: &str = "x-request-id";

/// The caller's request id when it is a sane token (1–128 of `A-Z a-z 0-9 - _ . :`), else a
/// new one.
fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| {
            (1..=128).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        })
        .map_or_else(|| uuid::Uuid::now_v7().simple().to_string(), str::to_string)
}

/// Sets `ClientAddr` from the socket peer and, when the peer is a trusted proxy, its
/// `X-Forwarded-For` (`yingji_core::kernel::proxy::client_of`).
fn resolve_client(app: &AppState, req: &mut Request) -> Option<std::net::IpAddr> {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>()?.0.ip();
    // Read as bytes: a value with non-ASCII junk from the client still carries the proxy's own
    // entry (dropping the whole value would make the proxy the client).
    let forwarded: Vec<String> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    let forwarded: Vec<&str> = forwarded.iter().map(String::as_str).collect();
    let client = yingji_core::kernel::proxy::client_of(peer, &forwarded, &app.cfg.trusted_proxies);
    req.extensions_mut().insert(ClientAddr(client));
    Some(client)
}

/// The method as a metrics label: the standard ones, anything else `OTHER` (a client must not
/// grow the series with made-up methods).
fn method_label(method: &axum::http::Method) -> &'static str {
    const STANDARD: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    STANDARD
        .into_iter()
        .find(|m| *m == method.as_str())
        .unwrap_or("OTHER")
}

pub async fn edge(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let client = resolve_client(&app, &mut req);
    let id = request_id(req.headers());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("(fallback)", |p| p.as_str())
        .to_string();
    let method = req.method().clone();
    let api = req.uri().path().starts_with("/api/");
    let tls = app.cfg.hsts_always || over_tls(&app, &req);
    let span = tracing::info_span!("request", request_id = %id);
    let mut res = next.run(req).instrument(span.clone()).await;
    let latency = started.elapsed();
    let status = res.status().as_u16();
    app.metrics
        .observe(&route, method_label(&method), status, latency);
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    harden(res.headers_mut(), api, tls);
    span.in_scope(|| {
        tracing::info!(
            method = %method,
            route = %route,
            status,
            latency_ms = latency.as_secs_f64() * 1000.0,
            client = client.map(|c| c.to_string()).unwrap_or_default(),
            "request"
        );
    });
    res
}

/// Whether the request came over TLS to a trusted proxy (`X-Forwarded-Proto: https`).
fn over_tls(app: &AppState, req: &Request) -> bool {
    let Some(peer) = req.extensions().get::<ConnectInfo<SocketAddr>>() else {
        return false;
    };
    let proto: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    yingji_core::kernel::proxy::over_tls(peer.0.ip(), &proto, &app.cfg.trusted_proxies)
}

/// HSTS for a year once the browser has seen the site over TLS.
const HSTS: &str = "max-age=31536000";
/// No camera, microphone, payment or the like for any page; the console asks for the position
/// itself on the field pages (self only).
const PERMISSIONS: &str = "camera=(), microphone=(), payment=(), usb=(), serial=(), \
    bluetooth=(), midi=(), geolocation=(self)";

/// The security headers every response carries (issue 26, docs/security.md 入侵防范与HTTP加固):
/// the console's CSP (no inline scripts, no framing) unless the handler set its own,
/// X-Frame-Options for older browsers, nosniff, no Referer to other sites, a Permissions-Policy,
/// HSTS over TLS, and `Cache-Control: no-store` on API answers that did not choose their own
/// caching (lists and records carry personal data; tiles and photos set theirs).
pub fn harden(h: &mut HeaderMap, api: bool, tls: bool) {
    use axum::http::header;
    let fixed = [
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
    ];
    for (name, value) in fixed {
        h.insert(name, HeaderValue::from_static(value));
    }
    h.insert("permissions-policy", HeaderValue::from_static(PERMISSIONS));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(crate::web::CSP),
        );
    }
    if api && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
}
