//! `GET /metrics` in the Prometheus text format (docs/operations.md, 指标). Request counters and
//! latency histograms are kept in this process by the edge middleware (`crate::edge`); queue
//! depths are counted in the database at scrape time. Hand-written (ADR 0028): a few counters
//! and one histogram family do not need an exporter crate.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;
use yingji_core::kernel::metrics::{self as text, LATENCY_BOUNDS};
use yingji_store::kernel::metrics::QueueDepths;

/// One route's and method's requests.
#[derive(Debug, Default)]
struct RouteStats {
    /// By status class (`2xx`, …).
    by_class: BTreeMap<&'static str, u64>,
    /// Non-cumulative counts per bucket of `LATENCY_BOUNDS`, then one for larger ones.
    buckets: [u64; LATENCY_BOUNDS.len() + 1],
    sum_s: f64,
    count: u64,
}

/// This node's request counters, by (route template, method).
#[derive(Debug, Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<(String, String), RouteStats>>,
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, route: &str, method: &str, status: u16, latency: Duration) {
        let secs = latency.as_secs_f64();
        let bucket = LATENCY_BOUNDS
            .iter()
            .position(|&b| secs <= b)
            .unwrap_or(LATENCY_BOUNDS.len());
        let mut routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let key = (route.to_string(), method.to_string());
        let r = routes.entry(key).or_default();
        *r.by_class.entry(text::status_class(status)).or_default() += 1;
        r.buckets[bucket] += 1;
        r.sum_s += secs;
        r.count += 1;
    }

    fn render_requests(&self, out: &mut String) {
        let routes = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let requests = "yingji_http_requests_total";
        text::family(
            out,
            requests,
            "counter",
            "HTTP requests answered by this node, by route template, method and status class.",
        );
        for ((route, method), r) in routes.iter() {
            for (class, n) in &r.by_class {
                let labels = [
                    ("route", route.as_str()),
                    ("method", method),
                    ("status", class),
                ];
                text::sample(out, requests, &labels, *n as f64);
            }
        }
        let latency = "yingji_http_request_duration_seconds";
        text::family(
            out,
            latency,
            "histogram",
            "Time to the response's head, by route template and method.",
        );
        for ((route, method), r) in routes.iter() {
            let mut cumulative = 0;
            let bounds = LATENCY_BOUNDS.iter().map(|b| b.to_string());
            for (le, n) in bounds.chain(["+Inf".to_string()]).zip(r.buckets) {
                cumulative += n;
                let labels = [("route", route.as_str()), ("method", method), ("le", &le)];
                text::sample(
                    out,
                    &format!("{latency}_bucket"),
                    &labels,
                    cumulative as f64,
                );
            }
            let labels = [("route", route.as_str()), ("method", method.as_str())];
            text::sample(out, &format!("{latency}_sum"), &labels, r.sum_s);
            text::sample(out, &format!("{latency}_count"), &labels, r.count as f64);
        }
    }
}

/// Whether the caller may read the metrics: a client on this host that came through no proxy
/// (a request carrying X-Forwarded-For came through one, even from a local nginx that is not
/// listed in trusted_proxies), or the configured bearer token.
fn permitted(app: &AppState, parts: &Parts) -> bool {
    let proxied = parts.headers.contains_key("x-forwarded-for");
    let local = !proxied && crate::extract::client_addr(parts).is_some_and(|ip| ip.is_loopback());
    let token = app.cfg.metrics_token.as_deref().filter(|t| !t.is_empty());
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let with_token = match (token, bearer) {
        (Some(t), Some(b)) => crate::auth::digest(t) == crate::auth::digest(b),
        _ => false,
    };
    local || with_token
}

/// Prometheus metrics of this node (not JSON, so not in the OpenAPI document).
pub async fn scrape(State(app): State<AppState>, parts: Parts) -> Response {
    if !permitted(&app, &parts) {
        return ApiError::new(StatusCode::FORBIDDEN, "forbidden", text::REFUSED).into_response();
    }
    let now = app.clock.now_ms();
    let depths = match yingji_store::kernel::metrics::queue_depths(&app.store, now).await {
        Ok(d) => d,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let mut out = String::with_capacity(16 * 1024);
    app.metrics.render_requests(&mut out);
    render_gauges(&app, depths, &mut out);
    let text_format = "text/plain; version=0.0.4; charset=utf-8";
    ([(header::CONTENT_TYPE, text_format)], out).into_response()
}

/// Ingest counters, queue depths, SSE clients and the database pool: (name, type, help, value).
// Long because: one table row per exported family, as rustfmt spreads them.
fn render_gauges(app: &AppState, depths: QueueDepths, out: &mut String) {
    let ingest = app.ingest.stats.snapshot();
    let pool = &app.store.pool;
    let n = |v: u64| v as f64;
    let families: [(&str, &str, &str, f64); 12] = [
        (
            "yingji_ingest_readings_total",
            "counter",
            "Readings committed by this node's ingest.",
            n(ingest.readings),
        ),
        (
            "yingji_ingest_messages_total",
            "counter",
            "Messages (MQTT or HTTP) taken in by this node's ingest.",
            n(ingest.messages),
        ),
        (
            "yingji_ingest_duplicates_total",
            "counter",
            "Readings already stored, skipped.",
            n(ingest.duplicates),
        ),
        (
            "yingji_ingest_store_errors_total",
            "counter",
            "Ingest commits that failed (nothing acknowledged).",
            n(ingest.store_errors),
        ),
        (
            "yingji_mqtt_connections",
            "gauge",
            "MQTT connections open on this node's broker.",
            n(ingest.connections),
        ),
        (
            "yingji_outbox_pending",
            "gauge",
            "Outbox messages waiting or being sent (all nodes).",
            depths.outbox_pending as f64,
        ),
        (
            "yingji_timers_due",
            "gauge",
            "Durable timers due and not fired (all nodes).",
            depths.timers_due as f64,
        ),
        (
            "yingji_timers_late",
            "gauge",
            "Durable timers due more than 60 s ago and not fired (all nodes).",
            depths.timers_late as f64,
        ),
        (
            "yingji_sse_clients",
            "gauge",
            "Browsers connected to this node's live alarm stream.",
            app.alarm_feed.receiver_count() as f64,
        ),
        (
            "yingji_db_pool_connections",
            "gauge",
            "Open database connections in this node's pool.",
            f64::from(pool.size()),
        ),
        (
            "yingji_db_pool_idle_connections",
            "gauge",
            "Idle database connections in this node's pool.",
            pool.num_idle() as f64,
        ),
        (
            "yingji_db_pool_max_connections",
            "gauge",
            "The most connections this node's pool opens.",
            f64::from(pool.options().get_max_connections()),
        ),
    ];
    for (name, kind, help, value) in families {
        text::family(out, name, kind, help);
        text::sample(out, name, &[], value);
    }
}
