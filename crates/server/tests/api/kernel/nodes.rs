//! Several `yingji serve` nodes on one PostgreSQL (issue 25): alarms reach the live board on
//! every node once, a sensor edited on one node is in force on the other's ingest, map counts
//! follow enterprise changes everywhere; /healthz answers 503 with a reason while the database
//! is away and 200 again when it is back. The PostgreSQL scenarios return early on SQLite runs.

use crate::both;
use crate::helpers::{SendChecked, TestApp, enterprise_body, first_grid};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use yingji_core::kernel::clock::Clock;

fn sensor(code: &str, threshold_h: &str) -> Value {
    json!({"code": code, "name": "反应釜压力", "kind": "pressure", "unit": "MPa",
        "object_name": "氯化反应装置", "threshold_h": threshold_h})
}

fn reading(sensor: &str, at_ms: i64, value: &str) -> Value {
    json!([{"sensor": sensor, "ts": at_ms, "value": value}])
}

async fn stream(app: &TestApp, c: &Client) -> Response {
    let r = c
        .get(app.url("/api/v1/alarms/stream"))
        .send_checked()
        .await
        .expect("stream");
    assert_eq!(r.status(), StatusCode::OK);
    r
}

/// The stream's events until one mentions `until` (or 30 s pass: then the caller's assertion
/// shows what came).
async fn events_until(stream: &mut Response, until: &str) -> Vec<String> {
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !seen.contains(until) && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(30), stream.chunk()).await {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            _ => break,
        }
    }
    seen.split("\n\n")
        .filter(|e| e.contains("event: alarm"))
        .map(str::to_string)
        .collect()
}

/// Opens one alarm through `app`'s ingest; its id.
async fn open_alarm(app: &TestApp, c: &Client, code: &str, at_ms: i64) -> String {
    let (s, r) = app
        .post(c, "/api/v1/readings", &reading(code, at_ms, "1.75"))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    r["opened_alarm_ids"][0]
        .as_str()
        .expect("an alarm opened")
        .to_string()
}

/// An alarm opened through node A's ingest reaches a board connected to node B, and A's own
/// board exactly once (A's listener delivers it; nothing else does).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alarms_reach_every_node_once() {
    let Some(a) = TestApp::spawn_pg().await else {
        return;
    };
    let b = a.spawn_second_node().await.expect("second node");
    let ent_a = a.login("enterprise").await;
    let ent_b = b.login("enterprise").await;
    for code in ["PT-301", "PT-302"] {
        let (s, v) = a
            .post(&ent_a, "/api/v1/sensors", &sensor(code, "1.6"))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let mut on_a = stream(&a, &ent_a).await;
    let mut on_b = stream(&b, &ent_b).await;
    let now = a.clock.now_ms();
    let first = open_alarm(&a, &ent_a, "PT-301", now).await;
    // A second alarm after it: once a board has it, a duplicate of the first would be there too.
    let second = open_alarm(&a, &ent_a, "PT-302", now).await;
    let seen_b = events_until(&mut on_b, &second).await;
    assert_eq!(
        seen_b.iter().filter(|e| e.contains(&first)).count(),
        1,
        "{seen_b:?}"
    );
    assert!(seen_b.iter().any(|e| e.contains("PT-301")), "{seen_b:?}");
    let seen_a = events_until(&mut on_a, &second).await;
    assert_eq!(
        seen_a.iter().filter(|e| e.contains(&first)).count(),
        1,
        "{seen_a:?}"
    );
    assert_eq!(
        seen_a.iter().filter(|e| e.contains(&second)).count(),
        1,
        "{seen_a:?}"
    );
    drop(b);
    a.drop_database().await;
}

/// When PostgreSQL drops the connections, node B's listener reconnects by itself, tells its
/// boards to reload (`resync`: what was sent meanwhile is lost), and hears node A again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listener_reconnects_and_resyncs() {
    let Some(a) = TestApp::spawn_pg().await else {
        return;
    };
    let b = a.spawn_second_node().await.expect("second node");
    let ent_a = a.login("enterprise").await;
    let ent_b = b.login("enterprise").await;
    let (s, v) = a
        .post(&ent_a, "/api/v1/sensors", &sensor("PT-320", "1.6"))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let mut on_b = stream(&b, &ent_b).await;
    assert!(a.refuse_connections(true).await);
    a.refuse_connections(false).await;
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !seen.contains("event: resync") && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(60), on_b.chunk()).await {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            _ => break,
        }
    }
    assert!(seen.contains("event: resync"), "{seen}");
    let id = open_alarm(&a, &ent_a, "PT-320", a.clock.now_ms()).await;
    let events = events_until(&mut on_b, &id).await;
    assert!(events.iter().any(|e| e.contains(&id)), "{events:?}");
    drop(b);
    a.drop_database().await;
}

