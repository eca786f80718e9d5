//! The security headers on every response, the console's and the API's alike (issue 26 item 6):
//! a CSP without inline scripts and no framing, nosniff, the referrer and permissions policies,
//! no caching of API answers, HSTS only over TLS as a trusted proxy says (or always, by config).

use crate::both;
use crate::helpers::{Backend, TestApp};
use reqwest::Client;
use reqwest::header::HeaderMap;
use yingji_core::kernel::proxy::parse_list;
use yingji_server::ServerConfig;

fn csp_directives(h: &HeaderMap) -> Vec<String> {
    h["content-security-policy"]
        .to_str()
        .unwrap()
        .split(';')
        .map(|d| d.trim().to_string())
        .collect()
}

fn assert_hardened(h: &HeaderMap, what: &str) {
    let csp = csp_directives(h);
    let script = csp
        .iter()
        .find(|d| d.starts_with("script-src"))
        .unwrap_or_else(|| panic!("{what}: script-src in {csp:?}"));
    assert!(!script.contains("unsafe-inline"), "{what}: {script}");
    assert!(!script.contains("unsafe-eval"), "{what}: {script}");
    assert!(
        csp.iter().any(|d| d == "frame-ancestors 'none'"),
        "{what}: {csp:?}"
    );
    assert!(csp.iter().any(|d| d == "object-src 'none'"), "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    let referrer = h["referrer-policy"].to_str().unwrap();
    assert!(
        ["no-referrer", "strict-origin-when-cross-origin"].contains(&referrer),
        "{what}: {referrer}"
    );
    let permissions = h["permissions-policy"].to_str().unwrap();
    assert!(permissions.contains("camera=()"), "{what}: {permissions}");
    assert!(
        permissions.contains("microphone=()"),
        "{what}: {permissions}"
    );
}

async fn headers_of(c: &Client, url: &str, extra: &[(&str, &str)]) -> (u16, HeaderMap) {
    let mut r = c.get(url);
    for (k, v) in extra {
        r = r.header(*k, *v);
    }
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.headers().clone())
}

async fn every_response_is_hardened(app: &TestApp) {
    let anon = app.anonymous();
    let admin = app.login("admin").await;
    // The console (a page, an asset path, a console route), the API's JSON, its errors, the docs.
    for (c, path, status) in [
        (&anon, "/", 200),
        (&anon, "/login", 200),
        (&anon, "/assets/no-such.js", 200),
        (&admin, "/api/v1/auth/me", 200),
        (&admin, "/api/v1/enterprises", 200),
        (&anon, "/api/v1/enterprises", 401),
        (&admin, "/api/v1/no-such-route", 404),
        (&anon, "/api/openapi.json", 200),
        (&anon, "/api/docs/", 200),
    ] {
        let (s, h) = headers_of(c, &app.url(path), &[]).await;
        assert_eq!(s, status, "{path}");
        assert_hardened(&h, path);
        // Never HSTS over plain HTTP, whatever the client claims.
        assert!(!h.contains_key("strict-transport-security"), "{path}");
        if path.starts_with("/api/v1/") {
            assert_eq!(h["cache-control"], "no-store", "{path}");
        }
    }
    // A client cannot switch HSTS on by writing X-Forwarded-Proto itself.
    let (_, h) = headers_of(&anon, &app.url("/"), &[("x-forwarded-proto", "https")]).await;
    assert!(!h.contains_key("strict-transport-security"));
    // Writes too (the login answer sets the session cookie).
    let r = anon
        .post(app.url("/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_hardened(r.headers(), "login");
    assert_eq!(r.headers()["cache-control"], "no-store");
}
both!(every_response_is_hardened);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_over_tls_through_a_trusted_proxy_or_always() {
    let cfg = ServerConfig {
        demo: true,
        trusted_proxies: parse_list(&["127.0.0.1".to_string()]).unwrap(),
        ..Default::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, cfg).await;
    let c = Client::new();
    let tls = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-for", "198.51.100.7"),
    ];
    for path in ["/", "/api/v1/auth/me"] {
        let (_, h) = headers_of(&c, &app.url(path), &tls).await;
        let hsts = h["strict-transport-security"].to_str().unwrap();
        assert!(hsts.starts_with("max-age="), "{path}: {hsts}");
        let age: u64 = hsts["max-age=".len()..]
            .split(';')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(age >= 180 * 86400, "{hsts}");
        assert_hardened(&h, path);
    }
    // The proxy's plain-HTTP listener: no HSTS.
    let (_, h) = headers_of(&c, &app.url("/"), &[("x-forwarded-proto", "http")]).await;
    assert!(!h.contains_key("strict-transport-security"));

    let always = ServerConfig {
        demo: true,
        hsts_always: true,
        ..Default::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, always).await;
    let (_, h) = headers_of(&c, &app.url("/"), &[]).await;
    assert!(h.contains_key("strict-transport-security"));
}

async fn the_watermark_setting_is_told(app: &TestApp) {
    let viewer = app.login("admin").await;
    let (s, v) = app.get(&viewer, "/api/v1/security/settings").await;
    assert_eq!(s.as_u16(), 200, "{v}");
    assert_eq!(v["watermark"], true);
    let (s, _) = app.get(&app.anonymous(), "/api/v1/security/settings").await;
    assert_eq!(s.as_u16(), 401);
}
both!(the_watermark_setting_is_told);
