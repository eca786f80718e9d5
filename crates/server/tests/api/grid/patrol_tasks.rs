//! 巡查任务: given for one of the worker's grids, a track recorded (a bad point names its index and
//! stores nothing), finished; overdue after the due day on the test clock.

use super::overlays::{me, overlay, places, square};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use yingji_core::kernel::clock::{Clock, today};

const DAY: i64 = 86_400_000;

async fn tasks_and_tracks(app: &TestApp) {
    let street = app.login("street").await;
    let grid = app.login("grid").await;
    let (s, g, c) = places(app).await;
    let grid_id = me(app, &grid).await["id"].as_str().expect("id").to_string();
    let now = app.clock.now_ms();
    let day = today(now).to_string();
    let body = json!({"title": "汛期河道巡查", "assignee_id": grid_id, "grid_code": g, "due_day": day,
        "route": {"type": "LineString", "coordinates": [c, [c[0] + 0.0005, c[1]]]}});
    let (st, task) = app.post(&street, "/api/v1/grid/patrol-tasks", &body).await;
    assert_eq!(st, StatusCode::CREATED, "{task}");
    assert_eq!(task["status"], "pending");
    assert_eq!(task["grid_kind_label"], "综合网格");
    let id = task["id"].as_str().expect("id").to_string();
    // An overlay the worker is not in is not one of their grids.
    let (_, o) = app
        .post(
            &street,
            "/api/v1/grid/overlays",
            &overlay("YJ-401", "老城应急格", "emergency", &s, square(c, 0.001)),
        )
        .await;
    let mut in_overlay = body.clone();
    in_overlay["grid_code"] = json!("YJ-401");
    let (st, e) = app
        .post(&street, "/api/v1/grid/patrol-tasks", &in_overlay)
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "grid_code");
    let members = format!(
        "/api/v1/grid/overlays/{}/members",
        o["id"].as_str().expect("id")
    );
    app.post(&street, &members, &json!({"user_id": grid_id}))
        .await;
    let (st, t2) = app
        .post(&street, "/api/v1/grid/patrol-tasks", &in_overlay)
        .await;
    assert_eq!(st, StatusCode::CREATED, "{t2}");
    assert_eq!(t2["grid_kind_label"], "应急格");
    // A bad point: named with its index, nothing stored.
    let track = format!("/api/v1/grid/patrol-tasks/{id}/track");
    let bad = json!({"points": [{"lon": c[0], "lat": c[1], "t": now}, {"lon": 10.0, "lat": c[1], "t": now}]});
    let (st, e) = app.post(&grid, &track, &bad).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "points[1].lon");
    assert!(
        e["message"].as_str().unwrap_or("").contains("第2个点"),
        "{e}"
    );
    let (_, read) = app
        .get(&grid, &format!("/api/v1/grid/patrol-tasks/{id}"))
        .await;
    assert_eq!(read["track_points"], 0);
    assert_eq!(read["status"], "pending");
    // Good points: in progress; the street cannot record for the worker.
    let good = json!({"points": [{"lon": c[0], "lat": c[1], "t": now}, {"lon": c[0] + 0.0002, "lat": c[1], "t": now}]});
    let (st, v) = app.post(&grid, &track, &good).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(
        (v["status"].as_str(), v["track_points"].as_i64()),
        (Some("in_progress"), Some(2))
    );
    let (st, _) = app.post(&street, &track, &good).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let finish = format!("/api/v1/grid/patrol-tasks/{id}/finish");
    let (st, v) = app.post(&grid, &finish, &json!({})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "done");
    assert_eq!(v["status_label"], "已完成");
    let (st, _) = app.post(&grid, &finish, &json!({})).await;
    assert_eq!(st, StatusCode::CONFLICT);
    // A check-in names the other task: it is then in progress; another's task is refused.
    let t2_id = t2["id"].as_str().expect("id");
    let (st, p) = app
        .post(
            &grid,
            "/api/v1/patrols",
            &json!({"lon": c[0], "lat": c[1], "task_id": t2_id}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    assert_eq!(p["task_id"], t2_id);
    let (_, t2) = app
        .get(&grid, &format!("/api/v1/grid/patrol-tasks/{t2_id}"))
        .await;
    assert_eq!(t2["status"], "in_progress");
    let (st, e) = app
        .post(
            &street,
            "/api/v1/patrols",
            &json!({"lon": c[0], "lat": c[1], "task_id": t2_id}),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "task_id");
    // The worker's page lists both; after the due day the open one is overdue.
    let (_, m) = app.get(&grid, "/api/v1/grid/mine").await;
    assert_eq!(m["patrol_tasks"].as_array().map(Vec::len), Some(2), "{m}");
    app.clock.advance(2 * DAY);
    // Sessions lapse over two idle days.
    let (grid, street) = (app.login("grid").await, app.login("street").await);
    let (_, l) = app.get(&grid, "/api/v1/grid/patrol-tasks").await;
    let statuses: Vec<&str> = l["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["status"].as_str())
        .collect();
    assert!(
        statuses.contains(&"overdue") && statuses.contains(&"done"),
        "{l}"
    );
    // A due day in the past is refused.
    let (st, e) = app.post(&street, "/api/v1/grid/patrol-tasks", &body).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "due_day");
    // Audited: given, started, finished.
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?entity_type=grid_patrol_task",
        )
        .await;
    let n = audit["items"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(n, 5, "{audit}");
}
both!(tasks_and_tracks);
