//! 网格事件 turned into a hazard (转隐患, by the unit, in one transaction with the hazard) or an
//! incident (转接报, by the duty room, closing the event): linked both ways, once only, refused
//! with nothing stored when the input or the moment is wrong.

use super::events::{PATH, count, event, file, own_region};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};

fn field(v: &Value) -> Option<&str> {
    v["details"][0]["field"].as_str()
}

async fn event_becomes_a_hazard_in_one_transaction(app: &TestApp) {
    let (grid, street, duty) = (
        app.login("grid").await,
        app.login("street").await,
        app.login("duty").await,
    );
    let region = own_region(app, &grid).await;
    let e = file(app, &grid, &event("gas", &region)).await;
    let id = e["id"].as_str().unwrap().to_string();
    let at = |step: &str| format!("{PATH}/{id}/{step}");
    let hazard = json!({"category": "fire", "level": "general", "deadline": "2030-01-31", "responsible_name": "李四"});
    // Not before 签收; not by the duty room.
    let (s, _) = app.post(&street, &at("hazard"), &hazard).await;
    assert_eq!(s, StatusCode::CONFLICT);
    app.post(&street, &at("accept"), &json!({})).await;
    let (s, _) = app.post(&duty, &at("hazard"), &hazard).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // A bad hazard leaves both the hazards and the event as they were.
    let hazards = count(app, "SELECT COUNT(*) FROM hazards").await;
    let (s, v) = app
        .post(&street, &at("hazard"), &json!({"category": "nope"}))
        .await;
    assert_eq!(
        (s, field(&v)),
        (StatusCode::BAD_REQUEST, Some("category")),
        "{v}"
    );
    assert_eq!(count(app, "SELECT COUNT(*) FROM hazards").await, hazards);
    let (_, v) = app.get(&street, &format!("{PATH}/{id}")).await;
    assert_eq!(v["event"]["status"], "accepted", "{v}");
    // The hazard and the link, with the event 已处置 and its 反馈 due.
    let (s, v) = app.post(&street, &at("hazard"), &hazard).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let ev = &v["event"];
    assert_eq!(ev["status"], "handled", "{v}");
    let hazard_id = ev["hazard_id"].as_str().expect("linked").to_string();
    assert!(ev["result"].as_str().unwrap().contains("已转为隐患"), "{v}");
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM hazards").await,
        hazards + 1
    );
    let (s, h) = app
        .get(&street, &format!("/api/v1/hazards/{hazard_id}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{h}");
    assert_eq!(h["region_code"].as_str(), Some(region.as_str()), "{h}");
    let audited = count(
        app,
        &format!("SELECT COUNT(*) FROM audit_log WHERE entity_id = '{id}' AND action = 'grid.event_to_hazard'"),
    )
    .await;
    assert_eq!(audited, 1);
    // Once only.
    let (s, _) = app.post(&street, &at("hazard"), &hazard).await;
    assert_eq!(s, StatusCode::CONFLICT);
    // A category the catalogue does not mark as a possible hazard.
    let other = file(app, &grid, &event("other", &region)).await;
    let other = other["id"].as_str().unwrap();
    let to_street = json!({"unit_kind": "street", "unit_id": &region[..9]});
    let (s, v) = app
        .post(&duty, &format!("{PATH}/{other}/dispatch"), &to_street)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    app.post(&street, &format!("{PATH}/{other}/accept"), &json!({}))
        .await;
    let (s, v) = app
        .post(&street, &format!("{PATH}/{other}/hazard"), &hazard)
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v.to_string().contains("不能转为隐患"), "{v}");
}

fn incident(app: &TestApp) -> Value {
    let now = app.clock.now_ms();
    json!({
        "title": "居民楼燃气爆燃", "category": "accident", "subtype": "gas",
        "occurred_at": to_rfc3339(now - 20 * 60_000),
        "casualties": {"deaths": 0, "serious_injuries": 1},
        "location": "甘棠北路 12 号", "scene": "一楼厨房爆燃，明火已扑灭",
        "account": "燃气软管老化泄漏遇明火", "measures": "消防到场处置，疏散住户",
    })
}

async fn event_becomes_an_incident_and_closes(app: &TestApp) {
    let (grid, street, duty) = (
        app.login("grid").await,
        app.login("street").await,
        app.login("duty").await,
    );
    let region = own_region(app, &grid).await;
    let e = file(app, &grid, &event("gas", &region)).await;
    let id = e["id"].as_str().unwrap().to_string();
    let path = format!("{PATH}/{id}/incident");
    // Only the duty room; a bad 接报 names its field and stores nothing.
    let (s, _) = app.post(&street, &path, &incident(app)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let incidents = count(app, "SELECT COUNT(*) FROM incidents").await;
    let mut bad = incident(app);
    bad["occurred_at"] = json!("昨天下午");
    let (s, v) = app.post(&duty, &path, &bad).await;
    assert_eq!(
        (s, field(&v)),
        (StatusCode::BAD_REQUEST, Some("occurred_at")),
        "{v}"
    );
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM incidents").await,
        incidents
    );
    // The incident takes the event's place and reporter; the event is closed and linked.
    let (s, v) = app.post(&duty, &path, &incident(app)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["event"]["status"], "closed", "{v}");
    let incident_id = v["event"]["incident_id"]
        .as_str()
        .expect("linked")
        .to_string();
    let (s, i) = app
        .get(&duty, &format!("/api/v1/incidents/{incident_id}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{i}");
    let text = i.to_string();
    assert!(text.contains(&region[..9]), "{i}");
    assert!(
        text.contains("网格员上报") || text.contains("\"grid\""),
        "{i}"
    );
    // The 督办 timer is gone; a second 转接报 is refused.
    let timers = count(
        app,
        &format!("SELECT COUNT(*) FROM timers WHERE subject_id = '{id}' AND fired_ms IS NULL"),
    )
    .await;
    assert_eq!(timers, 0);
    let (s, _) = app.post(&duty, &path, &incident(app)).await;
    assert_eq!(s, StatusCode::CONFLICT);
}

both!(event_becomes_a_hazard_in_one_transaction);
both!(event_becomes_an_incident_and_closes);
