//! The datum of posted points: a point given in GCJ-02 (高德, 腾讯) is stored converted to
//! CGCS2000, one in CGCS2000 (or WGS84) as sent; a bad datum is refused naming `datum`, with
//! nothing stored.

use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::datum::{gcj02_to_wgs84, wgs84_to_gcj02};

/// The caller's own region's label point (inside it), in CGCS2000.
async fn own_point(app: &TestApp, c: &Client) -> (String, [f64; 2]) {
    let (_, me) = app.get(c, "/api/v1/auth/me").await;
    let code = me["user"]["region_code"]
        .as_str()
        .expect("region")
        .to_string();
    let (_, region) = app.get(c, &format!("/api/v1/regions/{code}")).await;
    let p = [
        region["center"][0].as_f64().expect("lon"),
        region["center"][1].as_f64().expect("lat"),
    ];
    (code, p)
}

fn assert_stored(v: &Value, want: [f64; 2]) {
    let got = [
        v["lon"].as_f64().expect("lon"),
        v["lat"].as_f64().expect("lat"),
    ];
    assert!(
        (got[0] - want[0]).abs() < 1e-6 && (got[1] - want[1]).abs() < 1e-6,
        "stored {got:?}, want {want:?}"
    );
}

async fn gcj02_points_are_stored_in_cgcs2000(app: &TestApp) {
    let grid = app.login("grid").await;
    let (code, here) = own_point(app, &grid).await;
    // The point as a 高德 map shows it, a few hundred metres off.
    let g = wgs84_to_gcj02(here[0], here[1]);
    let want = gcj02_to_wgs84(g[0], g[1]);
    assert!((g[0] - here[0]).abs() > 1e-3, "GCJ-02 is offset");
    let body = json!({"category": "site", "description": "消防通道被占用", "location": "滨江路12号",
        "region_code": code, "lon": g[0], "lat": g[1], "datum": "gcj02"});
    let (s, h) = app.post(&grid, "/api/v1/hazards", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    assert_stored(&h, want);
    let (_, read) = app
        .get(
            &grid,
            &format!("/api/v1/hazards/{}", h["id"].as_str().expect("id")),
        )
        .await;
    assert_stored(&read, want);
    // A patrol check-in, likewise; converted, the point is the grid's own again.
    let (s, p) = app
        .post(
            &grid,
            "/api/v1/patrols",
            &json!({"lon": g[0], "lat": g[1], "datum": "gcj02"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_stored(&p, want);
    assert_eq!(p["outside_area"], false, "{p}");
    // CGCS2000 (the default) and WGS84 are stored as sent.
    for datum in [json!("cgcs2000"), json!("wgs84"), Value::Null] {
        let (s, p) = app
            .post(
                &grid,
                "/api/v1/patrols",
                &json!({"lon": here[0], "lat": here[1], "datum": datum}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{datum}: {p}");
        assert_stored(&p, here);
    }
}
both!(gcj02_points_are_stored_in_cgcs2000);

async fn a_bad_datum_is_refused(app: &TestApp) {
    let grid = app.login("grid").await;
    let (code, here) = own_point(app, &grid).await;
    let hazards = app.count("hazards").await;
    let body = json!({"category": "site", "description": "消防通道被占用", "location": "滨江路12号",
        "region_code": code, "lon": here[0], "lat": here[1], "datum": "bd09"});
    let (s, e) = app.post(&grid, "/api/v1/hazards", &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "datum", "{e}");
    assert!(
        e["message"].as_str().unwrap_or("").contains("坐标系"),
        "{e}"
    );
    assert_eq!(app.count("hazards").await, hazards);
    // A check-in with a key: neither the check-in nor the key is stored.
    let r = grid
        .post(app.url("/api/v1/patrols"))
        .header("Idempotency-Key", "datum-0b6f3c1e-8d1a")
        .json(&json!({"lon": here[0], "lat": here[1], "datum": "GCJ-02"}))
        .send_checked()
        .await
        .expect("request");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e: Value = r.json().await.expect("json");
    assert_eq!(e["details"][0]["field"], "datum", "{e}");
    assert_eq!(app.count("patrols").await, 0);
    assert_eq!(app.count("idempotency_keys").await, 0);
    // Without a point the datum is still checked.
    let (s, e) = app
        .post(
            &grid,
            "/api/v1/hazards",
            &json!({"category": "site", "description": "消防通道被占用", "region_code": code, "datum": "bd09"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "datum", "{e}");
    assert_eq!(app.count("hazards").await, hazards);
    // An empty datum is the default (a required point: a team's base).
    let admin = app.login("admin").await;
    let (s, e) = app
        .post(
            &admin,
            "/api/v1/teams",
            &json!({"name": "坐标测试队", "kind": "social", "headcount": 5, "base_address": "滨江路",
                "lon": here[0], "lat": here[1], "datum": "", "region_code": "360403",
                "leader": "张三", "phone": "13900000001"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    assert_stored(&e, here);
}
both!(a_bad_datum_is_refused);
