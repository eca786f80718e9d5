//! 网格事件 on the 工作台: the duty room's 待分拨 and 待回访, the unit's 待签收/处置/反馈 — each only
//! the caller's, the running deadline shown.

use super::events::{PATH, event, file, own_region};
use crate::both;
use crate::helpers::TestApp;
use serde_json::{Value, json};

fn todo_ids(w: &Value, kind: &str) -> Vec<String> {
    w["todos"]
        .as_array()
        .expect("todos")
        .iter()
        .find(|t| t["kind"] == kind)
        .map(|g| {
            g["items"]
                .as_array()
                .expect("items")
                .iter()
                .map(|i| i["id"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn grid_events_on_the_workbench(app: &TestApp) {
    let (grid, street, duty, zjj) = (
        app.login("grid").await,
        app.login("street").await,
        app.login("duty").await,
        app.login("zjj").await,
    );
    let region = own_region(app, &grid).await;
    let gas = file(app, &grid, &event("gas", &region)).await;
    let other = file(app, &grid, &event("other", &region)).await;
    let (gas, other) = (gas["id"].as_str().unwrap(), other["id"].as_str().unwrap());
    let (_, w) = app.get(&street, "/api/v1/workbench").await;
    assert_eq!(todo_ids(&w, "handle_grid_events"), [gas], "{w}");
    let (_, w) = app.get(&zjj, "/api/v1/workbench").await;
    assert!(todo_ids(&w, "handle_grid_events").is_empty(), "{w}");
    let (_, w) = app.get(&duty, "/api/v1/workbench").await;
    assert_eq!(todo_ids(&w, "dispatch_grid_events"), [other], "{w}");
    assert!(todo_ids(&w, "visit_grid_events").is_empty(), "{w}");
    // Handled and answered at once: off the street's list, onto the duty room's 回访.
    app.post(&street, &format!("{PATH}/{gas}/accept"), &json!({}))
        .await;
    let done = json!({"result": "已关阀检修", "answer": "已处置，软管已更换"});
    app.post(&street, &format!("{PATH}/{gas}/handle"), &done)
        .await;
    let (_, w) = app.get(&street, "/api/v1/workbench").await;
    assert!(todo_ids(&w, "handle_grid_events").is_empty(), "{w}");
    let (_, w) = app.get(&duty, "/api/v1/workbench").await;
    assert_eq!(todo_ids(&w, "visit_grid_events"), [gas], "{w}");
}

both!(grid_events_on_the_workbench);
