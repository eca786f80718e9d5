//! Alarms: the lifecycle with the 叫应 chain, escalation on the durable timers, bad readings, the
//! live stream, and 转为隐患.

use super::reading;
use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, SharedClock};

async fn fire_timers(app: &TestApp) -> usize {
    let clock: SharedClock = app.clock.clone();
    yingji_jobs::run_due(&app.store, &clock)
        .await
        .expect("timers")
}

/// A tank level crosses H then HH (HH inhibits H), the 叫应 chain starts at once, an
/// acknowledgement stops it, the value falls back past the hysteresis and the incident closes
/// with a disposition; a new crossing then opens a new incident.
async fn alarm_lifecycle(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let sensor = json!({"code": "LT-101", "name": "1#液氯储罐液位", "kind": "level", "unit": "m",
        "object_name": "液氯储罐区", "threshold_l": "2", "threshold_h": "17", "threshold_hh": "18.5",
        "hysteresis": "0.5", "offline_after_s": 300});
    let (s, b) = app.post(&ent, "/api/v1/sensors", &sensor).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let now = app.clock.now_ms();
    let batch = json!([
        reading("LT-101", now - 3000, json!(10.2)),
        reading("LT-101", now - 2000, json!("17.2")),
        reading("LT-101", now - 1000, json!(18.6)),
        reading("NO-SUCH", now - 1000, json!(1)),
    ]);
    let (s, r) = app.post(&ent, "/api/v1/readings", &batch).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["accepted"], 3);
    assert_eq!(r["alarms_opened"], 2);
    assert_eq!(r["refused"], json!(["NO-SUCH"]));
    // The same batch again: nothing new.
    let (_, r) = app.post(&ent, "/api/v1/readings", &batch).await;
    assert_eq!(r["duplicates"], 3);
    assert_eq!(r["alarms_opened"], 0);
    let (_, list) = app.get(&ent, "/api/v1/alarms").await;
    assert_eq!(list["total"], 2, "{list}");
    let hh = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["level"] == "HH")
        .expect("HH")
        .clone();
    let h = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["level"] == "H")
        .expect("H")
        .clone();
    assert_eq!(h["inhibited"], true);
    assert_eq!(hh["peak_value"], "18.6");
    // Step 1 (enterprise at once) fires — from the server's own timer loop, woken by the ingest,
    // or from here; either way once — and the enterprise user is notified.
    let id = hh["id"].as_str().expect("id");
    for _ in 0..50 {
        fire_timers(app).await;
        let (_, a) = app.get(&ent, &format!("/api/v1/alarms/{id}")).await;
        if a["steps_fired"] == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (_, n) = app.get(&ent, "/api/v1/notifications").await;
    assert!(n.to_string().contains("高高报"), "{n}");
    let (_, a) = app.get(&ent, &format!("/api/v1/alarms/{id}")).await;
    assert_eq!(a["steps_fired"], 1);
    // Acknowledged within 5 minutes: no further steps, however long it stays open.
    let (s, a) = app
        .post(
            &ent,
            &format!("/api/v1/alarms/{id}/actions"),
            &json!({"action": "ack"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["response_label"], "已确认");
    let (s, _) = app
        .post(
            &ent,
            &format!("/api/v1/alarms/{id}/actions"),
            &json!({"action": "ack"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    app.clock.advance(30 * 60_000);
    fire_timers(app).await;
    let (_, a) = app.get(&ent, &format!("/api/v1/alarms/{id}")).await;
    assert_eq!(a["steps_fired"], 1, "acknowledged: the chain stopped");
    // The unacknowledged H incident is inhibited: it never escalated either.
    let (_, hh_h) = app
        .get(
            &ent,
            &format!("/api/v1/alarms/{}", h["id"].as_str().expect("id")),
        )
        .await;
    assert_eq!(hh_h["steps_fired"], 0, "{hh_h}");
    // Back to normal past the dead band: both resolve.
    let now = app.clock.now_ms();
    let (_, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("LT-101", now, json!(16.4))]),
        )
        .await;
    assert_eq!(r["alarms_resolved"], 2, "{r}");
    let (s, b) = app
        .post(
            &ent,
            &format!("/api/v1/alarms/{id}/actions"),
            &json!({"action": "close"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(b["details"][0]["field"], "disposition");
    let (s, a) = app
        .post(
            &ent,
            &format!("/api/v1/alarms/{id}/actions"),
            &json!({"action": "close", "disposition": "real", "note": "进料阀误开，已关闭并复位"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["response"], "closed");
    // A new crossing after resolution is a new incident.
    let (_, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("LT-101", now + 1000, json!(19))]),
        )
        .await;
    assert_eq!(r["alarms_opened"], 2, "{r}");
    let (_, all) = app.get(&ent, "/api/v1/alarms?open=false").await;
    assert_eq!(all["total"], 4);
}
both!(alarm_lifecycle);

/// An unacknowledged incident climbs the chain on the durable timers; bad readings name their
/// index and field and store nothing.
async fn escalation_and_bad_readings(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let sensor = json!({"code": "AT-201", "name": "可燃气体探测器", "kind": "gas_lel", "unit": "%LEL",
        "object_name": "装卸区", "threshold_h": "25", "threshold_hh": "50", "hysteresis": "2"});
    let (s, b) = app.post(&ent, "/api/v1/sensors", &sensor).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let now = app.clock.now_ms();
    let (s, b) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("AT-201", now, json!(30)), {"sensor": "AT-201", "ts": now, "value": "NaN"},
                    reading("AT-201", now + 86_400_000, json!(1))]),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let fields: Vec<&str> = b["details"]
        .as_array()
        .expect("details")
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    assert_eq!(fields, ["[1].value", "[2].ts"]);
    // A decimal string in exponent form is refused, as docs/monitoring.md says.
    let (s, b) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([{"sensor": "AT-201", "ts": now, "value": "1e3"}]),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["details"][0]["field"], "[0].value");
    let (_, list) = app.get(&ent, "/api/v1/alarms").await;
    assert_eq!(list["total"], 0, "nothing partial");
    let (_, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("AT-201", now, json!(30))]),
        )
        .await;
    assert_eq!(r["alarms_opened"], 1);
    fire_timers(app).await;
    for (after_min, steps) in [(4, 1), (5, 2), (10, 3), (15, 4), (60, 4)] {
        app.clock.set(now + after_min * 60_000);
        let mut got = Value::Null;
        // The server's own timer loop may hold a step's transaction: wait for its commit.
        for _ in 0..30 {
            fire_timers(app).await;
            let (_, list) = app.get(&ent, "/api/v1/alarms").await;
            got = list["items"][0]["steps_fired"].clone();
            if got == steps {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(got, steps, "after {after_min} min");
    }
    // The bureau's scope covers every sensor in the district.
    let admin = app.login("admin").await;
    let (_, r) = app
        .post(
            &admin,
            "/api/v1/readings",
            &json!([reading("AT-201", now + 3_600_000, json!(0))]),
        )
        .await;
    assert_eq!(r["accepted"], 1, "{r}");
}
both!(escalation_and_bad_readings);

/// The live board's stream announces a new incident to a caller who may see it.
async fn live_stream_announces_alarms(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let sensor = json!({"code": "PT-301", "name": "反应釜压力", "kind": "pressure", "unit": "MPa",
        "object_name": "氯化反应装置", "threshold_h": "1.6"});
    let (s, b) = app.post(&ent, "/api/v1/sensors", &sensor).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let mut stream = ent
        .get(format!("{}/api/v1/alarms/stream", app.base))
        .send_checked()
        .await
        .expect("stream");
    assert_eq!(stream.status(), StatusCode::OK);
    let now = app.clock.now_ms();
    let (_, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("PT-301", now, json!("1.75"))]),
        )
        .await;
    assert_eq!(r["alarms_opened"], 1, "{r}");
    let mut seen = String::new();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !seen.contains("event: alarm") && std::time::Instant::now() < deadline {
        match tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk()).await {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            _ => break,
        }
    }
    assert!(seen.contains("event: alarm"), "{seen}");
    assert!(seen.contains("PT-301"), "{seen}");
}
both!(live_stream_announces_alarms);

