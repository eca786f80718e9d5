//! 灾情报送: R01–R03 on the test clock (deadlines, late marks, escalation), R04 (the higher
//! levels' channels reached through the outbox, on loopback), and bad input that stores nothing.

use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, SharedClock, parse_instant};

pub(crate) fn at(s: &str) -> i64 {
    parse_instant(s).expect("instant")
}

pub(crate) async fn fire(app: &TestApp) {
    let clock: SharedClock = app.clock.clone();
    yingji_jobs::run_due(&app.store, &clock)
        .await
        .expect("timers");
}

pub(crate) async fn process(app: &TestApp, c: &Client, body: Value) -> Value {
    let (s, v) = app.post(c, "/api/v1/disasters/processes", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

pub(crate) fn rainstorm(started: &str) -> Value {
    json!({"kind": "flood", "subtype": "rainstorm", "started_at": started,
           "townships": ["360403001", "360403002"]})
}

pub(crate) fn row(township: &str, figures: Value) -> Value {
    let mut r = figures;
    r["township"] = json!(township);
    r
}

pub(crate) async fn report(
    app: &TestApp,
    c: &Client,
    id: &str,
    body: &Value,
) -> (StatusCode, Value) {
    app.post(
        c,
        &format!("/api/v1/disasters/processes/{id}/reports"),
        body,
    )
    .await
}

pub(crate) fn body(kind: &str, rows: Vec<Value>) -> Value {
    json!({"kind": kind, "rows": rows, "description": "持续强降雨致城区内涝", "relief": "转移安置群众"})
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.store
        .fetch_i64(yingji_store::Sql::new(sql))
        .await
        .expect("count")
}

async fn detail(app: &TestApp, c: &Client, id: &str) -> Value {
    let (s, v) = app
        .get(c, &format!("/api/v1/disasters/processes/{id}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

/// R01: 14:00 → 初报 due 16:00, escalated at 16:00, late at 16:05. R02: 续报 on 07-11 and 07-19:
/// the second 1 day late. R03: stable 07-20 → 核报 due 07-25, escalated after it.
async fn deadlines_r01_r03(app: &TestApp) {
    app.clock.set(at("2026-07-10T14:20:00+08:00"));
    let duty = app.login("duty").await;
    let p = process(app, &duty, rainstorm("2026-07-10 14:00")).await;
    let id = p["id"].as_str().unwrap().to_string();
    assert_eq!(p["next_kind"], "initial");
    assert_eq!(p["next_due_ms"], at("2026-07-10T16:00:00+08:00"));
    assert_eq!(p["status_label"], "进行中");
    // 16:00 sharp is still in time; a minute later the duty room and the bureau are told.
    app.clock.set(at("2026-07-10T16:00:00+08:00"));
    fire(app).await;
    assert_eq!(detail(app, &duty, &id).await["overdue"], false);
    app.clock.set(at("2026-07-10T16:01:00+08:00"));
    fire(app).await;
    fire(app).await;
    let duty = app.login("duty").await;
    assert_eq!(detail(app, &duty, &id).await["overdue"], true);
    let told = "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'commander' AND n.title LIKE '灾情初报逾期%'";
    assert_eq!(count(app, told).await, 1, "told once");
    // 16:05: the 初报 is late by 5 minutes.
    app.clock.set(at("2026-07-10T16:05:00+08:00"));
    let street = app.login("street").await;
    let r1 = row(
        "360403001",
        json!({"affected_people": 1200, "relocated": 300, "crops_affected_ha": "12.5", "loss_wan_yuan": 80.25}),
    );
    let (s, v) = report(app, &street, &id, &body("initial", vec![r1.clone()])).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["late"].as_bool(), v["late_note"].as_str()),
        (Some(true), Some("迟报 5 分钟"))
    );
    assert_eq!(v["totals"]["crops_affected_ha"], "12.50");
    assert_eq!(v["totals"]["loss_wan_yuan"], "80.25");
    let d = detail(app, &duty, &id).await;
    assert_eq!(
        (d["overdue"].as_bool(), d["next_kind"].as_str()),
        (Some(false), Some("update"))
    );
    assert_eq!(d["next_due_ms"], at("2026-07-18T00:00:00+08:00"));
    // R02: 续报 on 07-11 in time; the next is due by 07-18, filed 07-19: 1 day late.
    app.clock.set(at("2026-07-11T10:00:00+08:00"));
    let duty = app.login("duty").await;
    let r2 = json!([
        row(
            "360403001",
            json!({"affected_people": 1300, "relocated": 310})
        ),
        row("360403002", json!({"affected_people": 400}))
    ]);
    let (s, v) = report(
        app,
        &duty,
        &id,
        &body("update", r2.as_array().unwrap().clone()),
    )
    .await;
    assert_eq!(
        (s, v["late"].as_bool()),
        (StatusCode::CREATED, Some(false)),
        "{v}"
    );
    assert_eq!(v["totals"]["affected_people"], 1700);
    app.clock.set(at("2026-07-19T09:00:00+08:00"));
    fire(app).await;
    let duty = app.login("duty").await;
    assert_eq!(detail(app, &duty, &id).await["overdue"], true);
    let (s, v) = report(
        app,
        &duty,
        &id,
        &body("update", r2.as_array().unwrap().clone()),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["late_note"], "迟报 1 天");
    // R03: stable on 07-20 → 核报 due 07-25 (late from 07-26 00:00).
    app.clock.set(at("2026-07-20T09:00:00+08:00"));
    let duty = app.login("duty").await;
    let (s, v) = app
        .post(
            &duty,
            &format!("/api/v1/disasters/processes/{id}/stable"),
            &json!({"stable_at": "2026-07-20 08:00"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["next_kind"].as_str(), v["next_due_ms"].as_i64()),
        (Some("final"), Some(at("2026-07-26T00:00:00+08:00")))
    );
    app.clock.set(at("2026-07-25T23:59:00+08:00"));
    fire(app).await;
    let duty = app.login("duty").await;
    assert_eq!(detail(app, &duty, &id).await["overdue"], false);
    app.clock.set(at("2026-07-26T00:00:00+08:00"));
    fire(app).await;
    let duty = app.login("duty").await;
    assert_eq!(detail(app, &duty, &id).await["overdue"], true);
    let (s, v) = report(
        app,
        &duty,
        &id,
        &body("final", r2.as_array().unwrap().clone()),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["late_note"], "迟报 1 天");
    let d = detail(app, &duty, &id).await;
    assert_eq!(
        (d["status"].as_str(), d["next_kind"].as_str()),
        (Some("verified"), None)
    );
    assert_eq!(d["reports"].as_array().unwrap().len(), 4);
    let (s, e) = report(
        app,
        &duty,
        &id,
        &body("update", r2.as_array().unwrap().clone()),
    )
    .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("kind"))
    );
    let audited = "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'disaster.%'";
    assert!(count(app, audited).await >= 8);
}
both!(deadlines_r01_r03);

/// Bad input: a clear message naming the field and the row, nothing stored.
async fn bad_input_stores_nothing(app: &TestApp) {
    let duty = app.login("duty").await;
    let now = yingji_core::kernel::clock::to_rfc3339(app.clock.now_ms() - 3_600_000);
    let mut outside = rainstorm(&now);
    outside["townships"] = json!(["360403001", "360404001"]);
    let (s, e) = app
        .post(&duty, "/api/v1/disasters/processes", &outside)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "townships[1]");
    assert!(e["message"].as_str().unwrap().contains("第2行"), "{e}");
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM disaster_processes").await,
        0
    );
    // A street's staff registers a process for their own street only.
    let street = app.login("street").await;
    let (s, e) = app
        .post(&street, "/api/v1/disasters/processes", &rainstorm(&now))
        .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("townships[1]")),
        "{e}"
    );
    let p = process(app, &duty, rainstorm(&now)).await;
    let id = p["id"].as_str().unwrap();
    let cases = [
        (
            "final",
            json!({"affected_people": 10}),
            "kind",
            "尚未报送初报",
        ),
        (
            "update",
            json!({"affected_people": 10}),
            "kind",
            "尚未报送初报",
        ),
        (
            "initial",
            json!({"affected_people": -1}),
            "rows[0].affected_people",
            "不能为负数",
        ),
        (
            "initial",
            json!({"affected_people": 1.5}),
            "rows[0].affected_people",
            "非负整数",
        ),
        (
            "initial",
            json!({"affected_people": 5, "deaths": 4, "missing": 2}),
            "rows[0].deaths",
            "不能大于受灾人口",
        ),
        (
            "initial",
            json!({"crops_affected_ha": "1", "crops_damaged_ha": "2"}),
            "rows[0].crops_damaged_ha",
            "不能大于",
        ),
        (
            "initial",
            json!({"loss_wan_yuan": "1.234"}),
            "rows[0].loss_wan_yuan",
            "最多两位小数",
        ),
    ];
    for (kind, figures, field, words) in cases {
        let (s, e) = report(app, &duty, id, &body(kind, vec![row("360403001", figures)])).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        let hit = e["details"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["field"] == field);
        let hit = hit.unwrap_or_else(|| panic!("{field}: {e}"));
        assert!(hit["message"].as_str().unwrap().contains(words), "{e}");
    }
    let (s, e) = report(
        app,
        &duty,
        id,
        &body("initial", vec![row("360403003", json!({}))]),
    )
    .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("rows[0].township"))
    );
    // A grid worker (灾害信息员) reports for their own township only.
    let grid = app.login("grid").await;
    let (s, e) = report(
        app,
        &grid,
        id,
        &body("initial", vec![row("360403002", json!({}))]),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(e["message"].as_str().unwrap().contains("湓浦街道"), "{e}");
    assert_eq!(count(app, "SELECT COUNT(*) FROM disaster_reports").await, 0);
    let (s, v) = report(
        app,
        &grid,
        id,
        &body(
            "initial",
            vec![row(
                "360403001",
                json!({"affected_people": 20, "deaths": 1}),
            )],
        ),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // A jump of a main figure needs the explanation, naming the field and the township.
    let jump = body(
        "update",
        vec![row(
            "360403001",
            json!({"affected_people": 20, "deaths": 12}),
        )],
    );
    let (s, e) = report(app, &duty, id, &jump).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "rows[0].deaths");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("甘棠街道的因灾死亡人口由1人变为12人"),
        "{e}"
    );
    let mut explained = jump.clone();
    explained["explanation"] = json!("核实发现此前漏报的11名遇难人员");
    let (s, v) = report(app, &duty, id, &explained).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    // Who may not read the processes.
    let ent = app.login("enterprise").await;
    let (s, _) = app.get(&ent, "/api/v1/disasters/processes").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app.get(&grid, "/api/v1/disasters/processes").await;
    assert_eq!((s, v["total"].as_i64()), (StatusCode::OK, Some(1)));
}
both!(bad_input_stores_nothing);

