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

/// Issue 18: a boundary with an enclave (飞地) keeps its interior ring: stored and served back,
/// the label point is not taken in the hole, and a hole that is not inside its outer ring is
/// refused. (A warning for such a region leaves the hole out: tests/api/warning/warnings/areas.rs.)
async fn boundaries_keep_their_holes(app: &TestApp) {
    let admin = app.login("admin").await;
    let ring =
        |x: f64, y: f64, d: f64| json!([[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]);
    // A square with a large hole: the centroid of its vertices lies in the hole.
    let boundary = json!({"type": "MultiPolygon", "coordinates": [
        [ring(115.95, 29.70, 0.02), ring(115.952, 29.702, 0.016)],
        [ring(115.98, 29.70, 0.005)],
    ]});
    let (s, c) = app.post(&admin, "/api/v1/regions", &json!({"code": "360403001917", "name": "飞地社区", "level": "community", "parent_code": "360403001", "boundary": boundary})).await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let (_, geo) = app
        .get(&admin, "/api/v1/regions/360403001917/boundary")
        .await;
    assert_eq!(geo["type"], "MultiPolygon", "{geo}");
    assert_eq!(
        geo["coordinates"][0].as_array().map(Vec::len),
        Some(2),
        "{geo}"
    );
    assert_eq!(
        geo["coordinates"][1].as_array().map(Vec::len),
        Some(1),
        "{geo}"
    );
    let (x, y) = (
        c["center"][0].as_f64().expect("lon"),
        c["center"][1].as_f64().expect("lat"),
    );
    let in_hole = (115.952..=115.968).contains(&x) && (29.702..=29.718).contains(&y);
    assert!(!in_hole, "the label point {x},{y} lies in the enclave");
    let in_ring = (115.95..=115.97).contains(&x) && (29.70..=29.72).contains(&y);
    let in_island = (115.98..=115.985).contains(&x) && (29.70..=29.705).contains(&y);
    assert!(in_ring || in_island, "{x},{y}");

    let outside = json!({"type": "Polygon", "coordinates": [ring(115.95, 29.70, 0.02), ring(115.99, 29.70, 0.005)]});
    let (s, v) = app
        .put(
            &admin,
            "/api/v1/regions/360403001917",
            &json!({"name": "飞地社区", "boundary": outside}),
        )
        .await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("boundary")),
        "{v}"
    );
}
both!(boundaries_keep_their_holes);
