//! 疑似重复: two 燃气 events filed at one place are proposed to each other, one far away is not;
//! the duty room merges one into the other (已合并, its timers dropped, audited); only the duty
//! room merges, not into itself.

use super::events::{PATH, count, event, file, own_region};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;

async fn proposed_and_merged(app: &TestApp) {
    let (grid, street, duty) = (
        app.login("grid").await,
        app.login("street").await,
        app.login("duty").await,
    );
    let region = own_region(app, &grid).await;
    let first = file(app, &grid, &event("gas", &region)).await;
    let mut near = event("gas", &region);
    near["lon"] = json!(115.9903);
    let second = file(app, &grid, &near).await;
    let mut far = event("gas", &region);
    far["lon"] = json!(116.0);
    let far = file(app, &grid, &far).await;
    let other = file(app, &grid, &event("fire_safety", &region)).await;
    let (a, b) = (
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    );
    let (s, v) = app.get(&duty, &format!("{PATH}/{b}/duplicates")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&a), "{v}");
    assert!(
        !ids.contains(&far["id"].as_str().unwrap())
            && !ids.contains(&other["id"].as_str().unwrap()),
        "{v}"
    );
    // Only the duty room merges; not into itself.
    let merge = format!("{PATH}/{b}/merge");
    let (s, _) = app.post(&street, &merge, &json!({"into": a})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app.post(&duty, &merge, &json!({"into": b})).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("into")),
        "{v}"
    );
    let (s, v) = app.post(&duty, &merge, &json!({"into": other["id"]})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = app.post(&duty, &merge, &json!({"into": a})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (
            v["event"]["status"].as_str(),
            v["event"]["merged_into"].as_str()
        ),
        (Some("merged"), Some(a)),
        "{v}"
    );
    assert_eq!(
        yingji_store::kernel::timers::pending_for(&app.store, b)
            .await
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'grid.event_merged'"
        )
        .await,
        1
    );
    // Merged once: not again; the main event no longer proposes it.
    let (s, _) = app.post(&duty, &merge, &json!({"into": a})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (_, v) = app.get(&duty, &format!("{PATH}/{a}/duplicates")).await;
    assert!(!v.to_string().contains(b), "{v}");
    // A public report merged into the main event: its tracking page follows the main one.
    let anon = app.anonymous();
    let mut body = event("gas", &region);
    body["reporter_name"] = json!(null);
    body["reporter_phone"] = json!(null);
    let (s, r) = app.post(&anon, "/api/public/grid-events", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let tracking = r["tracking_code"].as_str().unwrap();
    let (_, found) = app
        .get(&duty, &format!("{PATH}?q={}", r["code"].as_str().unwrap()))
        .await;
    let pid = found["items"][0]["id"].as_str().unwrap().to_string();
    let (s, v) = app
        .post(&duty, &format!("{PATH}/{pid}/merge"), &json!({"into": a}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, t) = app
        .get(&anon, &format!("/api/public/grid-events/{tracking}"))
        .await;
    assert_eq!(t["merged_into"], first["code"], "{t}");
    assert_eq!(t["status"], first["status"], "{t}");
    assert_eq!(t["visit_open"], false, "{t}");
}
both!(proposed_and_merged);
