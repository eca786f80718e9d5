//! 应急格 and 安监格: overlap refused naming the other grid, outside the street refused, locate
//! answers one grid per kind, import is all or nothing, members, the grid worker's page, and the
//! write matrix (a street cannot change another street's overlay).

use crate::both;
use crate::helpers::TestApp;
use crate::kernel::scope_matrix::{OTHER_STREET, Want, account, run, t};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;

pub async fn me(app: &TestApp, c: &Client) -> Value {
    app.get(c, "/api/v1/auth/me").await.1["user"].clone()
}

/// A region's label point (inside it).
pub async fn center(app: &TestApp, c: &Client, code: &str) -> [f64; 2] {
    let (s, r) = app.get(c, &format!("/api/v1/regions/{code}")).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    [
        r["center"][0].as_f64().expect("lon"),
        r["center"][1].as_f64().expect("lat"),
    ]
}

/// A square of side `d` degrees centred on `c`.
pub fn square(c: [f64; 2], d: f64) -> Value {
    let (x, y, h) = (c[0], c[1], d / 2.0);
    json!({"type": "Polygon", "coordinates": [[[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h], [x - h, y - h]]]})
}

pub fn overlay(code: &str, name: &str, kind: &str, street: &str, boundary: Value) -> Value {
    json!({"code": code, "name": name, "kind": kind, "street_code": street, "boundary": boundary})
}

/// The street user's street, the grid worker's grid and its label point.
pub async fn places(app: &TestApp) -> (String, String, [f64; 2]) {
    let street = app.login("street").await;
    let grid = app.login("grid").await;
    let s = me(app, &street).await["region_code"]
        .as_str()
        .expect("street")
        .to_string();
    let g = me(app, &grid).await["region_code"]
        .as_str()
        .expect("grid")
        .to_string();
    let c = center(app, &street, &g).await;
    (s, g, c)
}

async fn overlap_street_and_locate(app: &TestApp) {
    let street = app.login("street").await;
    let admin = app.login("admin").await;
    let (s, g, c) = places(app).await;
    let a = overlay("YJ-001", "老城应急格", "emergency", &s, square(c, 0.001));
    let (st, first) = app.post(&street, "/api/v1/grid/overlays", &a).await;
    assert_eq!(st, StatusCode::CREATED, "{first}");
    assert_eq!(first["kind_label"], "应急格");
    // An emergency grid overlapping it is refused, naming it; nothing stored.
    let b = overlay(
        "YJ-002",
        "码头应急格",
        "emergency",
        &s,
        square([c[0] + 0.0005, c[1]], 0.001),
    );
    let (st, e) = app.post(&street, "/api/v1/grid/overlays", &b).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "boundary");
    let msg = e["details"][0]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("老城应急格") && msg.contains("YJ-001"),
        "{msg}"
    );
    assert_eq!(app.count("grid_overlays").await, 1);
    // A safety grid may lie on the same place (one of each kind).
    let (st, safety) = app
        .post(
            &street,
            "/api/v1/grid/overlays",
            &overlay("AJ-001", "老城安监格", "safety", &s, square(c, 0.001)),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED, "{safety}");
    // Both on 一张图's layer, with their boundaries.
    let (st, layer) = app.get(&street, "/api/v1/map/layers/grid_overlays").await;
    assert_eq!(st, StatusCode::OK, "{layer}");
    assert_eq!(
        layer["features"].as_array().map(Vec::len),
        Some(2),
        "{layer}"
    );
    assert_eq!(layer["features"][0]["geometry"]["type"], "Polygon");
    // Outside the street: refused naming the street.
    let far = center(app, &admin, OTHER_STREET).await;
    let (st, e) = app
        .post(
            &street,
            "/api/v1/grid/overlays",
            &overlay("YJ-003", "越界应急格", "emergency", &s, square(far, 0.001)),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "boundary");
    assert!(
        e["message"].as_str().unwrap_or_default().contains("街道"),
        "{e}"
    );
    // Bad input names every field.
    let (st, e) = app
        .post(
            &street,
            "/api/v1/grid/overlays",
            &json!({"code": "", "name": "", "kind": "x", "street_code": s, "boundary": {"type": "Point"}}),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"].as_array().map(Vec::len), Some(4), "{e}");
    assert_eq!(app.count("grid_overlays").await, 2);
    // Locate: the comprehensive grid and one overlay of each kind.
    let (st, l) = app
        .get(
            &street,
            &format!("/api/v1/grid/locate?lon={}&lat={}", c[0], c[1]),
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{l}");
    let kinds: Vec<(&str, &str)> = l["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|g| {
            (
                g["kind"].as_str().unwrap_or(""),
                g["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("comprehensive", g.as_str()),
            ("emergency", "YJ-001"),
            ("safety", "AJ-001")
        ]
    );
    let (st, e) = app.get(&street, "/api/v1/grid/locate?lon=116.0").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "lat");
    // Changing it: moved onto nothing, renamed; the audit has both.
    let id = first["id"].as_str().expect("id");
    let mut changed = a.clone();
    changed["name"] = json!("老城区应急格");
    let (st, u) = app
        .put(&street, &format!("/api/v1/grid/overlays/{id}"), &changed)
        .await;
    assert_eq!(st, StatusCode::OK, "{u}");
    assert_eq!(u["name"], "老城区应急格");
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?entity_type=grid_overlay",
        )
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"grid.overlay_create"), "{audit}");
    assert!(actions.contains(&"grid.overlay_update"), "{audit}");
}
both!(overlap_street_and_locate);

