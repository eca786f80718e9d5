//! The 叫应 chain and the status colours as district rules, versioned.

use super::reading;
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use yingji_core::kernel::clock::Clock;

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
