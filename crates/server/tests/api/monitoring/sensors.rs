//! 重大危险源: registration with S, R and the level computed exactly (GB 18218 vectors), refusals
//! that name their field, and scoping.

use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, SharedClock};
use yingji_core::prevention::major_hazard::Ratio;

fn unit(code: &str, chemicals: Value, population: i64) -> Value {
    json!({"code": code, "name": "液氯储罐区", "unit_type": "storage", "chemicals": chemicals,
           "population_500m": population, "responsible_name": "王安全", "responsible_phone": "13800000000"})
}

async fn register_and_grade(app: &TestApp) {
    let ent = app.login("enterprise").await;
    // G13: exactly R = 10 → 三级 (f64 would say 四级).
    let g13 = json!([
        {"chemical": "氯", "quantity_t": "21.4", "critical_t": "5", "beta": "4"},
        {"chemical": "液化石油气", "quantity_t": "96.0", "critical_t": "50", "beta": "1.5"}
    ]);
    let (s, m) = app
        .post(
            &ent,
            "/api/v1/major-hazards",
            &unit("MH-T-001", g13.clone(), 0),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_eq!(m["s_value"], "6.20");
    assert_eq!(m["r_value"], "10.00");
    assert_eq!(m["level"], 3);
    assert_eq!(m["level_label"], "三级");
    assert_eq!(m["is_major"], true);
    // The same through the preview.
    let (s, p) = app
        .post(
            &ent,
            "/api/v1/major-hazards/identify",
            &json!({"chemicals": g13, "population_500m": 0}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["level_label"], "三级");
    // G04: below the threshold, recorded but not graded.
    let g04 = json!([
        {"chemical": "甲苯", "quantity_t": "200", "critical_t": "500", "beta": "1"},
        {"chemical": "丙酮", "quantity_t": "200", "critical_t": "500", "beta": "1"}
    ]);
    let (s, m) = app
        .post(&ent, "/api/v1/major-hazards", &unit("MH-T-002", g04, 500))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_eq!(m["is_major"], false);
    assert_eq!(m["level"], Value::Null);
    // 一级 first in the list; the enterprise sees its own.
    let g06 = json!([{"chemical": "氯", "quantity_t": "80", "critical_t": "5", "beta": "4"}]);
    let (s, _) = app
        .post(&ent, "/api/v1/major-hazards", &unit("MH-T-003", g06, 100))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, list) = app.get(&ent, "/api/v1/major-hazards").await;
    assert_eq!(list["total"], 3);
    assert_eq!(list["items"][0]["level_label"], "一级");
    // Duplicate code.
    let (s, b) = app
        .post(
            &ent,
            "/api/v1/major-hazards",
            &unit(
                "MH-T-001",
                json!([{"chemical": "氨", "quantity_t": "1", "critical_t": "10", "beta": "2"}]),
                0,
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    // Audited.
    let (_, a) = app
        .get(
            &app.login("admin").await,
            "/api/v1/audit?action=major_hazard.create",
        )
        .await;
    assert!(a["total"].as_i64().unwrap_or(0) >= 3, "{a}");
    // The GB 18218 tables are readable by anyone logged in.
    let (s, t) = app.get(&ent, "/api/v1/major-hazards/tables").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t["toxic_gas_beta"].as_array().map(Vec::len), Some(14));
}
both!(register_and_grade);

async fn refusals_name_their_field(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let bad = json!([
        {"chemical": "氯", "quantity_t": "NaN", "critical_t": "0", "beta": "4"},
        {"chemical": "", "quantity_t": "1e3", "critical_t": "5", "beta": "-1"}
    ]);
    let (s, b) = app
        .post(&ent, "/api/v1/major-hazards", &unit("MH-T-009", bad, -5))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let fields: Vec<&str> = b["details"]
        .as_array()
        .expect("details")
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    for f in [
        "population_500m",
        "chemicals[0].quantity_t",
        "chemicals[0].critical_t",
        "chemicals[1].chemical",
        "chemicals[1].quantity_t",
        "chemicals[1].beta",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    let (_, list) = app.get(&ent, "/api/v1/major-hazards").await;
    assert_eq!(list["total"], 0, "nothing partial is stored");
    // A street account may read but not register.
    let street = app.login("street").await;
    let ok = json!([{"chemical": "氯", "quantity_t": "20", "critical_t": "5", "beta": "4"}]);
    let mut body = unit("MH-T-010", ok, 60);
    body["enterprise_id"] = json!("whatever");
    let (s, _) = app.post(&street, "/api/v1/major-hazards", &body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, b) = app.get(&ent, "/api/v1/major-hazards?level=7").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(b["details"][0]["field"], "level");
}
both!(refusals_name_their_field);

/// The figure as a number: the decimal digits shown, without the "…" that marks a truncation.
fn shown(v: &Value) -> Ratio {
    let text = v.as_str().unwrap_or_else(|| panic!("a figure: {v}"));
    Ratio::parse_decimal(text.trim_end_matches('…'))
        .unwrap_or_else(|| panic!("a decimal figure: {text}"))
}

/// Issue 18: S = 0.998 was shown as "1.00" beside 不构成重大危险源, R = 9.996 as "10.00" beside
/// 四级. The figures are exact or truncated, never rounded up, so they never contradict the verdict.
async fn figures_never_contradict_the_verdict(app: &TestApp) {
    let ent = app.login("enterprise").await;
    // 氯 2.49 t of Q 5 (0.498) + 甲醇 250 t of Q 500 (0.5): S = 0.998, below the threshold.
    let near = json!([
        {"chemical": "氯", "quantity_t": "2.49", "critical_t": "5", "beta": "4"},
        {"chemical": "甲醇", "quantity_t": "250", "critical_t": "500", "beta": "1"}
    ]);
    let (s, m) = app
        .post(
            &ent,
            "/api/v1/major-hazards",
            &unit("MH-S-998", near.clone(), 0),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_ne!(m["s_value"], "1.00", "issue 18");
    assert_eq!(m["s_value"], "0.998");
    assert!(shown(&m["s_value"]) < Ratio::int(1), "{m}");
    assert_eq!(m["is_major"], false, "不构成重大危险源");
    assert_eq!(m["level"], Value::Null);
    assert_eq!(m["r_value"], Value::Null);
    let id = m["id"].as_str().expect("id").to_string();
    let (_, one) = app.get(&ent, &format!("/api/v1/major-hazards/{id}")).await;
    assert_eq!(one["s_value"], "0.998", "{one}");
    let (_, list) = app.get(&ent, "/api/v1/major-hazards").await;
    assert_eq!(list["items"][0]["s_value"], "0.998", "{list}");
    let (s, p) = app
        .post(
            &ent,
            "/api/v1/major-hazards/identify",
            &json!({"chemicals": near, "population_500m": 0}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["s_value"], "0.998");
    assert_eq!(p["is_major"], false);
    // The audit record says the same.
    let (_, a) = app
        .get(
            &app.login("admin").await,
            "/api/v1/audit?action=major_hazard.create",
        )
        .await;
    let summary = a["items"][0]["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("S=0.998，未构成"), "{a}");
    // A unit registered before the fix kept the rounded text in its row: it is shown from the
    // chemicals again, not from that text.
    let mut old = yingji_store::Sql::new("UPDATE major_hazards SET s_value = '1.00' WHERE id = ");
    old.bind(id.clone());
    app.store.execute(old).await.expect("old row");
    let (_, one) = app.get(&ent, &format!("/api/v1/major-hazards/{id}")).await;
    assert_eq!(one["s_value"], "0.998", "{one}");

    // Near each threshold (S: 1; R: 10, 50, 100 of Table 6), through the preview:
    // (q of 氯 at Q 5 and β 4, population, S shown, R shown, level).
    let cases = [
        ("4.99", 0, "0.998", None, None),
        ("5", 0, "1.00", Some("2.00"), Some(4)),
        // S = 1.9999998 and R = 3.9999996 need seven places: cut at six, marked.
        ("9.999999", 0, "1.999999…", Some("3.999999…"), Some(4)),
        ("24.99", 0, "4.998", Some("9.996"), Some(4)),
        ("25", 0, "5.00", Some("10.00"), Some(3)),
        ("62.49875", 10, "12.49975", Some("49.999"), Some(3)),
        ("62.5", 10, "12.50", Some("50.00"), Some(2)),
        ("62.49975", 100, "12.49995", Some("99.9996"), Some(2)),
        ("62.50025", 100, "12.50005", Some("100.0004"), Some(1)),
    ];
    for (q, population, s_shown, r_shown, level) in cases {
        let chemicals =
            json!([{"chemical": "氯", "quantity_t": q, "critical_t": "5", "beta": "4"}]);
        let (s, p) = app
            .post(
                &ent,
                "/api/v1/major-hazards/identify",
                &json!({"chemicals": chemicals, "population_500m": population}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{q}: {p}");
        assert_eq!(p["s_value"], s_shown, "{q}: {p}");
        assert_eq!(p["r_value"], json!(r_shown), "{q}: {p}");
        assert_eq!(p["level"], json!(level), "{q}: {p}");
        assert_eq!(
            shown(&p["s_value"]) >= Ratio::int(1),
            level.is_some(),
            "{q}"
        );
        if let Some(level) = level {
            let r = shown(&p["r_value"]);
            let by_figure = if r >= Ratio::int(100) {
                1
            } else if r >= Ratio::int(50) {
                2
            } else if r >= Ratio::int(10) {
                3
            } else {
                4
            };
            assert_eq!(
                by_figure, level,
                "{q}: the figure R = {} reads as another level",
                p["r_value"]
            );
        }
    }
    // Not a finite decimal: 9.999999 t of Q 10.000001 is S = 0.99999980000…, which rounds to
    // 1.000000 at six places; it is cut, not rounded, and marked as cut.
    let chemicals = json!([{"chemical": "氯", "quantity_t": "9.999999", "critical_t": "10.000001", "beta": "4"}]);
    let (_, p) = app
        .post(
            &ent,
            "/api/v1/major-hazards/identify",
            &json!({"chemicals": chemicals, "population_500m": 0}),
        )
        .await;
    assert_eq!(p["s_value"], "0.999999…", "{p}");
    assert_eq!(p["is_major"], false);
    assert!(shown(&p["s_value"]) < Ratio::int(1));
}
both!(figures_never_contradict_the_verdict);

async fn fire_timers(app: &TestApp) -> usize {
    let clock: SharedClock = app.clock.clone();
    yingji_jobs::run_due(&app.store, &clock)
        .await
        .expect("timers")
}

fn reading(sensor: &str, at_ms: i64, value: Value) -> Value {
    json!({"sensor": sensor, "ts": at_ms, "value": value})
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

/// The 叫应 chain and the status colours are district rules: a new version applies to incidents
/// opened after it (each keeps the chain it opened with), and bad chains name their field.
async fn policy_and_status_follow_district_rules(app: &TestApp) {
    let admin = app.login("admin").await;
    let ent = app.login("enterprise").await;
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    assert_eq!(rules["alarm"]["escalation"][2]["targets"][0], "street");
    rules["alarm"]["escalation"] = json!([
        {"after_secs": 120, "targets": ["enterprise"], "label": "企业"},
        {"after_secs": 60, "targets": ["fire_brigade"], "label": ""}
    ]);
    let (s, b) = app
        .put(
            &admin,
            "/api/v1/rules",
            &json!({"region": "360403", "rules": rules}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let fields: Vec<&str> = b["details"]
        .as_array()
        .expect("details")
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "alarm.escalation[1].after_secs",
            "alarm.escalation[1].label",
            "alarm.escalation[1].targets"
        ]
    );
    rules["alarm"]["escalation"] = json!([
        {"after_secs": 0, "targets": ["enterprise"], "label": "企业安全员"},
        {"after_secs": 60, "targets": ["district", "street"], "label": "区值班室和街道"}
    ]);
    let (s, b) = app
        .put(
            &admin,
            "/api/v1/rules",
            &json!({"region": "360403", "rules": rules, "note": "叫应提速"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");

    let sensor = json!({"code": "PT-S1", "name": "反应釜压力", "kind": "pressure", "unit": "MPa",
        "object_name": "反应釜", "threshold_h": "1.6", "threshold_hh": "2.0", "hysteresis": "0.05"});
    let (s, b) = app.post(&ent, "/api/v1/sensors", &sensor).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (_, board) = app.get(&ent, "/api/v1/monitoring/status").await;
    assert_eq!(board[0]["colour"], "green", "{board}");
    assert_eq!(board[0]["kind"], "enterprise");
    let now = app.clock.now_ms();
    let (_, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("PT-S1", now, json!("1.7"))]),
        )
        .await;
    assert_eq!(r["alarms_opened"], 1, "{r}");
    let (_, list) = app.get(&ent, "/api/v1/alarms").await;
    let alarm = &list["items"][0];
    assert_eq!(alarm["policy"].as_array().map(Vec::len), Some(2));
    assert_eq!(alarm["policy"][1]["label"], "区值班室和街道");
    // H unacknowledged: orange, and red once it has waited past the rule's limit.
    let (_, board) = app.get(&ent, "/api/v1/monitoring/status").await;
    assert_eq!(board[0]["colour"], "orange", "{board}");
    assert_eq!(board[0]["unacked"], 1);
    app.clock.set(now + 1_800_000);
    let (_, board) = app.get(&ent, "/api/v1/monitoring/status").await;
    assert_eq!(board[0]["colour"], "red", "{board}");
    // Acknowledged H is orange again; HH is red whatever its response.
    let id = alarm["id"].as_str().expect("id");
    let (s, _) = app
        .post(
            &ent,
            &format!("/api/v1/alarms/{id}/actions"),
            &json!({"action": "ack"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, board) = app.get(&ent, "/api/v1/monitoring/status").await;
    assert_eq!(board[0]["colour"], "orange", "{board}");
    app.post(
        &ent,
        "/api/v1/readings",
        &json!([reading("PT-S1", now + 1_800_000, json!("2.1"))]),
    )
    .await;
    let (_, board) = app.get(&ent, "/api/v1/monitoring/status").await;
    assert_eq!(board[0]["colour"], "red", "{board}");
    assert_eq!(board[0]["worst_label"], "高高报");
    // Back to normal: green.
    app.post(
        &ent,
        "/api/v1/readings",
        &json!([reading("PT-S1", now + 1_860_000, json!("1.0"))]),
    )
    .await;
    let (_, board) = app.get(&ent, "/api/v1/monitoring/status").await;
    assert_eq!(board[0]["colour"], "green", "{board}");
    // 报警统计分析: two incidents today (H acknowledged after 30 min, HH not yet), none answered
    // before the chain's second step.
    let (s, st) = app.get(&ent, "/api/v1/alarms/analytics").await;
    assert_eq!(s, StatusCode::OK, "{st}");
    assert_eq!(st["total"], 2, "{st}");
    assert_eq!(st["per_day"][0]["by_level"]["H"], 1);
    assert_eq!(st["per_day"][0]["by_level"]["HH"], 1);
    assert_eq!(st["ack_buckets"][3]["count"], 1, "{st}");
    assert_eq!(st["response_rate"], 0.0);
    assert_eq!(st["noisiest_sensors"][0]["name"], "PT-S1 反应釜压力");
    let (s, b) = app
        .get(&ent, "/api/v1/alarms/analytics?from=2026-13-01")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(b["details"][0]["field"], "from");
    // The street sees the enterprise on its board; another enterprise's user does not.
    let (_, board) = app
        .get(&app.login("street").await, "/api/v1/monitoring/status")
        .await;
    assert!(
        board
            .as_array()
            .is_some_and(|b| b.iter().any(|o| o["kind"] == "enterprise")),
        "{board}"
    );
}
both!(policy_and_status_follow_district_rules);

/// Trends: raw readings for a short span; 1-minute rollups (bad readings left out) behind longer
/// spans, with the minutes not rolled yet aggregated from raw; a late reading re-rolls its
/// minute; raw readings are pruned after retention only once rolled up, rollups later.
async fn trends_roll_up_and_prune(app: &TestApp) {
    use yingji_store::monitoring::trends;
    let ent = app.login("enterprise").await;
    let sensor = json!({"code": "PT-201", "name": "反应釜压力", "kind": "pressure", "unit": "MPa",
        "object_name": "反应釜", "threshold_h": "50", "offline_after_s": 600});
    let (s, b) = app.post(&ent, "/api/v1/sensors", &sensor).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let id = b["id"].as_str().expect("id").to_string();
    let now = app.clock.now_ms();
    let m0 = yingji_core::monitoring::trend::minute_of(now) - 10 * 60_000;
    let batch = json!([
        reading("PT-201", m0 + 1_000, json!("1")),
        reading("PT-201", m0 + 20_000, json!("2")),
        reading("PT-201", m0 + 40_000, json!("3")),
        {"sensor": "PT-201", "ts": m0 + 50_000, "value": 99, "q": "bad"},
        reading("PT-201", m0 + 61_000, json!("7.5")),
    ]);
    let (s, r) = app.post(&ent, "/api/v1/readings", &batch).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    let trend = |from: i64, to: i64| {
        let path = format!("/api/v1/sensors/{id}/trend?from_ms={from}&to_ms={to}");
        async move {
            // A fresh session each time: the test moves the clock by weeks.
            let who = app.login("enterprise").await;
            let (s, t) = app.get(&who, &path).await;
            assert_eq!(s, StatusCode::OK, "{t}");
            t
        }
    };
    // Raw: every good reading.
    let t = trend(now - 3_600_000, now + 1).await;
    assert_eq!(t["resolution_s"], 0);
    let avgs: Vec<f64> = t["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["avg"].as_f64().expect("avg"))
        .collect();
    assert_eq!(avgs, [1.0, 2.0, 3.0, 7.5]);
    // Minutes: before the job runs, from raw; after it, from the rollups; the same either way.
    let six_h = || trend(now - 6 * 3_600_000 + 1, now + 1);
    let before = six_h().await;
    assert_eq!(before["resolution_s"], 60);
    trends::roll_up(&app.store, now).await.expect("roll up");
    let after = six_h().await;
    assert_eq!(before["points"], after["points"]);
    let p0 = &after["points"][0];
    assert_eq!((p0["t"].as_i64(), p0["n"].as_i64()), (Some(m0), Some(3)));
    assert_eq!(
        (p0["min"].as_f64(), p0["avg"].as_f64(), p0["max"].as_f64()),
        (Some(1.0), Some(2.0), Some(3.0))
    );
    // A late reading for a minute already rolled: the minute is redone on the next pass.
    let (s, r) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("PT-201", m0 + 30_000, json!("11"))]),
        )
        .await;
    assert_eq!(
        (s, r["accepted"].as_i64()),
        (StatusCode::OK, Some(1)),
        "{r}"
    );
    trends::roll_up(&app.store, now).await.expect("roll up");
    let p0 = six_h().await["points"][0].clone();
    assert_eq!(
        (p0["n"].as_i64(), p0["avg"].as_f64(), p0["max"].as_f64()),
        (Some(4), Some(4.25), Some(11.0))
    );
    // A reading in the current minute shows before it is rolled up.
    let (s, _) = app
        .post(
            &ent,
            "/api/v1/readings",
            &json!([reading("PT-201", now, json!("5"))]),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let line = six_h().await;
    assert_eq!(line["points"].as_array().map(Vec::len), Some(3), "{line}");
    // 31 days on: raw readings are pruned (the unrolled one only after its roll-up), the
    // rollups still draw the old range.
    let keep = yingji_core::monitoring::trend::Retention::default();
    app.clock.advance(31 * 86_400_000);
    let later = app.clock.now_ms();
    let (raw, _) = trends::prune(&app.store, later, keep).await.expect("prune");
    assert_eq!(raw, 6, "all but the one in the minute not rolled yet");
    trends::roll_up(&app.store, later).await.expect("roll up");
    let (raw, _) = trends::prune(&app.store, later, keep).await.expect("prune");
    assert_eq!(raw, 1);
    let old = trend(m0 - 60_000, m0 + 3 * 60_000).await;
    assert_eq!(old["resolution_s"], 60, "raw readings are gone: rollups");
    assert_eq!(old["points"].as_array().map(Vec::len), Some(2), "{old}");
    app.clock.advance(400 * 86_400_000);
    let (_, rolled) = trends::prune(&app.store, app.clock.now_ms(), keep)
        .await
        .expect("prune");
    assert_eq!(rolled, 3);
    // Bad ranges name the field; other people's sensors are not found.
    let ent = app.login("enterprise").await;
    let (s, b) = app
        .get(
            &ent,
            &format!("/api/v1/sensors/{id}/trend?from_ms=10&to_ms=5"),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(b["details"][0]["field"], "from_ms", "{b}");
    let admin = app.login("admin").await;
    let (s, public) = app
        .post(
            &admin,
            "/api/v1/sensors",
            &json!({"code": "WL-9", "name": "下穿隧道水位", "kind": "water_level", "unit": "m",
                "object_name": "下穿隧道", "region_code": "360403", "threshold_h": "0.3"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{public}");
    let (s, _) = app
        .get(
            &ent,
            &format!(
                "/api/v1/sensors/{}/trend",
                public["id"].as_str().expect("id")
            ),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
both!(trends_roll_up_and_prune);

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