/// A threshold lowered on node A is in force on node B's ingest at B's next commit (the
/// sensors' cache generation, read by every writer at the start of each commit).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sensor_edit_on_one_node_holds_on_the_other() {
    let Some(a) = TestApp::spawn_pg().await else {
        return;
    };
    let b = a.spawn_second_node().await.expect("second node");
    let ent_a = a.login("enterprise").await;
    let ent_b = b.login("enterprise").await;
    let (s, v) = a
        .post(&ent_a, "/api/v1/sensors", &sensor("PT-310", "5"))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().expect("id").to_string();
    let now = a.clock.now_ms();
    // B's writer reads the sensor (and caches it): 3 is below 5.
    let (_, r) = b
        .post(
            &ent_b,
            "/api/v1/readings",
            &reading("PT-310", now - 2000, "3"),
        )
        .await;
    assert_eq!(
        (r["accepted"].clone(), r["alarms_opened"].clone()),
        (json!(1), json!(0)),
        "{r}"
    );
    let (s, v) = a
        .put(
            &ent_a,
            &format!("/api/v1/sensors/{id}"),
            &sensor("PT-310", "2"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, r) = b
        .post(
            &ent_b,
            "/api/v1/readings",
            &reading("PT-310", now - 1000, "3.1"),
        )
        .await;
    assert_eq!(r["alarms_opened"], 1, "{r}");
    drop(b);
    a.drop_database().await;
}

/// The enterprises counted on node B's clustered map.
async fn map_total(app: &TestApp, c: &Client) -> i64 {
    let (s, v) = app
        .get(c, "/api/v1/map/enterprises?zoom=10&max_points=1")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["kind"], "clusters", "{v}");
    v["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["properties"]["count"].as_i64().unwrap_or(0))
        .sum()
}

/// An enterprise registered on node A counts on node B's map at once, although B had the
/// counts cached (the "map counts changed" message, not the cache's 15-second TTL).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn map_counts_follow_changes_on_other_nodes() {
    let Some(a) = TestApp::spawn_pg().await else {
        return;
    };
    let b = a.spawn_second_node().await.expect("second node");
    let admin_a = a.login("admin").await;
    let admin_b = b.login("admin").await;
    let before = map_total(&b, &admin_b).await;
    let grid = first_grid(&a, &admin_a, "360403001").await;
    let (s, v) = a
        .post(
            &admin_a,
            "/api/v1/enterprises",
            &enterprise_body(870, &grid, "hazchem"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // The message crosses through PostgreSQL; the clock does not move, so only it can clear B.
    let mut after = before;
    for _ in 0..100 {
        after = map_total(&b, &admin_b).await;
        if after != before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(after, before + 1);
    drop(b);
    a.drop_database().await;
}

/// /healthz: 200 with the backend when the database answers.
async fn healthz_answers(app: &TestApp) {
    let (s, v) = app.get(&app.anonymous(), "/healthz").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "ok");
    assert!(
        v["database"] == "sqlite" || v["database"] == "postgres",
        "{v}"
    );
}
both!(healthz_answers);

/// With the database refusing connections, /healthz answers 503 with a Chinese reason well
/// before the pool's 30-second acquire timeout; once connections are allowed again it answers
/// 200 by itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_reports_the_database_away_and_recovers() {
    let Some(app) = TestApp::spawn_pg().await else {
        return;
    };
    let client = Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .expect("client");
    assert!(app.refuse_connections(true).await);
    let (s, v) = app.get(&client, "/healthz").await;
    assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE, "{v}");
    assert_eq!(v["status"], "error");
    assert_eq!(v["database"], "postgres");
    assert!(
        v["reason"].as_str().is_some_and(|r| r.contains("数据库")),
        "{v}"
    );
    app.refuse_connections(false).await;
    let mut status = s;
    for _ in 0..60 {
        (status, _) = app.get(&client, "/healthz").await;
        if status == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(status, StatusCode::OK);
    app.drop_database().await;
}
