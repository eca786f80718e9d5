//! 预警订阅源: Atom and RSS feeds polled from a feed server on loopback.

use super::sample;
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A feed server on loopback: an Atom feed (ETag, 304 on If-None-Match) whose entries link to a
/// valid CAP sample, to the invalid sample (relative link) and to one that is missing until
/// `publish_late` is set; an RSS feed with an enclosure.
#[derive(Clone, Default)]
struct FeedServer {
    publish_late: std::sync::Arc<std::sync::atomic::AtomicBool>,
    conditional: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

async fn feed_server() -> (String, FeedServer) {
    use axum::http::{HeaderMap, StatusCode as S, header};
    use axum::response::IntoResponse;
    use std::sync::atomic::Ordering;
    let state = FeedServer::default();
    let st = state.clone();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri, headers: HeaderMap| {
        let st = st.clone();
        async move {
            let atom = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:feed</id><title>市气象台</title><updated>2026-07-01T08:00:00+08:00</updated>
<entry><id>urn:late</id><updated>2026-07-01T08:00:00+08:00</updated><link type="application/cap+xml" href="/cap/earthquake.cap"/></entry>
<entry><id>urn:bad</id><updated>2026-07-01T07:00:00+08:00</updated><link type="application/cap+xml" href="cap/invalid.cap"/></entry>
<entry><id>urn:weather</id><updated>2026-07-01T06:00:00+08:00</updated><link rel="alternate" href="/cap/weather.cap"/></entry>
</feed>"#;
            let rss = r#"<rss version="2.0"><channel><title>水文局</title><item><title>洪水预警</title><guid>rss-1</guid><enclosure url="/cap/australia.cap" type="application/cap+xml" length="1"/></item></channel></rss>"#;
            let ready = st.publish_late.load(Ordering::SeqCst);
            match uri.path() {
                "/feed.xml" => {
                    // The ETag changes when the late message appears.
                    let tag = if ready { "\"v2\"" } else { "\"v1\"" };
                    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(tag) {
                        st.conditional.fetch_add(1, Ordering::SeqCst);
                        return S::NOT_MODIFIED.into_response();
                    }
                    ([(header::ETAG, tag)], atom).into_response()
                }
                "/rss.xml" => rss.into_response(),
                "/cap/earthquake.cap" if !ready => S::NOT_FOUND.into_response(),
                p if p.starts_with("/cap/") => sample(&p[5..]).into_response(),
                _ => S::NOT_FOUND.into_response(),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, state)
}

/// 预警订阅源: the duty officer registers a bureau's Atom feed; a poll takes the valid entry in
/// (with targeting, as POST /warnings/cap would), remembers the invalid one with its errors and
/// does not fetch it again, tries the unreachable one again next time, and asks with the ETag
/// once everything is taken. An active RSS feed is polled by the background loop.
async fn feeds_are_polled(app: &TestApp) {
    let duty = app.login("duty").await;
    let grid = app.login("grid").await;
    let (base, server) = feed_server().await;
    registration_refusals_name_their_field(app, &duty, &grid, &base).await;
    let poll = a_poll_takes_the_valid_entry_and_refuses_the_invalid(app, &duty, &base).await;
    later_polls_fetch_only_what_is_new(app, &duty, &server, &poll).await;
    an_active_rss_feed_is_polled_by_the_loop(app, &duty, &base).await;
}
both!(feeds_are_polled);

async fn registration_refusals_name_their_field(
    app: &TestApp,
    duty: &reqwest::Client,
    grid: &reqwest::Client,
    base: &str,
) {
    let (s, v) = app
        .post(
            duty,
            "/api/v1/warning-feeds",
            &json!({"name": "", "url": "ftp://x/feed", "interval_secs": 5}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = v["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["name", "url", "interval_secs"], "{v}");
    let (s, _) = app
        .post(
            grid,
            "/api/v1/warning-feeds",
            &json!({"name": "x", "url": format!("{base}/feed.xml")}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// An inactive feed (polled on demand only) and its first poll: the poll's path.
async fn a_poll_takes_the_valid_entry_and_refuses_the_invalid(
    app: &TestApp,
    duty: &reqwest::Client,
    base: &str,
) -> String {
    // Inactive: only polled on demand here, so the background loop does not race the test.
    let (s, f) = app
        .post(
            duty,
            "/api/v1/warning-feeds",
            &json!({"name": "市气象台预警", "url": format!("{base}/feed.xml"), "active": false}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{f}");
    let fid = f["id"].as_str().expect("id").to_string();
    let poll = format!("/api/v1/warning-feeds/{fid}/poll");
    let before = app.count("warnings").await;
    let (s, r) = app.post(duty, &poll, &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(
        (
            r["entries"].as_i64(),
            r["taken"].as_i64(),
            r["refused"].as_i64()
        ),
        (Some(3), Some(1), Some(1)),
        "{r}"
    );
    assert!(
        r["error"].as_str().is_some_and(|e| e.contains("404")),
        "{r}"
    );
    assert_eq!(app.count("warnings").await, before + 1);
    let (_, entries) = app
        .get(duty, &format!("/api/v1/warning-feeds/{fid}/entries"))
        .await;
    let entries = entries.as_array().expect("entries").clone();
    let bad = entries
        .iter()
        .find(|e| e["entry_id"] == "urn:bad")
        .expect("bad entry");
    assert_eq!(bad["status"], "refused");
    assert!(
        bad["cap_url"]
            .as_str()
            .is_some_and(|u| u.ends_with("cap/invalid.cap"))
    );
    assert!(
        bad["error"].as_str().is_some_and(|e| e.contains("CAP")),
        "{bad}"
    );
    let taken = entries
        .iter()
        .find(|e| e["entry_id"] == "urn:weather")
        .expect("taken entry");
    let (s, w) = app
        .get(
            duty,
            &format!(
                "/api/v1/warnings/{}",
                taken["warning_id"].as_str().expect("warning")
            ),
        )
        .await;
    assert_eq!(
        (s, w["origin"].as_str()),
        (StatusCode::OK, Some("ingested")),
        "{w}"
    );
    poll
}

async fn later_polls_fetch_only_what_is_new(
    app: &TestApp,
    duty: &reqwest::Client,
    server: &FeedServer,
    poll: &str,
) {
    use std::sync::atomic::Ordering;
    // Again: the taken and refused entries are not fetched again; the missing one still fails.
    let (_, r) = app.post(duty, poll, &json!({})).await;
    assert_eq!(
        (
            r["taken"].as_i64(),
            r["unchanged"].as_i64(),
            r["refused"].as_i64()
        ),
        (Some(0), Some(2), Some(0)),
        "{r}"
    );
    server.publish_late.store(true, Ordering::SeqCst);
    let (_, r) = app.post(duty, poll, &json!({})).await;
    assert_eq!(
        (r["taken"].as_i64(), &r["error"]),
        (Some(1), &Value::Null),
        "{r}"
    );
    // Everything taken: the next poll asks with the ETag and the server answers 304.
    let (_, r) = app.post(duty, poll, &json!({})).await;
    assert_eq!(
        (r["entries"].as_i64(), &r["error"]),
        (Some(0), &Value::Null),
        "{r}"
    );
    assert_eq!(server.conditional.load(Ordering::SeqCst), 1);
    let (_, list) = app.get(duty, "/api/v1/warning-feeds").await;
    let f = &list["items"][0];
    assert_eq!(
        (f["taken"].as_i64(), f["refused"].as_i64()),
        (Some(2), Some(1)),
        "{f}"
    );
    assert!(f["last_ok_ms"].is_i64() && f["last_error"].is_null(), "{f}");
}

async fn an_active_rss_feed_is_polled_by_the_loop(
    app: &TestApp,
    duty: &reqwest::Client,
    base: &str,
) {
    // An active RSS feed is polled by the loop on its own (it looks every 5 s).
    let (s, rss) = app
        .post(
            duty,
            "/api/v1/warning-feeds",
            &json!({"name": "市水文局", "url": format!("{base}/rss.xml"), "interval_secs": 60}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{rss}");
    let rid = rss["id"].as_str().expect("id").to_string();
    let mut taken = 0;
    for _ in 0..150 {
        let (_, f) = app.get(duty, "/api/v1/warning-feeds").await;
        taken = f["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|x| x["id"] == rid.as_str())
            .and_then(|x| x["taken"].as_i64())
            .unwrap_or(0);
        if taken == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(taken, 1, "the RSS feed was not polled");
}
