//! Issue 25 at a node's edge: login limits and lockouts shared by two nodes on one database, the
//! client behind a trusted proxy (rate limits and the audit log), `/metrics`, request ids.

use crate::helpers::{Backend, PASSWORD, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::SharedClock;
use yingji_core::kernel::proxy::parse_list;
use yingji_server::{AppState, ServerConfig};
use yingji_store::{Sql, Store};

fn pg_set() -> bool {
    std::env::var("YINGJI_TEST_PG_URL").is_ok_and(|u| !u.is_empty())
}

/// The URL of the database `store` is on, for a second node's own pool.
async fn url_of(store: &Store, backend: Backend) -> String {
    match backend {
        Backend::Sqlite => {
            let row = store
                .fetch_all(Sql::new(
                    "SELECT file FROM pragma_database_list WHERE name = 'main'",
                ))
                .await
                .unwrap();
            let file: String = yingji_store::sqlx::Row::try_get(&row[0], 0).unwrap();
            format!("sqlite://{file}?mode=rwc")
        }
        Backend::Postgres => {
            let row = store
                .fetch_all(Sql::new("SELECT CAST(current_database() AS TEXT)"))
                .await
                .unwrap();
            let name: String = yingji_store::sqlx::Row::try_get(&row[0], 0).unwrap();
            let base = std::env::var("YINGJI_TEST_PG_URL").unwrap();
            format!("{}/{name}", base.rsplit_once('/').unwrap().0)
        }
    }
}

/// A second node: its own pool on the first one's database, its own AppState (and so its own
/// limiters), the same clock. Answers its base URL; it stops when the sender is dropped.
async fn second_node(
    app: &TestApp,
    backend: Backend,
    cfg: ServerConfig,
) -> (String, tokio::sync::oneshot::Sender<()>) {
    let store = Store::connect(&url_of(&app.store, backend).await)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let clock: SharedClock = app.clock.clone();
    let state = AppState::new(store, clock, cfg);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(yingji_server::serve(listener, state, async {
        let _ = rx.await;
    }));
    (base, tx)
}

async fn login(c: &Client, base: &str, password: &str, forwarded: Option<&str>) -> StatusCode {
    let mut r = c
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": password}));
    if let Some(f) = forwarded {
        r = r.header("x-forwarded-for", f);
    }
    r.send().await.unwrap().status()
}

async fn two_nodes_share_login_limits(backend: Backend) {
    if backend == Backend::Postgres && !pg_set() {
        return;
    }
    let cfg = || ServerConfig {
        demo: true,
        login_per_minute: 3,
        ..Default::default()
    };
    let app = TestApp::spawn_with(backend, cfg()).await;
    let (b, _stop) = second_node(&app, backend, cfg()).await;
    let a = app.base.clone();
    let c = Client::new();
    // Three attempts a minute from one address, whichever node they reach.
    for node in [&a, &b, &a] {
        assert_eq!(
            login(&c, node, "wrong", None).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login(&c, &b, PASSWORD, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login(&c, &a, PASSWORD, None).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Five failures of the pair lock it on every node (the count is in the database).
    app.clock.advance(61_000);
    for node in [&b, &a] {
        assert_eq!(
            login(&c, node, "wrong", None).await,
            StatusCode::UNAUTHORIZED
        );
    }
    app.clock.advance(61_000);
    assert_eq!(
        login(&c, &b, PASSWORD, None).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login(&c, &a, PASSWORD, None).await,
        StatusCode::UNAUTHORIZED
    );
    // Old windows are pruned (at most the current and the previous minute stay).
    app.clock.advance(3 * 61_000);
    assert_eq!(login(&c, &a, "wrong", None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("rate_limits").await, 1);
    if backend == Backend::Postgres {
        app.drop_database().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_limits_hold_across_nodes_sqlite() {
    two_nodes_share_login_limits(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_limits_hold_across_nodes_postgres() {
    two_nodes_share_login_limits(Backend::Postgres).await;
}

/// The address of the newest audit record.
async fn last_audit_ip(app: &TestApp) -> Option<String> {
    let rows = app
        .store
        .fetch_all(Sql::new(
            "SELECT ip FROM audit_log ORDER BY seq DESC LIMIT 1",
        ))
        .await
        .unwrap();
    yingji_store::sqlx::Row::try_get(&rows[0], 0).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trusted_proxy_names_the_client() {
    let cfg = |trusted: &[&str]| ServerConfig {
        demo: true,
        login_per_minute: 3,
        trusted_proxies: parse_list(&trusted.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .unwrap(),
        ..Default::default()
    };
    // No trusted proxy: a client's X-Forwarded-For changes nothing.
    let app = TestApp::spawn_with(Backend::Sqlite, cfg(&[])).await;
    let c = Client::builder().cookie_store(true).build().unwrap();
    let base = app.base.clone();
    assert_eq!(
        login(&c, &base, PASSWORD, Some("198.51.100.7")).await,
        StatusCode::OK
    );
    assert_eq!(last_audit_ip(&app).await.as_deref(), Some("127.0.0.1"));
    for f in ["1.1.1.1", "2.2.2.2"] {
        assert_eq!(
            login(&c, &base, "wrong", Some(f)).await,
            StatusCode::UNAUTHORIZED
        );
    }
    // A spoofed header does not buy a new limit: the fourth attempt is refused.
    assert_eq!(
        login(&c, &base, "x", Some("3.3.3.3")).await,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Behind a trusted proxy on 127.0.0.1: the rightmost untrusted X-Forwarded-For address.
    let app = TestApp::spawn_with(Backend::Sqlite, cfg(&["127.0.0.1", "10.0.0.0/8"])).await;
    let base = app.base.clone();
    let via = Some("6.6.6.6, 198.51.100.7, 10.1.2.3");
    assert_eq!(login(&c, &base, PASSWORD, via).await, StatusCode::OK);
    assert_eq!(last_audit_ip(&app).await.as_deref(), Some("198.51.100.7"));
    let (s, me) = crate::helpers::json(
        c.get(format!("{base}/api/v1/auth/me"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{me}");
    // Each real client has its own limit; garbage ends the walk at the proxy.
    for _ in 0..2 {
        assert_eq!(
            login(&c, &base, "wrong", via).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login(&c, &base, "wrong", via).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    let other = Some("203.0.113.5");
    assert_eq!(
        login(&c, &base, "wrong", other).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login(&c, &base, "wrong", Some("junk")).await,
        StatusCode::UNAUTHORIZED
    );
    // An IPv6 client is counted by its /64: walking through its network buys no new limit, the
    // audit still names the address it came from, and the next /64 is another client.
    for (i, f) in ["2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:ffff::9"]
        .iter()
        .enumerate()
    {
        assert_eq!(
            login(&c, &base, "wrong", Some(f)).await,
            StatusCode::UNAUTHORIZED,
            "attempt {i}"
        );
    }
    assert_eq!(
        last_audit_ip(&app).await.as_deref(),
        Some("2001:db8:5:6:ffff::9")
    );
    assert_eq!(
        login(&c, &base, "wrong", Some("2001:db8:5:6:abcd::1")).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login(&c, &base, "wrong", Some("2001:db8:5:7::1")).await,
        StatusCode::UNAUTHORIZED
    );
}

/// (name with labels, value) of every sample in a Prometheus text answer.
fn parse_metrics(body: &str) -> Vec<(String, f64)> {
    body.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (name, value) = l.rsplit_once(' ').expect("sample line");
            (name.to_string(), value.parse::<f64>().expect("a number"))
        })
        .collect()
}

fn value(samples: &[(String, f64)], name: &str) -> f64 {
    samples
        .iter()
        .find(|(n, _)| n == name)
        .map_or(0.0, |(_, v)| *v)
}

async fn scrape(c: &Client, base: &str, headers: &[(&str, &str)]) -> (StatusCode, String) {
    let mut r = c.get(format!("{base}/metrics"));
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let r = r.send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn metrics_and_request_ids(app: &TestApp) {
    let c = Client::new();
    let (s, body) = scrape(&c, &app.base, &[]).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let before = parse_metrics(&body);
    for name in [
        "yingji_outbox_pending",
        "yingji_timers_due",
        "yingji_timers_late",
        "yingji_sse_clients",
        "yingji_db_pool_connections",
        "yingji_db_pool_max_connections",
        "yingji_ingest_readings_total",
    ] {
        assert!(
            before.iter().any(|(n, _)| n == name),
            "{name} missing:\n{body}"
        );
    }
    // A failed login moves its route's counter and histogram.
    let failed =
        "yingji_http_requests_total{route=\"/api/v1/auth/login\",method=\"POST\",status=\"4xx\"}";
    let count =
        "yingji_http_request_duration_seconds_count{route=\"/api/v1/auth/login\",method=\"POST\"}";
    let r = c
        .post(app.url("/api/v1/auth/login"))
        .header("x-request-id", "trace-42")
        .json(&json!({"username": "admin", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["x-request-id"], "trace-42");
    let (_, body) = scrape(&c, &app.base, &[]).await;
    let after = parse_metrics(&body);
    assert_eq!(
        value(&after, failed),
        value(&before, failed) + 1.0,
        "{body}"
    );
    assert_eq!(value(&after, count), value(&before, count) + 1.0);
    let inf = "yingji_http_request_duration_seconds_bucket{route=\"/api/v1/auth/login\",method=\"POST\",le=\"+Inf\"}";
    assert_eq!(value(&after, inf), value(&after, count));
    // Route templates, not paths; a made-up or unsafe request id is replaced.
    let r = c
        .get(app.url("/api/v1/hazards/no-such-id"))
        .header("x-request-id", "bad id; <script>")
        .send()
        .await
        .unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(
        id.len() >= 16 && id.bytes().all(|b| b.is_ascii_hexdigit()),
        "{id}"
    );
    let (_, body) = scrape(&c, &app.base, &[]).await;
    assert!(body.contains("route=\"/api/v1/hazards/{id}\""), "{body}");
    assert!(!body.contains("no-such-id"));
    // Late timers are a part of the due ones.
    let samples = parse_metrics(&body);
    assert!(value(&samples, "yingji_timers_late") <= value(&samples, "yingji_timers_due"));
}
crate::both!(metrics_and_request_ids);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_only_for_this_host_or_the_token() {
    let cfg = ServerConfig {
        demo: true,
        trusted_proxies: parse_list(&["127.0.0.1".to_string()]).unwrap(),
        metrics_token: Some("s3cret-token".into()),
        ..Default::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, cfg).await;
    let c = Client::new();
    // Through the proxy from outside: refused, whatever it claims.
    let outside = ("x-forwarded-for", "198.51.100.7");
    let (s, body) = scrape(&c, &app.base, &[outside]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let err: Value = serde_json::from_str(&body).unwrap();
    assert!(err["message"].as_str().unwrap().contains("metrics_token"));
    let wrong = ("authorization", "Bearer guess");
    assert_eq!(
        scrape(&c, &app.base, &[outside, wrong]).await.0,
        StatusCode::FORBIDDEN
    );
    let right = ("authorization", "Bearer s3cret-token");
    let (s, body) = scrape(&c, &app.base, &[outside, right]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("# TYPE yingji_http_requests_total counter"));
    // On this host directly: allowed.
    assert_eq!(scrape(&c, &app.base, &[]).await.0, StatusCode::OK);
    // Through a local proxy (a forwarded header naming a local address, or junk bytes the
    // proxy passed on): still a proxied request, refused.
    let local = ("x-forwarded-for", "127.0.0.1");
    assert_eq!(
        scrape(&c, &app.base, &[local]).await.0,
        StatusCode::FORBIDDEN
    );
    let junk = reqwest::header::HeaderValue::from_bytes(b"\xff\xfe, 127.0.0.1").unwrap();
    let r = c
        .get(format!("{}/metrics", app.base))
        .header("x-forwarded-for", junk)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
