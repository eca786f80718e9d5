//! The duty roster, the duty log and the daily report.

use super::{accident, own_enterprise};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use yingji_core::kernel::clock::Clock;

async fn duty_roster_log_and_daily_report(app: &TestApp) {
    let duty = app.login("duty").await;
    let today = yingji_core::kernel::clock::today(app.clock.now_ms()).to_string();
    let (s, b) = app
        .put(
            &duty,
            "/api/v1/duty/shifts",
            &json!({"day": today, "shift": "day", "leader": "张局长", "officer": "李值班", "phone": "0792-8221234"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    // Setting the shift again replaces who is on it.
    let (s, _) = app
        .put(
            &duty,
            "/api/v1/duty/shifts",
            &json!({"day": today, "shift": "day", "leader": "王副局长", "officer": "李值班"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = app
        .put(
            &duty,
            "/api/v1/duty/shifts",
            &json!({"day": "明天", "shift": "noon", "leader": "", "officer": "x", "phone": "123"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let fields: Vec<&str> = b["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| d["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, ["day", "shift", "leader", "phone"]);
    let (_, roster) = app
        .get(
            &duty,
            &format!("/api/v1/duty/shifts?from={today}&to={today}"),
        )
        .await;
    assert_eq!(roster.as_array().map(Vec::len), Some(1), "{roster}");
    assert_eq!(roster[0]["leader"], "王副局长");
    assert_eq!(roster[0]["shift_label"], "白班");

    let eid = own_enterprise(app).await;
    let (_, d) = app
        .post(&duty, "/api/v1/incidents", &accident(app, &eid, 1))
        .await;
    let id = d["id"].as_str().expect("id");
    let (s, e) = app
        .post(
            &duty,
            "/api/v1/duty/log",
            &json!({"kind": "instruction", "text": "市局要求每小时报告一次处置进展", "incident_id": id}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let (s, _) = app
        .post(
            &duty,
            "/api/v1/duty/log",
            &json!({"kind": "gossip", "text": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = app
        .post(
            &app.login("grid").await,
            "/api/v1/duty/log",
            &json!({"kind": "other", "text": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    let (s, r) = app
        .get(&duty, &format!("/api/v1/duty/daily?day={today}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["shifts"][0]["officer"], "李值班");
    assert_eq!(r["log"][0]["kind_label"], "上级指示");
    assert_eq!(r["received"][0]["id"], id);
    assert_eq!(r["open"].as_array().map(Vec::len), Some(1));
    let (_, other) = app.get(&duty, "/api/v1/duty/daily?day=2020-01-01").await;
    assert_eq!(other["received"].as_array().map(Vec::len), Some(0));
}
both!(duty_roster_log_and_daily_report);
