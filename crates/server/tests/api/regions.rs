use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

async fn manage_tree(app: &TestApp) {
    let admin = app.login("admin").await;
    let (_, roots) = app.get(&admin, "/api/v1/regions?roots=true").await;
    assert_eq!(roots["items"][0]["code"], "360403");
    assert_eq!(roots["items"][0]["name"], "浔阳区");
    let (_, streets) = app.get(&admin, "/api/v1/regions?parent=360403").await;
    assert_eq!(streets["total"], 9);
    assert!(
        streets["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "甘棠街道")
    );
    let boundary = json!({"type": "Polygon", "coordinates": [[[115.95, 29.70], [115.96, 29.70], [115.96, 29.71], [115.95, 29.70]]]});
    let (s, c) = app.post(&admin, "/api/v1/regions", &json!({"code": "360403001901", "name": "新建社区", "level": "community", "parent_code": "360403001", "boundary": boundary})).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert!(c["center"].is_array());
    let (s, g) = app.post(&admin, "/api/v1/regions", &json!({"code": "360403001901001", "name": "新建社区第1网格", "level": "grid", "parent_code": "360403001901", "boundary": boundary})).await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    let (_, geo) = app
        .get(&admin, "/api/v1/regions/360403001901001/boundary")
        .await;
    assert_eq!(geo["type"], "Polygon");
    let (s, _) = app.delete(&admin, "/api/v1/regions/360403001901").await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, u) = app
        .put(
            &admin,
            "/api/v1/regions/360403001901",
            &json!({"name": "更名社区"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(u["name"], "更名社区");
    assert_eq!(
        app.delete(&admin, "/api/v1/regions/360403001901001")
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&admin, "/api/v1/regions/360403001901").await.0,
        StatusCode::NO_CONTENT
    );
    // A grid that holds enterprises cannot be deleted.
    let e = app.enterprise_in(&admin, "360403002").await;
    let (s, err) = app
        .delete(
            &admin,
            &format!("/api/v1/regions/{}", e["grid_code"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(err["message"].as_str().unwrap().contains("企业"));
    // Departments and users hang on regions too.
    let (s, d) = app
        .post(
            &admin,
            "/api/v1/departments",
            &json!({"name": "区城市管理局", "categories": ["燃气"], "region_code": "360403"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["categories"], json!(["gas"]));
    let (s, _) = app
        .post(
            &admin,
            "/api/v1/departments",
            &json!({"name": "区城市管理局", "region_code": "360403"}),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, u) = app.post(&admin, "/api/v1/users", &json!({"username": "cgj", "display_name": "城管燃气科", "role": "department_staff", "department_id": d["id"], "password": "Passw0rd1"})).await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    assert!(u["scope_label"].as_str().unwrap().contains("区城市管理局"));
    let (_, list) = app.get(&admin, "/api/v1/users?q=cgj").await;
    assert_eq!(list["total"], 1);
}
both!(manage_tree);