/// 转为隐患: the handler turns an alarm into a hazard carrying the alarm, the sensor and its
/// readings; once only; the district rule proposes it for an alarm that lasts an hour.
async fn alarm_becomes_hazard(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let sensor = json!({"code": "PT-301", "name": "压力变送器", "kind": "pressure", "unit": "MPa",
        "object_name": "反应釜", "threshold_h": "1.6", "threshold_hh": "2.0", "hysteresis": "0.1"});
    let (s, b) = app.post(&ent, "/api/v1/sensors", &sensor).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let now = app.clock.now_ms();
    let (_, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([
                reading("PT-301", now - 2000, json!("1.2")),
                reading("PT-301", now, json!("2.35"))
            ]),
        )
        .await;
    let id = r["opened_alarm_ids"][0]
        .as_str()
        .expect("an alarm")
        .to_string();
    let (_, a) = app.get(&ent, &format!("/api/v1/alarms/{id}")).await;
    assert!(a["hazard_proposal"].is_null(), "{a}");
    app.clock.advance(3_600_000);
    let (_, a) = app.get(&ent, &format!("/api/v1/alarms/{id}")).await;
    assert!(
        a["hazard_proposal"]
            .as_str()
            .unwrap_or("")
            .contains("1小时"),
        "{a}"
    );
    // Another street's staff cannot reach it; a too-long description is named.
    let path = format!("/api/v1/alarms/{id}/hazard");
    let before = app.count("hazards").await;
    let long = "长".repeat(4001);
    let (s, v) = app.post(&ent, &path, &json!({"description": long})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["details"][0]["field"], "description");
    let (s, v) = app.post(&ent, &path, &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let hazard_id = v["hazard_id"].as_str().expect("hazard_id").to_string();
    assert_eq!(app.count("hazards").await, before + 1);
    let (s, v) = app.post(&ent, &path, &json!({})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(app.count("hazards").await, before + 1);
    let (_, h) = app.get(&ent, &format!("/api/v1/hazards/{hazard_id}")).await;
    assert_eq!(h["source"], "monitoring", "{h}");
    assert!(h["description"].as_str().unwrap().contains("PT-301"), "{h}");
    let evidence = &h["events"][0]["data"];
    assert_eq!(evidence["alarm_id"], id.as_str(), "{h}");
    assert_eq!(evidence["peak_value"], "2.35");
    assert_eq!(
        evidence["readings"].as_array().map(Vec::len),
        Some(2),
        "{evidence}"
    );
    let (_, events) = app.get(&ent, &format!("/api/v1/alarms/{id}/events")).await;
    assert!(events.to_string().contains("转为隐患"), "{events}");
}
both!(alarm_becomes_hazard);