async fn import_is_all_or_nothing(app: &TestApp) {
    let street = app.login("street").await;
    let (s, _, c) = places(app).await;
    let feature = |code: &str, kind: &str, at: [f64; 2]| {
        json!({"type": "Feature", "geometry": square(at, 0.001),
               "properties": {"code": code, "name": format!("{code}格"), "kind": kind, "street_code": s}})
    };
    let fc = |fs: Vec<Value>| json!({"type": "FeatureCollection", "features": fs});
    // The second feature has a bad kind, the third overlaps the first: nothing stored.
    let bad = fc(vec![
        feature("YJ-101", "emergency", c),
        feature("YJ-102", "grid", c),
        feature("YJ-103", "emergency", [c[0] + 0.0003, c[1]]),
    ]);
    let (st, e) = app
        .post(&street, "/api/v1/grid/overlays/import", &bad)
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    let fields: Vec<&str> = e["details"]
        .as_array()
        .expect("details")
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    assert_eq!(fields, ["features[1].kind", "features[2].boundary"], "{e}");
    assert!(
        e["details"][1]["message"]
            .as_str()
            .unwrap_or("")
            .contains("YJ-101"),
        "{e}"
    );
    assert_eq!(app.count("grid_overlays").await, 0);
    let good = fc(vec![
        feature("YJ-101", "emergency", c),
        feature("AJ-101", "safety", c),
    ]);
    let (st, v) = app
        .post(&street, "/api/v1/grid/overlays/import", &good)
        .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["total"], 2);
    assert_eq!(app.count("grid_overlays").await, 2);
    let (st, e) = app
        .post(
            &street,
            "/api/v1/grid/overlays/import",
            &json!({"type": "Feature"}),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "features");
}
both!(import_is_all_or_nothing);

