use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

async fn create_update_delete(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = first_grid(app, &admin, "360403002").await;
    let mut body = enterprise_body(100, &grid, "hazchem");
    body["categories"] = json!(["hazchem", "消防重点单位"]);
    body["flags"] = json!(["重大危险源", "uses_hazchem"]);
    body["scale"] = json!("规上");
    let (s, e) = app.post(&admin, "/api/v1/enterprises", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    assert_eq!(e["categories"], json!(["hazchem", "fire_key"]));
    assert_eq!(e["category_labels"], json!(["危险化学品", "消防重点单位"]));
    assert_eq!(e["flags"], json!(["major_hazard", "uses_hazchem"]));
    assert_eq!(e["scale"], "above");
    assert_eq!(e["street_name"], "湓浦街道");
    let id = e["id"].as_str().unwrap().to_string();

    // A second enterprise with the same code is refused and nothing is stored.
    let before = app.count("enterprises").await;
    let mut dup = enterprise_body(100, &grid, "industry_trade");
    dup["name"] = json!("另一家公司");
    dup["uscc"] = json!(uscc(100).to_lowercase());
    let (s, err) = app.post(&admin, "/api/v1/enterprises", &dup).await;
    assert_eq!(s, StatusCode::CONFLICT, "{err}");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("统一社会信用代码")
    );
    assert_eq!(err["details"][0]["field"], "uscc");
    assert_eq!(app.count("enterprises").await, before);

    body["name"] = json!("改名后的公司");
    let (s, e) = app
        .put(&admin, &format!("/api/v1/enterprises/{id}"), &body)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(e["name"], "改名后的公司");
    let (_, got) = app.get(&admin, &format!("/api/v1/enterprises/{id}")).await;
    assert_eq!(got["name"], "改名后的公司");
    assert_eq!(
        app.delete(&admin, &format!("/api/v1/enterprises/{id}"))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&admin, &format!("/api/v1/enterprises/{id}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}
both!(create_update_delete);

async fn list_search_filter_sort_page(app: &TestApp) {
    let admin = app.login("admin").await;
    let (_, all) = app.get(&admin, "/api/v1/enterprises?page_size=5").await;
    let total = all["total"].as_i64().unwrap();
    assert_eq!(total, 400);
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    let (_, p2) = app
        .get(
            &admin,
            "/api/v1/enterprises?page_size=5&page=2&sort=name&order=asc",
        )
        .await;
    let (_, p1) = app
        .get(
            &admin,
            "/api/v1/enterprises?page_size=5&page=1&sort=name&order=asc",
        )
        .await;
    let names: Vec<&str> = p1["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(p2["items"].as_array().unwrap())
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let (_, hz) = app
        .get(&admin, "/api/v1/enterprises?category=hazchem&page_size=500")
        .await;
    assert!(hz["total"].as_i64().unwrap() > 0 && hz["total"].as_i64().unwrap() < total);
    assert!(hz["items"].as_array().unwrap().iter().all(|e| {
        e["categories"]
            .as_array()
            .unwrap()
            .contains(&json!("hazchem"))
    }));
    // Labels work as filter values too.
    let (_, hz2) = app.get(&admin, "/api/v1/enterprises?category=%E5%8D%B1%E9%99%A9%E5%8C%96%E5%AD%A6%E5%93%81&page_size=1").await;
    assert_eq!(hz2["total"], hz["total"]);
    let (_, search) = app
        .get(&admin, "/api/v1/enterprises?q=%E5%8C%96%E5%B7%A5")
        .await; // 化工
    assert!(
        search["items"].as_array().unwrap().iter().all(|e| e["name"]
            .as_str()
            .unwrap()
            .contains("化工")
            || e["address"].as_str().unwrap().contains("化工"))
    );
    let (_, mh) = app
        .get(
            &admin,
            "/api/v1/enterprises?flag=major_hazard&page_size=500",
        )
        .await;
    assert!(mh["items"].as_array().unwrap().iter().all(|e| {
        e["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("major_hazard"))
    }));
    let (_, street) = app
        .get(&admin, "/api/v1/enterprises?region=360403001&page_size=500")
        .await;
    assert!(
        street["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["grid_code"].as_str().unwrap().starts_with("360403001"))
    );
    let (_, by_emp) = app
        .get(
            &admin,
            "/api/v1/enterprises?sort=employees&order=desc&page_size=3",
        )
        .await;
    let emps: Vec<i64> = by_emp["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["employees"].as_i64().unwrap())
        .collect();
    assert!(emps.windows(2).all(|w| w[0] >= w[1]));
    // Wildcards in the search are taken literally.
    let (_, pct) = app.get(&admin, "/api/v1/enterprises?q=%25").await;
    assert_eq!(pct["total"], 0);
}
both!(list_search_filter_sort_page);

/// Issue 18 item 8: deleting an enterprise that sensors still refer to answers 409 naming them
/// (not 500 from the foreign key), and nothing is deleted.
async fn delete_names_what_still_refers(app: &TestApp) {
    let admin = app.login("admin").await;
    let ent = app.login("enterprise").await;
    let sensor = json!({"code": "LT-901", "name": "液位计", "kind": "level", "unit": "m",
        "object_name": "储罐", "threshold_h": "8", "threshold_hh": "9", "hysteresis": "0.1"});
    let (s, b) = app.post(&ent, "/api/v1/sensors", &sensor).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let (_, me) = app.get(&ent, "/api/v1/auth/me").await;
    let id = me["user"]["enterprise_id"].as_str().unwrap().to_string();
    let (s, v) = app
        .delete(&admin, &format!("/api/v1/enterprises/{id}"))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let m = v["message"].as_str().unwrap_or("");
    assert!(m.contains("传感器") && m.contains("企业用户账号"), "{v}");
    assert_eq!(
        app.get(&admin, &format!("/api/v1/enterprises/{id}"))
            .await
            .0,
        StatusCode::OK
    );
}
both!(delete_names_what_still_refers);
