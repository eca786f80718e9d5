//! 网格事件: the loop closes. The unit reports 处置 and answers; the duty room's 回访 reopens an
//! unsatisfied event once (to the same unit, with fresh deadlines) and closes it after that;
//! only the unit reports, only the duty room visits.

use super::events::{PATH, file, own_region};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn status(v: &Value) -> &str {
    v["event"]["status"].as_str().unwrap_or_default()
}

async fn visit_reopens_once(app: &TestApp) {
    let (grid, street, duty) = (
        app.login("grid").await,
        app.login("street").await,
        app.login("duty").await,
    );
    let region = own_region(app, &grid).await;
    let e = file(app, &grid, &super::events::event("gas", &region)).await;
    let id = e["id"].as_str().unwrap().to_string();
    let at = |step: &str| format!("{PATH}/{id}/{step}");
    // Not before 签收; not by someone else.
    let (s, _) = app
        .post(&street, &at("handle"), &json!({"result": "已关阀检修"}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    app.post(&street, &at("accept"), &json!({})).await;
    let (s, _) = app
        .post(&duty, &at("handle"), &json!({"result": "已关阀检修"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .post(&street, &at("handle"), &json!({"result": " "}))
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("result"))
    );
    let (s, v) = app
        .post(
            &street,
            &at("handle"),
            &json!({"result": "联系燃气公司关阀检修，已更换老化软管"}),
        )
        .await;
    assert_eq!((s, status(&v)), (StatusCode::OK, "handled"), "{v}");
    let (s, v) = app
        .post(
            &street,
            &at("answer"),
            &json!({"answer": "您反映的燃气异味已处置，软管已更换"}),
        )
        .await;
    assert_eq!((s, status(&v)), (StatusCode::OK, "answered"), "{v}");
    // Only the duty room visits; unsatisfied reopens to the same unit with fresh deadlines.
    let (s, _) = app
        .post(&street, &at("visit"), &json!({"satisfied": true}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .post(
            &duty,
            &at("visit"),
            &json!({"satisfied": false, "note": "异味仍在"}),
        )
        .await;
    assert_eq!((s, status(&v)), (StatusCode::OK, "accepted"), "{v}");
    assert_eq!(
        (
            v["event"]["reopened"].as_bool(),
            v["event"]["unit_id"].as_str()
        ),
        (Some(true), Some(&region[..9]))
    );
    assert_eq!(
        yingji_store::kernel::timers::pending_for(&app.store, &id)
            .await
            .unwrap()
            .len(),
        1
    );
    // Handled and answered at once; unsatisfied again closes it.
    let (s, v) = app
        .post(
            &street,
            &at("handle"),
            &json!({"result": "复查管道，已加装报警器", "answer": "已复查并加装报警器"}),
        )
        .await;
    assert_eq!((s, status(&v)), (StatusCode::OK, "answered"), "{v}");
    let (s, v) = app
        .post(&duty, &at("visit"), &json!({"satisfied": false}))
        .await;
    assert_eq!((s, status(&v)), (StatusCode::OK, "closed"), "{v}");
    assert_eq!(v["event"]["satisfied"], false);
    assert_eq!(
        yingji_store::kernel::timers::pending_for(&app.store, &id)
            .await
            .unwrap()
            .len(),
        0
    );
    let (s, _) = app
        .post(&duty, &at("visit"), &json!({"satisfied": true}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // The public timeline lines, in order.
    let actions: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "受理",
            "分拨",
            "签收",
            "处置完成",
            "反馈",
            "回访不满意，重新办理",
            "处置完成",
            "反馈",
            "回访仍不满意，办结"
        ]
    );
}
both!(visit_reopens_once);
