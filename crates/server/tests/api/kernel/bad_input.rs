//! Bad input is normal input: each case gets a 4xx with a Chinese message naming the field,
//! stores nothing and does not panic.

use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

async fn malformed_bodies(app: &TestApp) {
    let admin = app.login("admin").await;
    let before = app.count("enterprises").await;
    let url = app.url("/api/v1/enterprises");
    let raw = |body: &'static str| {
        admin
            .post(&url)
            .header("content-type", "application/json")
            .body(body)
            .send_checked()
    };
    let (s, e) = json(raw("{\"name\": ").await.unwrap()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["message"], "请求体不是有效的JSON");
    let (s, e) = json(raw("[1,2]").await.unwrap()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let grid = first_grid(app, &admin, "360403001").await;
    let mut body = enterprise_body(200, &grid, "hazchem");
    body["lon"] = json!("东经116度");
    let (s, e) = app.post(&admin, "/api/v1/enterprises", &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["message"], "字段“lon”类型错误，应为数字");
    assert_eq!(e["details"][0]["field"], "lon");
    let mut body = enterprise_body(201, &grid, "hazchem");
    body.as_object_mut().unwrap().remove("name");
    let (s, e) = app.post(&admin, "/api/v1/enterprises", &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["message"], "缺少必填字段“name”");
    let mut body = enterprise_body(202, &grid, "hazchem");
    body["color"] = json!("red");
    let (s, e) = app.post(&admin, "/api/v1/enterprises", &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains("color"));
    let (s, e) = json(
        admin
            .post(&url)
            .header("content-type", "text/plain")
            .body("hello")
            .send_checked()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(e["message"].as_str().unwrap().contains("JSON"));
    let huge = format!("{{\"name\": \"{}\"}}", "长".repeat(600_000));
    let r = admin
        .post(&url)
        .header("content-type", "application/json")
        .body(huge)
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json(r).await.1["message"], "请求体过大");
    assert_eq!(app.count("enterprises").await, before);
}
both!(malformed_bodies);

async fn rule_violations_name_fields(app: &TestApp) {
    let admin = app.login("admin").await;
    let before = app.count("enterprises").await;
    let grid = first_grid(app, &admin, "360403001").await;
    let mut body = enterprise_body(300, &grid, "hazchem");
    body["uscc"] = json!("91350100M000100Y44");
    body["lon"] = json!(200.0);
    body["principal_phone"] = json!("12345");
    body["categories"] = json!(["不存在的类别"]);
    let (s, e) = app.post(&admin, "/api/v1/enterprises", &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = e["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["uscc", "categories", "lon", "principal_phone"]);
    assert!(
        e["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("校验位")
    );
    assert!(
        e["details"][2]["message"]
            .as_str()
            .unwrap()
            .contains("经度")
    );
    let mut body = enterprise_body(301, "360403999999999", "hazchem");
    body["name"] = json!("网格不存在");
    let (s, e) = app.post(&admin, "/api/v1/enterprises", &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "grid_code");
    // A street is not a grid.
    let (s, e) = app
        .post(
            &admin,
            "/api/v1/enterprises",
            &enterprise_body(302, "360403001", "hazchem"),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "grid_code");
    assert_eq!(app.count("enterprises").await, before);
}
both!(rule_violations_name_fields);

async fn bad_regions_and_queries(app: &TestApp) {
    let admin = app.login("admin").await;
    let before = app.count("regions").await;
    let (s, e) = app.post(&admin, "/api/v1/regions", &json!({"code": "360403777888", "name": "孤儿社区", "level": "community", "parent_code": "360403777"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "parent_code");
    assert!(e["message"].as_str().unwrap().contains("不存在"));
    let (s, e) = app.post(&admin, "/api/v1/regions", &json!({"code": "360403001777", "name": "错层社区", "level": "community", "parent_code": "360403"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        e["message"].as_str().unwrap().contains("上级区划应为"),
        "{e}"
    );
    let (s, e) = app.post(&admin, "/api/v1/regions", &json!({"code": "36040300177", "name": "短码", "level": "community", "parent_code": "360403001"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "code");
    let (s, e) = app.post(&admin, "/api/v1/regions", &json!({"code": "360403001777", "name": "坏边界", "level": "community", "parent_code": "360403001",
        "boundary": {"type": "Polygon", "coordinates": [[[115.9, 29.7], [115.91, 29.7], [115.91, 29.71]]]}})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "boundary");
    let (s, e) = app.post(&admin, "/api/v1/regions", &json!({"code": "360403001", "name": "重复", "level": "street", "parent_code": "360403"})).await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert!(e["message"].as_str().unwrap().contains("已存在"));
    assert_eq!(app.count("regions").await, before);
    let (s, e) = app.get(&admin, "/api/v1/enterprises?page=abc").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "page");
    let (s, e) = app.get(&admin, "/api/v1/enterprises?sort=password").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "sort");
    let (s, e) = app.get(&admin, "/api/v1/enterprises?category=xyz").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "category");
    let (s, e) = app.get(&admin, "/api/v1/map/enterprises?bbox=1,2,3").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "bbox");
    let (s, _) = app.get(&admin, "/api/v1/enterprises?unknown=1").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = app.get(&admin, "/api/v1/nothing-here").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, e) = app.post(&admin, "/api/v1/users", &json!({"username": "ab", "display_name": "", "role": "street_staff", "password": "Passw0rd1"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = e["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["username", "display_name", "region_code"]);
}
both!(bad_regions_and_queries);