/// A loopback HTTP receiver: its base address and the paths it was asked for.
async fn receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::sync::{Arc, Mutex};
    let hits: Arc<Mutex<Vec<String>>> = Arc::default();
    let kept = hits.clone();
    let app = axum::Router::new().fallback(move |uri: axum::http::Uri, body: String| {
        let kept = kept.clone();
        async move {
            kept.lock().unwrap().push(format!("{} {body}", uri.path()));
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, hits)
}

/// R04: a 初报 with 12 dead and missing reaches the city's and the province's channels at once
/// (queued on the outbox, delivered to the loopback receivers), and only the first time.
async fn r04_higher_levels(app: &TestApp) {
    let (base, hits) = receiver().await;
    let commander = app.login("commander").await;
    let mut ids = vec![];
    for (name, path) in [
        ("九江市应急管理局值班室", "city"),
        ("江西省应急管理厅值班室", "province"),
    ] {
        let (s, v) = app
            .post(
                &commander,
                "/api/v1/notify-channels",
                &json!({"name": name, "kind": "webhook", "endpoint": format!("{base}/{path}")}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    let settings = json!({"jump_ratio_pct": 50, "jump_min": 10, "city_channel_ids": [ids[0]], "province_channel_ids": [ids[1]]});
    let duty = app.login("duty").await;
    let (s, _) = app
        .put(&duty, "/api/v1/disasters/report-settings", &settings)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = app
        .put(
            &commander,
            "/api/v1/disasters/report-settings",
            &json!({"jump_ratio_pct": 0, "jump_min": 10, "city_channel_ids": ["nope"]}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let (s, v) = app
        .put(&commander, "/api/v1/disasters/report-settings", &settings)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let now = yingji_core::kernel::clock::to_rfc3339(app.clock.now_ms() - 3_600_000);
    let p = process(app, &duty, rainstorm(&now)).await;
    let id = p["id"].as_str().unwrap();
    let rows = vec![row(
        "360403001",
        json!({"affected_people": 3000, "deaths": 7, "missing": 5}),
    )];
    let (s, v) = report(app, &duty, id, &body("initial", rows.clone())).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let queued = "SELECT COUNT(*) FROM outbox WHERE event = 'disaster.report_higher'";
    assert_eq!(count(app, queued).await, 2);
    for _ in 0..100 {
        if hits.lock().unwrap().len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let got = hits.lock().unwrap().clone();
    assert!(
        got.iter()
            .any(|h| h.starts_with("/city ") && h.contains("因灾死亡失踪12人")),
        "{got:?}"
    );
    assert!(got.iter().any(|h| h.starts_with("/province ")), "{got:?}");
    let (s, v) = report(app, &duty, id, &body("update", rows)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(count(app, queued).await, 2, "told once");
}
both!(r04_higher_levels);

/// Who may register a process, mark it stable and read it, over the demo's roles; a street's
/// staff neither see nor change another street's process.
async fn who_may_report(app: &TestApp) {
    let now = yingji_core::kernel::clock::to_rfc3339(app.clock.now_ms() - 3_600_000);
    let mut own = rainstorm(&now);
    own["townships"] = json!(["360403001"]);
    for (user, want) in [
        ("admin", StatusCode::CREATED),
        ("commander", StatusCode::CREATED),
        ("duty", StatusCode::CREATED),
        ("yjj", StatusCode::CREATED),
        ("street", StatusCode::CREATED),
        ("grid", StatusCode::FORBIDDEN),
        ("zfry", StatusCode::FORBIDDEN),
        ("fzsh", StatusCode::FORBIDDEN),
        ("enterprise", StatusCode::FORBIDDEN),
    ] {
        let c = app.login(user).await;
        let (s, v) = app.post(&c, "/api/v1/disasters/processes", &own).await;
        assert_eq!(s, want, "{user}: {v}");
    }
    let duty = app.login("duty").await;
    let mut other = rainstorm(&now);
    other["townships"] = json!(["360403002"]);
    let p = process(app, &duty, other).await;
    let id = p["id"].as_str().unwrap();
    let street = app.login("street").await;
    let (s, _) = app
        .get(&street, &format!("/api/v1/disasters/processes/{id}"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let stable = json!({"stable_at": now});
    let (s, _) = app
        .post(
            &street,
            &format!("/api/v1/disasters/processes/{id}/stable"),
            &stable,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = report(
        app,
        &street,
        id,
        &body("initial", vec![row("360403002", json!({}))]),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let grid = app.login("grid").await;
    let (s, _) = app
        .post(
            &grid,
            &format!("/api/v1/disasters/processes/{id}/stable"),
            &stable,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .post(
            &duty,
            &format!("/api/v1/disasters/processes/{id}/stable"),
            &stable,
        )
        .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("stable")),
        "{v}"
    );
    let (s, e) = app
        .post(
            &duty,
            &format!("/api/v1/disasters/processes/{id}/stable"),
            &stable,
        )
        .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("stable_at"))
    );
    let (s, v) = app.get(&street, "/api/v1/disasters/processes").await;
    assert_eq!(
        (s, v["total"].as_i64()),
        (StatusCode::OK, Some(5)),
        "the five on its street, not the other"
    );
}
both!(who_may_report);
