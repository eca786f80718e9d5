//! 12345/12350 热线: a signed order becomes a dispatched event with the hotline's deadlines and
//! is stored once however often it is pushed; bad signatures, stale timestamps, unknown
//! districts and bad fields store nothing; the unit's answer reaches the platform (a loopback
//! receiver) signed; the export file's import names its bad rows and skips known orders.

use super::events::{PATH, count, own_region};
use crate::both;
use crate::helpers::{SendChecked, TestApp, json};
use axum::Router;
use axum::http::{HeaderMap, Uri};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use yingji_core::kernel::clock::{Clock, to_rfc3339};
use yingji_core::kernel::notify::webhook_signature;

const ORDERS: &str = "/api/hotline/orders";
const SECRET: &str = "hotline-secret-0123456789";
const DISTRICT: &str = "360403";

type Hits = Arc<Mutex<Vec<(String, HeaderMap, String)>>>;

/// The hotline platform's answer endpoint, on loopback.
async fn receiver() -> (String, Hits) {
    let hits: Hits = Arc::default();
    let kept = hits.clone();
    let app = Router::new().fallback(async move |uri: Uri, headers: HeaderMap, body: String| {
        kept.lock()
            .expect("hits")
            .push((uri.path().to_string(), headers, body));
        r#"{"code":"0"}"#
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, hits)
}

/// The district's hotline connection, registered by the administrator.
async fn connect(app: &TestApp, callback: &str) {
    let admin = app.login("admin").await;
    let body = json!({"name": "12345热线对接", "kind": "hotline", "endpoint": callback,
        "secret": SECRET, "region_code": DISTRICT});
    let (s, v) = app.post(&admin, "/api/v1/notify-channels", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["has_secret"], true);
    assert!(v.get("secret").is_none(), "{v}");
    // Not the duty room's to register.
    let duty = app.login("duty").await;
    let (s, _) = app.post(&duty, "/api/v1/notify-channels", &body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

/// Pushes an order signed with `secret` at `ts` (seconds).
async fn push(app: &TestApp, order: &Value, (secret, ts): (&str, i64)) -> (StatusCode, Value) {
    let raw = order.to_string();
    let r = reqwest::Client::new()
        .post(app.url(ORDERS))
        .header("content-type", "application/json")
        .header("x-hotline-district", DISTRICT)
        .header("x-hotline-timestamp", ts.to_string())
        .header(
            "x-hotline-signature",
            webhook_signature(secret, ts, raw.as_bytes()),
        )
        .body(raw)
        .send_checked()
        .await
        .expect("push");
    json(r).await
}

fn order(no: &str, street: &str, now_ms: i64) -> Value {
    json!({"platform": "12345", "order_no": no, "category": "gas",
        "content": "来电反映小区地下车库燃气管道有明显异味", "address": "甘棠北路 12 号",
        "street_code": street, "lon": 115.99, "lat": 29.71,
        "caller_name": "李四", "caller_phone": "13812345678",
        "accept_deadline": to_rfc3339(now_ms + 3_600_000),
        "finish_deadline": to_rfc3339(now_ms + 2 * 86_400_000)})
}

async fn hotline_events(app: &TestApp) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM grid_events WHERE source = 'hotline'",
    )
    .await
}

async fn find(app: &TestApp, c: &reqwest::Client, code: &str) -> Value {
    let (s, v) = app.get(c, &format!("{PATH}?source=hotline")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .and_then(|items| items.iter().find(|e| e["code"] == code).cloned())
        .expect("the hotline event")
}

async fn order_filed_once_and_answered_back(app: &TestApp) {
    let (base, hits) = receiver().await;
    connect(app, &format!("{base}/answer")).await;
    let (grid, street, duty) = (
        app.login("grid").await,
        app.login("street").await,
        app.login("duty").await,
    );
    let street_code = own_region(app, &grid).await[..9].to_string();
    let now = app.clock.now_ms() / 1000 * 1000;
    let o = order("GD202612050001", &street_code, now);
    let (s, v) = push(app, &o, (SECRET, now / 1000)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::OK, Some("received")),
        "{v}"
    );
    let code = v["event_code"].as_str().expect("event code").to_string();
    // Received twice: stored once, the first event's code answered.
    let (s, again) = push(app, &o, (SECRET, now / 1000)).await;
    assert_eq!(
        (s, again["code"].as_str()),
        (StatusCode::OK, Some("duplicate"))
    );
    assert_eq!(again["event_code"], code.as_str());
    assert_eq!(hotline_events(app).await, 1);

    // Dispatched by the rules (the street), on the hotline's deadlines.
    let e = find(app, &duty, &code).await;
    assert_eq!(e["status"], "dispatched", "{e}");
    assert_eq!(
        (e["external_source"].as_str(), e["external_no"].as_str()),
        (Some("12345"), Some("GD202612050001"))
    );
    assert_eq!(e["accept_due_ms"].as_i64(), Some(now + 3_600_000));
    assert_eq!(e["handle_due_ms"].as_i64(), Some(now + 2 * 86_400_000));
    assert_eq!(e["feedback_due_ms"].as_i64(), Some(now + 2 * 86_400_000));
    // The caller is personal data: the duty room calls back, the street sees it masked.
    assert_eq!(e["reporter_phone"], "13812345678");
    let seen = find(app, &street, &code).await;
    assert_eq!(seen["reporter_phone"], "138****5678");

    // The unit answers: the answer goes back to the platform, signed.
    let id = e["id"].as_str().expect("id");
    let (s, _) = app
        .post(&street, &format!("{PATH}/{id}/accept"), &json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let body = json!({"result": "联系燃气公司关阀检修，已更换老化软管", "answer": "您反映的燃气异味已处置，软管已更换"});
    let (s, v) = app
        .post(&street, &format!("{PATH}/{id}/handle"), &body)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (path, headers, raw) = delivered(&hits).await;
    assert_eq!(path, "/answer");
    let ts: i64 = headers["x-hotline-timestamp"]
        .to_str()
        .ok()
        .and_then(|t| t.parse().ok())
        .expect("ts");
    assert_eq!(
        headers["x-hotline-signature"].to_str().ok(),
        Some(webhook_signature(SECRET, ts, raw.as_bytes()).as_str())
    );
    let answer: Value = serde_json::from_str(&raw).expect("json");
    assert_eq!(answer["order_no"], "GD202612050001");
    assert_eq!(answer["event_code"], code.as_str());
    assert_eq!(answer["answer"], "您反映的燃气异味已处置，软管已更换");
    assert!(
        answer["unit"].as_str().is_some_and(|u| !u.is_empty()),
        "{answer}"
    );
    assert!(answer["answered_at"].as_str().is_some(), "{answer}");

    // Without a point: placed at the street's centre and marked for the duty room.
    let mut bare = order("GD202612050002", &street_code, now);
    bare["lon"] = Value::Null;
    bare["lat"] = Value::Null;
    let (s, v) = push(app, &bare, (SECRET, now / 1000)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::OK, Some("received")),
        "{v}"
    );
    let steps = count(
        app,
        "SELECT COUNT(*) FROM grid_event_steps WHERE action = '位置待核实'",
    )
    .await;
    assert_eq!(steps, 1);
}

/// The outbox loop delivers within a few of its polls (real time; no timing asserted).
async fn delivered(hits: &Hits) -> (String, HeaderMap, String) {
    for _ in 0..100 {
        if let Some(h) = hits.lock().expect("hits").first().cloned() {
            return h;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the answer never reached the hotline");
}

async fn refusals_store_nothing(app: &TestApp) {
    connect(app, "http://127.0.0.1:9/answer").await;
    let grid = app.login("grid").await;
    let street_code = own_region(app, &grid).await[..9].to_string();
    let now = app.clock.now_ms() / 1000 * 1000;
    let o = order("GD202612050009", &street_code, now);
    let ts = now / 1000;
    let (s, v) = push(app, &o, ("wrong-secret-0123456789", ts)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("bad_signature")),
        "{v}"
    );
    assert!(
        v["message"].as_str().is_some_and(|m| m.contains("签名")),
        "{v}"
    );
    let (s, v) = push(app, &o, (SECRET, ts - 301)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("stale_timestamp")),
        "{v}"
    );
    // A bad field is named; several are all listed.
    let mut bad = o.clone();
    bad["platform"] = json!("110");
    bad["caller_phone"] = json!("12");
    let (s, v) = push(app, &bad, (SECRET, ts)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_field")),
        "{v}"
    );
    assert_eq!(v["field"], "platform");
    assert_eq!(v["details"][1]["field"], "caller_phone");
    let mut bad = o.clone();
    bad["street_code"] = json!("999999001");
    let (s, v) = push(app, &bad, (SECRET, ts)).await;
    assert_eq!(
        (s, v["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("street_code")),
        "{v}"
    );
    assert_eq!(hotline_events(app).await, 0);
    // An unknown category is filed under 其他, its code kept in the description.
    let mut other = o.clone();
    other["category"] = json!("A0399");
    let (s, v) = push(app, &other, (SECRET, ts)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::OK, Some("received")),
        "{v}"
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM grid_events WHERE category = 'other' AND description LIKE '%A0399%'").await,
        1
    );
    // Refused calls count against the address: after the limit, 429 even when signed.
    for _ in 0..5 {
        push(app, &o, ("wrong-secret-0123456789", ts)).await;
    }
    let (s, v) = push(app, &o, (SECRET, ts)).await;
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited")),
        "{v}"
    );
}

async fn upload(app: &TestApp, c: &reqwest::Client, csv: &str) -> (StatusCode, Value) {
    let r = c
        .post(app.url("/api/v1/grid/hotline/import"))
        .header("content-type", "application/octet-stream")
        .body(csv.as_bytes().to_vec())
        .send_checked()
        .await
        .expect("import");
    json(r).await
}

async fn import_names_rows_and_skips_known(app: &TestApp) {
    let (grid, duty) = (app.login("grid").await, app.login("duty").await);
    let street = own_region(app, &grid).await[..9].to_string();
    let head = "工单编号,热线平台,工单分类,诉求内容,街道编码,经度,纬度,来电人,来电号码,签收时限,办结时限\n";
    let row = |no: &str, phone: &str| {
        format!(
            "{no},12350,production_hazard,来电举报某厂房违规存放危化品,{street},115.99,29.71,王五,{phone},2026-12-06 10:00,2026-12-09 18:00\n"
        )
    };
    let bad = format!("{head}{}{}", row("R-1", "13900000001"), row("R-2", "12"));
    let (s, v) = upload(app, &duty, &bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["details"][0]["field"], "caller_phone");
    assert!(
        v["details"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("第 3 行：")),
        "{v}"
    );
    assert_eq!(hotline_events(app).await, 0);
    let (s, _) = upload(app, &grid, &bad).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let good = format!(
        "{head}{}{}",
        row("R-1", "13900000001"),
        row("R-2", "13900000002")
    );
    let (s, v) = upload(app, &duty, &good).await;
    assert_eq!(
        (s, v["imported"].as_u64(), v["skipped"].as_u64()),
        (StatusCode::OK, Some(2), Some(0)),
        "{v}"
    );
    let again = format!("{good}{}", row("R-3", "13900000003"));
    let (s, v) = upload(app, &duty, &again).await;
    assert_eq!(
        (s, v["imported"].as_u64(), v["skipped"].as_u64()),
        (StatusCode::OK, Some(1), Some(2)),
        "{v}"
    );
    assert_eq!(hotline_events(app).await, 3);
    let (s, _) = app.get(&duty, "/api/v1/grid/hotline/import/template").await;
    assert_eq!(s, StatusCode::OK);
}

both!(order_filed_once_and_answered_back);
both!(refusals_store_nothing);
both!(import_names_rows_and_skips_known);
