//! Warning areas against objects: outlines touched by the area, and holes (enclaves) left out.

use super::{draft, publish, square};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The demo grid worker's grid: its code and centre (lon, lat).
async fn grid_centre(app: &TestApp, admin: &reqwest::Client) -> (String, f64, f64) {
    let grid = app.login("grid").await;
    let (_, me) = app.get(&grid, "/api/v1/auth/me").await;
    let code = me["scope"]["region_code"]
        .as_str()
        .expect("grid code")
        .to_string();
    let (_, region) = app.get(admin, &format!("/api/v1/regions/{code}")).await;
    let (lon, lat) = (
        region["center"][0].as_f64().expect("lon"),
        region["center"][1].as_f64().expect("lat"),
    );
    (code, lon, lat)
}

/// A 地灾隐患点 registered as an area (its slope's outline) is targeted when a warning's area
/// touches any part of it, even though its point lies outside; a bad outline is named.
async fn objects_that_are_areas_are_targeted_when_touched(app: &TestApp) {
    let admin = app.login("admin").await;
    let commander = app.login("commander").await;
    let (grid_code, lon, lat) = grid_centre(app, &admin).await;
    let slope = |x: f64| {
        json!({"kind": "geohazard", "name": format!("滑坡隐患{x}"), "region_code": grid_code,
               "responsible_name": "监测员", "responsible_phone": "13900000003",
               "outline": square(lon + x, lat - 0.001, 0.004)})
    };
    let mut bad = slope(0.0);
    bad["outline"] = json!({"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.001, lat], [lon, lat + 0.001]]]});
    let (s, v) = app.post(&admin, "/api/v1/protected-objects", &bad).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("outline")),
        "{v}"
    );
    // Its west edge reaches 0.001° into the warning's square; its point is well outside.
    let (s, near) = app
        .post(&admin, "/api/v1/protected-objects", &slope(0.001))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{near}");
    let point_lon = near["lon"].as_f64().expect("lon");
    assert!(point_lon > lon + 0.001 && point_lon < lon + 0.005, "{near}");
    assert_eq!(near["outline"]["type"], "Polygon");
    let (s, far) = app
        .post(&admin, "/api/v1/protected-objects", &slope(0.01))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{far}");

    let mut body = draft(app);
    body["area"] = square(lon - 0.002, lat - 0.002, 0.004);
    let (s, w) = publish(app, &commander, &admin, &body).await;
    assert_eq!(s, StatusCode::OK);
    let wid = w["id"].as_str().expect("id").to_string();
    let (_, orders) = app
        .get(&commander, &format!("/api/v1/work-orders?warning_id={wid}"))
        .await;
    let names: Vec<&str> = orders["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|o| o["object"]["name"].as_str().unwrap_or(""))
        .filter(|n| n.starts_with("滑坡隐患"))
        .collect();
    assert_eq!(names, ["滑坡隐患0.001"], "{orders}");
}
both!(objects_that_are_areas_are_targeted_when_touched);

/// A square ring (lon, lat), closed, as JSON coordinates.
fn square_ring(lon: f64, lat: f64, d: f64) -> Value {
    json!([
        [lon, lat],
        [lon + d, lat],
        [lon + d, lat + d],
        [lon, lat + d],
        [lon, lat]
    ])
}

/// The names of the objects starting with `prefix` that a warning gave work orders to, sorted.
async fn ordered_names(
    app: &TestApp,
    who: &reqwest::Client,
    wid: &str,
    prefix: &str,
) -> Vec<String> {
    let (_, orders) = app
        .get(
            who,
            &format!("/api/v1/work-orders?warning_id={wid}&page_size=200"),
        )
        .await;
    let mut names: Vec<String> = orders["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|o| o["object"]["name"].as_str())
        .filter(|n| n.starts_with(prefix))
        .map(String::from)
        .collect();
    names.sort();
    names
}

/// Issue 18: a warning's area keeps its holes (enclaves). Drawn as a GeoJSON Polygon with an
/// interior ring, or made of a region whose boundary has one: objects in the hole — points, and
/// outlines lying wholly in it — get no work order, objects in the ring and outlines reaching
/// into it do; an island drawn inside the hole (a second polygon) is inside again.
async fn holes_in_warning_areas_are_not_targeted(app: &TestApp) {
    let admin = app.login("admin").await;
    let commander = app.login("commander").await;
    let (grid_code, lon, lat) = grid_centre(app, &admin).await;
    let point = |name: &str, x: f64, y: f64| {
        json!({"kind": "waterlogging", "name": name, "region_code": grid_code, "lon": x, "lat": y,
               "responsible_name": "网格员", "responsible_phone": "13900000004"})
    };
    let slope = |name: &str, x: f64, y: f64, d: f64| {
        json!({"kind": "geohazard", "name": name, "region_code": grid_code,
               "responsible_name": "监测员", "responsible_phone": "13900000005",
               "outline": square(x, y, d)})
    };
    // The area: a 0.02° square around the grid's centre with a 0.01° hole in its middle, and an
    // island of 0.002° in the middle of the hole.
    for body in [
        point("飞地洞内易涝点", lon + 0.003, lat + 0.003),
        point("飞地岛上易涝点", lon, lat),
        point("飞地环上易涝点", lon - 0.008, lat),
        point("飞地外易涝点", lon + 0.02, lat),
        slope("飞地洞内边坡", lon - 0.004, lat - 0.004, 0.002),
        slope("飞地跨洞边坡", lon + 0.004, lat - 0.001, 0.002),
    ] {
        let (s, o) = app.post(&admin, "/api/v1/protected-objects", &body).await;
        assert_eq!(s, StatusCode::CREATED, "{o}");
    }
    let mut body = draft(app);
    body["area"] = json!({"type": "MultiPolygon", "coordinates": [
        [square_ring(lon - 0.01, lat - 0.01, 0.02), square_ring(lon - 0.005, lat - 0.005, 0.01)],
        [square_ring(lon - 0.001, lat - 0.001, 0.002)],
    ]});
    let (s, w) = publish(app, &commander, &admin, &body).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(
        w["area"]["coordinates"][0].as_array().map(Vec::len),
        Some(2),
        "the hole is kept: {}",
        w["area"]
    );
    let wid = w["id"].as_str().expect("id").to_string();
    assert_eq!(
        ordered_names(app, &commander, &wid, "飞地").await,
        ["飞地岛上易涝点", "飞地环上易涝点", "飞地跨洞边坡"]
    );

    // A hole outside its polygon's outer ring is refused.
    let mut bad = draft(app);
    bad["area"] = json!({"type": "Polygon", "coordinates": [
        square_ring(lon - 0.01, lat - 0.01, 0.02), square_ring(lon + 0.02, lat, 0.002),
    ]});
    let (s, v) = app.post(&commander, "/api/v1/warnings", &bad).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("area")),
        "{v}"
    );

    // A community whose boundary has an enclave: a warning for that community leaves it out.
    let enclave = json!({"type": "Polygon", "coordinates": [
        square_ring(lon + 0.05, lat - 0.01, 0.02), square_ring(lon + 0.055, lat - 0.005, 0.01),
    ]});
    let (s, c) = app
        .post(
            &admin,
            "/api/v1/regions",
            &json!({"code": "360403001918", "name": "飞地社区", "level": "community",
                    "parent_code": "360403001", "boundary": enclave}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    for body in [
        point("社区洞内易涝点", lon + 0.06, lat),
        point("社区环上易涝点", lon + 0.052, lat),
    ] {
        let (s, o) = app.post(&admin, "/api/v1/protected-objects", &body).await;
        assert_eq!(s, StatusCode::CREATED, "{o}");
    }
    let mut body = draft(app);
    body.as_object_mut().expect("body").remove("area");
    body["region_codes"] = json!(["360403001918"]);
    let (s, w) = publish(app, &commander, &admin, &body).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    let wid = w["id"].as_str().expect("id").to_string();
    assert_eq!(
        ordered_names(app, &commander, &wid, "社区").await,
        ["社区环上易涝点"]
    );
}
both!(holes_in_warning_areas_are_not_targeted);
