//! 灾害信息员 editing: the linked grid-worker account (of the same street), retiring with a
//! reason, who may do either, and bad input.

use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;

const PATH: &str = "/api/v1/disasters/informants";

async fn edit_link_and_retire(app: &TestApp) {
    let street = app.login("street").await;
    let grid = app.login("grid").await;
    let (grid_id, _) = super::me(app, &grid).await;
    let (street_id, _) = super::me(app, &street).await;
    let body = json!({"region_code": "360403001007", "name": "周某", "phone": "13912345678"});
    let (s, v) = app.post(&street, PATH, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    // Edit: a backup person, a training record, the grid worker's account.
    let mut edit = body.clone();
    edit["backup_name"] = json!("吴某");
    edit["backup_phone"] = json!("13912345679");
    edit["trainings"] = json!([{"day": "2026-05-20", "topic": "汛前灾情报送培训"}]);
    edit["user_id"] = json!(grid_id);
    let (s, v) = app.put(&street, &format!("{PATH}/{id}"), &edit).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["backup_name"].as_str(), v["user_name"].as_str()),
        (Some("吴某"), Some("网格员"))
    );
    assert_eq!(v["trainings"][0]["topic"], "汛前灾情报送培训");
    // Not a grid worker's account; the grid worker may not edit.
    edit["user_id"] = json!(street_id);
    let (s, v) = app.put(&street, &format!("{PATH}/{id}"), &edit).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("user_id")),
        "{v}"
    );
    let (s, _) = app.put(&grid, &format!("{PATH}/{id}"), &body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Retire: the reason is required; afterwards no more edits.
    let retire = format!("{PATH}/{id}/retire");
    let (s, v) = app.post(&street, &retire, &json!({"reason": " "})).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("reason")),
        "{v}"
    );
    let (s, v) = app
        .post(&street, &retire, &json!({"reason": "外出务工"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["retired_reason"], "外出务工");
    let (s, _) = app.put(&street, &format!("{PATH}/{id}"), &body).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let n = app
        .store
        .fetch_i64(yingji_store::Sql::new(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('disaster.informant_update', 'disaster.informant_retire')",
        ))
        .await
        .expect("count");
    assert_eq!(n, 2);
}
both!(edit_link_and_retire);