async fn members_and_my_grids(app: &TestApp) {
    let street = app.login("street").await;
    let grid = app.login("grid").await;
    let (s, g, c) = places(app).await;
    let grid_id = me(app, &grid).await["id"].as_str().expect("id").to_string();
    let (_, a) = app
        .post(
            &street,
            "/api/v1/grid/overlays",
            &overlay("YJ-201", "老城应急格", "emergency", &s, square(c, 0.001)),
        )
        .await;
    let (_, other) = app
        .post(
            &street,
            "/api/v1/grid/overlays",
            &overlay("AJ-201", "老城安监格", "safety", &s, square(c, 0.001)),
        )
        .await;
    let a_id = a["id"].as_str().expect("id");
    let path = format!("/api/v1/grid/overlays/{a_id}/members");
    let (st, v) = app.post(&street, &path, &json!({"user_id": grid_id})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["members"][0]["user_name"], "网格员");
    let (st, cands) = app
        .get(&street, &format!("/api/v1/grid/overlays/{a_id}/candidates"))
        .await;
    assert_eq!(st, StatusCode::OK, "{cands}");
    assert!(
        cands["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|u| u["user_id"] == grid_id.as_str())
    );
    // Not a grid worker: refused naming the field.
    let ent = me(app, &app.login("enterprise").await).await["id"]
        .as_str()
        .expect("id")
        .to_string();
    let (st, e) = app.post(&street, &path, &json!({"user_id": ent})).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "user_id");
    // The grid worker reads only their overlays; their page has their grids.
    let (_, l) = app.get(&grid, "/api/v1/grid/overlays").await;
    assert_eq!(l["total"], 1, "{l}");
    let (st, _) = app
        .get(
            &grid,
            &format!(
                "/api/v1/grid/overlays/{}",
                other["id"].as_str().expect("id")
            ),
        )
        .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let hazard = json!({"category": "site", "description": "消防通道被占用", "location": "滨江路12号",
        "region_code": g, "lon": c[0], "lat": c[1]});
    let (st, h) = app.post(&grid, "/api/v1/hazards", &hazard).await;
    assert_eq!(st, StatusCode::CREATED, "{h}");
    let (st, m) = app.get(&grid, "/api/v1/grid/mine").await;
    assert_eq!(st, StatusCode::OK, "{m}");
    assert_eq!(m["hazards"][0]["description"], "消防通道被占用", "{m}");
    let codes: Vec<&str> = m["grids"]
        .as_array()
        .expect("grids")
        .iter()
        .filter_map(|g| g["code"].as_str())
        .collect();
    assert_eq!(codes, [g.as_str(), "YJ-201"]);
    assert_eq!(m["events"], json!([]));
    // The street staff see both; the enterprise none of it.
    let (_, l) = app.get(&street, "/api/v1/grid/overlays").await;
    assert_eq!(l["total"], 2);
    let (st, _) = app
        .get(&app.login("enterprise").await, "/api/v1/grid/mine")
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // Removed: the page no longer has it.
    let (st, v) = app.delete(&street, &format!("{path}/{grid_id}")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (_, m) = app.get(&grid, "/api/v1/grid/mine").await;
    assert_eq!(m["grids"].as_array().map(Vec::len), Some(1));
}
both!(members_and_my_grids);

async fn overlay_writes_by_scope(app: &TestApp) {
    let admin = app.login("admin").await;
    let street = app.login("street").await;
    let (s, g, c) = places(app).await;
    account(
        app,
        &admin,
        json!({"username": "ovother", "display_name": "他街道", "role": "street_staff", "region_code": OTHER_STREET}),
    )
    .await;
    let grid_id = me(app, &app.login("grid").await).await["id"]
        .as_str()
        .expect("id")
        .to_string();
    let body = overlay("YJ-301", "老城应急格", "emergency", &s, square(c, 0.001));
    let (_, a) = app.post(&street, "/api/v1/grid/overlays", &body).await;
    let id = a["id"].as_str().expect("id").to_string();
    let (_, task) = app
        .post(
            &street,
            "/api/v1/grid/patrol-tasks",
            &json!({"title": "汛期巡查", "assignee_id": grid_id, "grid_code": g, "due_day": "2099-01-01"}),
        )
        .await;
    let task = task["id"].as_str().expect("task").to_string();
    let fc = json!({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": square(c, 0.0005),
        "properties": {"code": "YJ-302", "name": "x", "kind": "safety", "street_code": s}}]});
    let mut moved = body.clone();
    moved["street_code"] = json!(OTHER_STREET);
    let point = json!({"points": [{"lon": c[0], "lat": c[1], "t": app.clock.now_ms()}]});
    let tries = vec![
        t(
            "ovother",
            "PUT",
            format!("/api/v1/grid/overlays/{id}"),
            body.clone(),
        ),
        t(
            "street",
            "PUT",
            format!("/api/v1/grid/overlays/{id}"),
            moved,
        )
        .want(Want::Field("street_code")),
        t(
            "ovother",
            "POST",
            format!("/api/v1/grid/overlays/{id}/members"),
            json!({"user_id": grid_id}),
        ),
        t(
            "ovother",
            "DELETE",
            format!("/api/v1/grid/overlays/{id}/members/{grid_id}"),
            json!({}),
        ),
        t(
            "grid",
            "POST",
            "/api/v1/grid/overlays",
            overlay("YJ-303", "x", "safety", &s, square(c, 0.0005)),
        ),
        t(
            "ovother",
            "POST",
            "/api/v1/grid/overlays",
            overlay("YJ-303", "x", "safety", &s, square(c, 0.0005)),
        )
        .want(Want::Field("street_code")),
        t("grid", "POST", "/api/v1/grid/overlays/import", fc.clone()),
        t("ovother", "POST", "/api/v1/grid/overlays/import", fc)
            .want(Want::Field("features[0].street_code")),
        t(
            "ovother",
            "POST",
            "/api/v1/grid/patrol-tasks",
            json!({"title": "x", "assignee_id": grid_id, "grid_code": g, "due_day": "2099-01-01"}),
        )
        .want(Want::Field("grid_code")),
        t(
            "grid",
            "POST",
            "/api/v1/grid/patrol-tasks",
            json!({"title": "x", "assignee_id": grid_id, "grid_code": g, "due_day": "2099-01-01"}),
        ),
        t(
            "street",
            "POST",
            format!("/api/v1/grid/patrol-tasks/{task}/track"),
            point.clone(),
        ),
        t(
            "ovother",
            "POST",
            format!("/api/v1/grid/patrol-tasks/{task}/finish"),
            point,
        ),
        t(
            "enterprise",
            "POST",
            format!("/api/v1/grid/patrol-tasks/{task}/finish"),
            json!({}),
        ),
    ];
    let watched = [
        format!("/api/v1/grid/overlays/{id}"),
        format!("/api/v1/grid/patrol-tasks/{task}"),
    ];
    run(app, tries, &watched).await;
}
both!(overlay_writes_by_scope);
