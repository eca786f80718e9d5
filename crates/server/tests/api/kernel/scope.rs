//! For every resource: a caller of another scope gets 403/404 on read and write, and lists
//! never contain rows outside the caller's scope.

use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

const STREET: &str = "360403001"; // 甘棠街道, the demo street account's scope
const OTHER_STREET: &str = "360403003";

fn items(v: &Value) -> &Vec<Value> {
    v["items"].as_array().expect("items")
}

async fn enterprises_by_region(app: &TestApp) {
    let admin = app.login("admin").await;
    let street = app.login("street").await;
    let (_, all) = app.get(&admin, "/api/v1/enterprises?page_size=500").await;
    let (s, mine) = app.get(&street, "/api/v1/enterprises?page_size=500").await;
    assert_eq!(s, StatusCode::OK);
    assert!(mine["total"].as_i64().unwrap() > 0);
    assert!(mine["total"].as_i64().unwrap() < all["total"].as_i64().unwrap());
    assert!(
        items(&mine)
            .iter()
            .all(|e| e["grid_code"].as_str().unwrap().starts_with(STREET))
    );
    // Asking for another region through a filter does not widen the scope.
    let (_, other_filter) = app
        .get(
            &street,
            &format!("/api/v1/enterprises?region={OTHER_STREET}"),
        )
        .await;
    assert_eq!(other_filter["total"], 0);

    let foreign = app.enterprise_in(&admin, OTHER_STREET).await;
    let id = foreign["id"].as_str().unwrap();
    assert_eq!(
        app.get(&street, &format!("/api/v1/enterprises/{id}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let mut body = enterprise_body(1, foreign["grid_code"].as_str().unwrap(), "industry_trade");
    body["uscc"] = foreign["uscc"].clone();
    assert_eq!(
        app.put(&street, &format!("/api/v1/enterprises/{id}"), &body)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&street, &format!("/api/v1/enterprises/{id}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    // Creating in another street is forbidden and stores nothing.
    let before = app.count("enterprises").await;
    let grid = first_grid(app, &admin, OTHER_STREET).await;
    let (s, body) = app
        .post(
            &street,
            "/api/v1/enterprises",
            &enterprise_body(2, &grid, "industry_trade"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(app.count("enterprises").await, before);
    // Inside the street works.
    let grid = first_grid(app, &admin, STREET).await;
    assert_eq!(
        app.post(
            &street,
            "/api/v1/enterprises",
            &enterprise_body(3, &grid, "industry_trade")
        )
        .await
        .0,
        StatusCode::CREATED
    );

    // The grid worker sees only the grid.
    let g = app.login("grid").await;
    let (_, mine) = app.get(&g, "/api/v1/enterprises?page_size=500").await;
    let (_, me) = app.get(&g, "/api/v1/auth/me").await;
    let grid_code = me["user"]["region_code"].as_str().unwrap().to_string();
    assert!(
        items(&mine)
            .iter()
            .all(|e| e["grid_code"] == grid_code.as_str())
    );
}
both!(enterprises_by_region);

async fn enterprises_by_department(app: &TestApp) {
    let admin = app.login("admin").await;
    let yjj = app.login("yjj").await; // 应急局: 危化、非煤矿山、工贸、烟花爆竹
    let (_, mine) = app.get(&yjj, "/api/v1/enterprises?page_size=500").await;
    let own = ["hazchem", "mining", "industry_trade", "fireworks"];
    assert!(mine["total"].as_i64().unwrap() > 0);
    for e in items(&mine) {
        assert!(
            e["categories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| own.contains(&c.as_str().unwrap())),
            "{e}"
        );
    }
    // A 九小场所 is another department's business.
    let (_, venues) = app
        .get(
            &admin,
            "/api/v1/enterprises?category=small_venue&page_size=1",
        )
        .await;
    let venue = &items(&venues)[0];
    let id = venue["id"].as_str().unwrap();
    assert_eq!(
        app.get(&yjj, &format!("/api/v1/enterprises/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    let grid = venue["grid_code"].as_str().unwrap();
    let (s, _) = app
        .post(
            &yjj,
            "/api/v1/enterprises",
            &enterprise_body(10, grid, "small_venue"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post(
            &yjj,
            "/api/v1/enterprises",
            &enterprise_body(11, grid, "hazchem")
        )
        .await
        .0,
        StatusCode::CREATED
    );
    // Departments: a department user sees only its own department.
    let (_, depts) = app.get(&yjj, "/api/v1/departments").await;
    assert_eq!(depts["total"], 1);
    assert_eq!(items(&depts)[0]["name"], "区应急管理局");
    let (_, all) = app.get(&admin, "/api/v1/departments").await;
    let other = items(&all)
        .iter()
        .find(|d| d["name"] != "区应急管理局")
        .unwrap();
    assert_eq!(
        app.get(
            &yjj,
            &format!("/api/v1/departments/{}", other["id"].as_str().unwrap())
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    let (s, _) = app
        .put(
            &yjj,
            &format!("/api/v1/departments/{}", other["id"].as_str().unwrap()),
            &json!({"name": "x", "region_code": "360403"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post(
            &yjj,
            "/api/v1/departments",
            &json!({"name": "新部门", "region_code": "360403"})
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
}
both!(enterprises_by_department);

async fn enterprise_user_sees_only_itself(app: &TestApp) {
    let admin = app.login("admin").await;
    let ent = app.login("enterprise").await;
    let (_, me) = app.get(&ent, "/api/v1/auth/me").await;
    let own_id = me["user"]["enterprise_id"].as_str().unwrap().to_string();
    let (_, mine) = app.get(&ent, "/api/v1/enterprises").await;
    assert_eq!(mine["total"], 1);
    assert_eq!(items(&mine)[0]["id"], own_id.as_str());
    let (_, all) = app.get(&admin, "/api/v1/enterprises?page_size=2").await;
    let other = items(&all)
        .iter()
        .find(|e| e["id"] != own_id.as_str())
        .unwrap();
    assert_eq!(
        app.get(
            &ent,
            &format!("/api/v1/enterprises/{}", other["id"].as_str().unwrap())
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    // It may update its own contacts, but not move itself to another grid.
    let (_, own) = app
        .get(&ent, &format!("/api/v1/enterprises/{own_id}"))
        .await;
    let mut body = json!({
        "name": own["name"], "uscc": own["uscc"], "industry_code": own["industry_code"], "categories": own["categories"],
        "address": own["address"], "lon": own["lon"], "lat": own["lat"], "grid_code": own["grid_code"],
        "safety_officer_name": "新安全员", "safety_officer_phone": "13900000000",
    });
    let (s, updated) = app
        .put(&ent, &format!("/api/v1/enterprises/{own_id}"), &body)
        .await;
    assert_eq!(s, StatusCode::OK, "{updated}");
    assert_eq!(updated["safety_officer_name"], "新安全员");
    body["grid_code"] = json!(first_grid(app, &admin, OTHER_STREET).await);
    assert_eq!(
        app.put(&ent, &format!("/api/v1/enterprises/{own_id}"), &body)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            &ent,
            "/api/v1/enterprises",
            &enterprise_body(20, own["grid_code"].as_str().unwrap(), "industry_trade")
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    // No departments, no users, no audit, only the regions containing it.
    assert_eq!(app.get(&ent, "/api/v1/departments").await.1["total"], 0);
    let (_, regions) = app.get(&ent, "/api/v1/regions").await;
    assert!(items(&regions).iter().all(|r| {
        own["grid_code"]
            .as_str()
            .unwrap()
            .starts_with(r["code"].as_str().unwrap())
    }));
    assert_eq!(
        app.get(&ent, "/api/v1/users").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&ent, "/api/v1/audit").await.0,
        StatusCode::FORBIDDEN
    );
}
both!(enterprise_user_sees_only_itself);

async fn regions_and_map_layers(app: &TestApp) {
    let admin = app.login("admin").await;
    let street = app.login("street").await;
    let (_, regions) = app.get(&street, "/api/v1/regions").await;
    assert!(regions["total"].as_i64().unwrap() > 1);
    assert!(
        items(&regions)
            .iter()
            .all(|r| r["code"].as_str().unwrap().starts_with(STREET))
    );
    let (_, roots) = app.get(&street, "/api/v1/regions?roots=true").await;
    assert_eq!(roots["total"], 1);
    assert_eq!(items(&roots)[0]["code"], STREET);
    assert_eq!(
        app.get(&street, &format!("/api/v1/regions/{OTHER_STREET}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&street, &format!("/api/v1/regions/{OTHER_STREET}/boundary"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (s, _) = app
        .put(
            &street,
            &format!("/api/v1/regions/{STREET}"),
            &json!({"name": "改名"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.post(&street, "/api/v1/regions", &json!({"code": "360403001999", "name": "新社区", "level": "community", "parent_code": STREET})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Map layers are cut to the scope too.
    let (s, layer) = app.get(&street, "/api/v1/map/regions").await;
    assert_eq!(s, StatusCode::OK);
    let features = layer["features"].as_array().unwrap();
    assert!(!features.is_empty());
    assert!(features.iter().all(|f| {
        f["properties"]["code"]
            .as_str()
            .unwrap()
            .starts_with(STREET)
    }));
    let (_, points) = app.get(&street, "/api/v1/map/enterprises").await;
    let (_, listed) = app.get(&street, "/api/v1/enterprises?page_size=1").await;
    assert_eq!(
        points["features"].as_array().unwrap().len() as i64,
        listed["total"].as_i64().unwrap()
    );
    let (_, all_points) = app.get(&admin, "/api/v1/map/enterprises").await;
    assert!(
        all_points["features"].as_array().unwrap().len()
            > points["features"].as_array().unwrap().len()
    );
    // Users and audit are administrators' business.
    assert_eq!(
        app.get(&street, "/api/v1/users").await.0,
        StatusCode::FORBIDDEN
    );
    let (_, me) = app.get(&admin, "/api/v1/auth/me").await;
    assert_eq!(
        app.get(
            &street,
            &format!("/api/v1/users/{}", me["user"]["id"].as_str().unwrap())
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.post(&street, "/api/v1/users", &json!({"username": "x1234", "display_name": "x", "role": "admin", "password": "Passw0rd1"})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&street, "/api/v1/audit").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get(&street, "/api/v1/audit/verify").await.0,
        StatusCode::FORBIDDEN
    );
}
both!(regions_and_map_layers);

/// Issue 18 item 7: records without an enterprise are not an enterprise's to read; the duty room
/// is closed to grid workers and enterprises; feed addresses (which may carry keys) are whole
/// only for administrators.
async fn reads_without_an_enterprise_are_scoped(app: &TestApp) {
    let admin = app.login("admin").await;
    let duty = app.login("duty").await;
    let ent = app.login("enterprise").await;
    let grid = app.login("grid").await;
    let url = "https://feeds.example.cn/cap/atom.xml?apikey=s3cret";
    let (s, feed) = app
        .post(
            &duty,
            "/api/v1/warning-feeds",
            &json!({"name": "市气象台预警", "url": url, "active": false}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{feed}");
    let (_, mine) = app.get(&ent, "/api/v1/warning-feeds").await;
    assert_eq!(mine["total"], 0, "{mine}");
    let id = feed["id"].as_str().unwrap();
    let (s, _) = app
        .get(&ent, &format!("/api/v1/warning-feeds/{id}/entries"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, seen) = app.get(&duty, "/api/v1/warning-feeds").await;
    assert!(!seen.to_string().contains("s3cret"), "{seen}");
    assert_eq!(
        items(&seen)[0]["url"],
        "https://feeds.example.cn/cap/atom.xml?…"
    );
    let (_, whole) = app.get(&admin, "/api/v1/warning-feeds").await;
    assert_eq!(items(&whole)[0]["url"], url);
    // Plans are the government's: an enterprise sees none.
    let (_, plans) = app.get(&ent, "/api/v1/plans").await;
    assert_eq!(plans["total"], 0, "{plans}");
    // The duty room: names, phones and the log are for bureau staff.
    let day = yingji_core::kernel::clock::today(app.clock.now_ms()).to_string();
    for c in [&ent, &grid] {
        for path in [
            format!("/api/v1/duty/log?day={day}"),
            format!("/api/v1/duty/daily?day={day}"),
            format!("/api/v1/duty/shifts?from={day}&to={day}"),
        ] {
            assert_eq!(app.get(c, &path).await.0, StatusCode::FORBIDDEN, "{path}");
        }
    }
    assert_eq!(
        app.get(&duty, &format!("/api/v1/duty/log?day={day}"))
            .await
            .0,
        StatusCode::OK
    );
}
both!(reads_without_an_enterprise_are_scoped);
