//! 一张图 layers (issue 20 item 4): every layer answers GeoJSON scoped like its list, with a
//! legend and counts; an enterprise is refused the bureau's layers; crowded views are counted
//! per cell; the 风险四色图 ranks areas by a weighted score under the district's rules.

use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::HashSet;

const ALL: [&str; 14] = [
    "enterprises",
    "major_hazards",
    "risk_points",
    "hazards",
    "protected_objects",
    "forest_areas",
    "grid_overlays",
    "warnings",
    "incidents",
    "sensors",
    "teams",
    "experts",
    "warehouses",
    "shelters",
];

/// The demo district's records on every layer (the test app loads regions, enterprises and
/// accounts only), and one red warning in force.
async fn seed(app: &TestApp) {
    use yingji_core::kernel::clock::{Clock, to_rfc3339};
    use yingji_demo::{resources, seed};
    let (s, now) = (&app.store, app.clock.now_ms());
    seed::generate_risk_points(s, now, 42, usize::MAX / 2)
        .await
        .unwrap();
    seed::generate_major_hazards(s, now, 42, 500).await.unwrap();
    seed::generate_sensors(s, now).await.unwrap();
    resources::generate_resources(s, now, 42).await.unwrap();
    resources::generate_protected_objects(s, now, 42)
        .await
        .unwrap();
    seed::generate_incidents(s, now, 40, 42, true)
        .await
        .unwrap();
    seed::generate_hazards(s, now, 300, 42, 0).await.unwrap();
    let duty = app.login("duty").await;
    let commander = app.login("commander").await;
    let (_, w) = app
        .post(
            &duty,
            "/api/v1/warnings",
            &json!({
                "event_code": "rainstorm",
                "level": 1,
                "description": "预计未来6小时内浔阳区将出现100毫米以上降雨",
                "instruction": "低洼易涝区域人员及时转移",
                "area": {"type": "Polygon", "coordinates": [[[115.95, 29.69], [115.98, 29.69], [115.98, 29.72], [115.95, 29.72], [115.95, 29.69]]]},
                "expires_at": to_rfc3339(now + 12 * 3_600_000),
            }),
        )
        .await;
    let path = format!("/api/v1/warnings/{}/actions", w["id"].as_str().unwrap());
    app.post(&duty, &path, &json!({"action": "submit"})).await;
    let (st, body) = app
        .post(&commander, &path, &json!({"action": "approve"}))
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
}

fn features(v: &Value) -> &Vec<Value> {
    v["features"].as_array().expect("features")
}

fn ids(v: &Value) -> HashSet<String> {
    features(v)
        .iter()
        .map(|f| f["properties"]["id"].as_str().unwrap().to_string())
        .collect()
}

async fn every_layer_for_the_commander(app: &TestApp) {
    seed(app).await;
    let commander = app.login("commander").await;
    let (s, list) = app.get(&commander, "/api/v1/map/layers").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    let keys: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ALL);
    for layer in list.as_array().unwrap() {
        let key = layer["key"].as_str().unwrap();
        assert!(["事前", "事中", "资源"].contains(&layer["group_label"].as_str().unwrap()));
        let legend_sum: i64 = layer["legend"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["count"].as_i64().unwrap())
            .sum();
        assert_eq!(layer["total"].as_i64().unwrap(), legend_sum, "{key}");
        let (s, fc) = app
            .get(&commander, &format!("/api/v1/map/layers/{key}?zoom=12"))
            .await;
        assert_eq!(s, StatusCode::OK, "{key}: {fc}");
        assert_eq!(fc["type"], "FeatureCollection");
        assert_eq!(fc["kind"], "points", "{key}");
        assert_eq!(fc["total"], layer["total"], "{key}");
        // Without a view, every record the caller may see is a feature.
        assert_eq!(
            features(&fc).len() as i64,
            fc["total"].as_i64().unwrap(),
            "{key}"
        );
        let classes: HashSet<&str> = layer["legend"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["class"].as_str().unwrap())
            .collect();
        for f in features(&fc) {
            let p = &f["properties"];
            assert!(classes.contains(p["class"].as_str().unwrap()), "{key}: {p}");
            assert!(!p["class_label"].as_str().unwrap().is_empty(), "{key}");
            assert!(!p["name"].as_str().unwrap().is_empty(), "{key}");
        }
    }
    // The demo district has something on the layers the map is opened for.
    for key in [
        "enterprises",
        "risk_points",
        "hazards",
        "sensors",
        "teams",
        "warehouses",
        "shelters",
        "protected_objects",
        "warnings",
        "incidents",
        "major_hazards",
    ] {
        let l = list
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["key"] == key)
            .unwrap();
        assert!(l["total"].as_i64().unwrap() > 0, "{key} is empty");
    }
    // A crowded view is answered as counts per cell, adding up to the points in the view.
    let (_, cells) = app
        .get(
            &commander,
            "/api/v1/map/layers/risk_points?zoom=10&max_points=3",
        )
        .await;
    assert_eq!(cells["kind"], "clusters");
    let counted: i64 = features(&cells)
        .iter()
        .map(|f| f["properties"]["count"].as_i64().unwrap())
        .sum();
    assert_eq!(counted, cells["total"].as_i64().unwrap());
    // A box holds only its points.
    let (_, all) = app.get(&commander, "/api/v1/map/layers/teams").await;
    let first = &features(&all)[0]["geometry"]["coordinates"];
    let (x, y) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
    let (_, boxed) = app
        .get(
            &commander,
            &format!(
                "/api/v1/map/layers/teams?bbox={},{},{},{}",
                x - 1e-4,
                y - 1e-4,
                x + 1e-4,
                y + 1e-4
            ),
        )
        .await;
    assert!(!features(&boxed).is_empty());
    assert!(features(&boxed).len() < features(&all).len());
    // Bad input names the field.
    for (path, field) in [
        ("/api/v1/map/layers/cameras", "layer"),
        ("/api/v1/map/layers/teams?bbox=1,2,3", "bbox"),
        ("/api/v1/map/layers/teams?zoom=99", "zoom"),
    ] {
        let (s, e) = app.get(&commander, path).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(e["details"][0]["field"], field, "{e}");
    }
}
both!(every_layer_for_the_commander);

async fn a_street_sees_its_street(app: &TestApp) {
    seed(app).await;
    let commander = app.login("commander").await;
    let street = app.login("street").await;
    for key in [
        "enterprises",
        "risk_points",
        "hazards",
        "sensors",
        "protected_objects",
    ] {
        let (s, mine) = app.get(&street, &format!("/api/v1/map/layers/{key}")).await;
        assert_eq!(s, StatusCode::OK, "{key}: {mine}");
        let (_, all) = app
            .get(&commander, &format!("/api/v1/map/layers/{key}"))
            .await;
        let (mine_ids, all_ids) = (ids(&mine), ids(&all));
        // (the demo's sensors watch major hazards, none of them in this street)
        assert!(key == "sensors" || !mine_ids.is_empty(), "{key}");
        assert!(mine_ids.is_subset(&all_ids), "{key}");
        assert!(mine_ids.len() < all_ids.len(), "{key}");
    }
    // The street's risk points on the map are its risk point list (all demo points have a place).
    let (_, listed) = app.get(&street, "/api/v1/risk-points?page_size=1").await;
    let (_, layer) = app.get(&street, "/api/v1/map/layers/risk_points").await;
    assert_eq!(layer["total"], listed["total"]);
    let (_, firms) = app.get(&street, "/api/v1/enterprises?page_size=1").await;
    let (_, layer) = app.get(&street, "/api/v1/map/layers/enterprises").await;
    assert_eq!(layer["total"], firms["total"]);
    // The street's staff see the district's resources (in an emergency a street needs them).
    let (_, mine) = app.get(&street, "/api/v1/map/layers/warehouses").await;
    let (_, all) = app.get(&commander, "/api/v1/map/layers/warehouses").await;
    assert_eq!(ids(&mine), ids(&all));
}
both!(a_street_sees_its_street);

async fn an_enterprise_sees_its_own_and_is_refused_the_bureaus(app: &TestApp) {
    seed(app).await;
    let ent = app.login("enterprise").await;
    let (_, me) = app.get(&ent, "/api/v1/auth/me").await;
    let own = me["user"]["enterprise_id"].as_str().unwrap().to_string();
    let (_, list) = app.get(&ent, "/api/v1/map/layers").await;
    let keys: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "enterprises",
            "major_hazards",
            "risk_points",
            "hazards",
            "incidents",
            "sensors"
        ]
    );
    let (_, firms) = app.get(&ent, "/api/v1/map/layers/enterprises").await;
    assert_eq!(ids(&firms), HashSet::from([own.clone()]));
    let (_, detail) = app.get(&ent, &format!("/api/v1/enterprises/{own}")).await;
    let (_, points) = app.get(&ent, "/api/v1/map/layers/risk_points").await;
    assert!(!features(&points).is_empty());
    for f in features(&points) {
        assert_eq!(f["properties"]["enterprise_name"], detail["name"], "{f}");
    }
    for key in ["teams", "warnings", "protected_objects", "shelters"] {
        let (s, e) = app.get(&ent, &format!("/api/v1/map/layers/{key}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{key}");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .starts_with("企业用户不能查看"),
            "{e}"
        );
    }
    // A grid worker sees the 承灾体 of its grid with their personal data; a street sees them
    // masked.
    let grid = app.login("grid").await;
    let street = app.login("street").await;
    let (_, g) = app.get(&grid, "/api/v1/map/layers/protected_objects").await;
    let (_, s) = app
        .get(&street, "/api/v1/map/layers/protected_objects")
        .await;
    assert!(ids(&g).is_subset(&ids(&s)));
    let masked = |v: &Value| {
        features(v)
            .iter()
            .filter(|f| f["properties"]["address"] == "（仅网格员可见）")
            .count()
    };
    assert_eq!(masked(&g), 0);
    if features(&g)
        .iter()
        .any(|f| f["properties"]["class"] == "special_person")
    {
        assert!(masked(&s) > 0);
    }
}
both!(an_enterprise_sees_its_own_and_is_refused_the_bureaus);

async fn the_risk_map_ranks_areas(app: &TestApp) {
    seed(app).await;
    let admin = app.login("admin").await;
    let (s, rows) = app.get(&admin, "/api/v1/risk/regions?parent=360403").await;
    assert_eq!(s, StatusCode::OK, "{rows}");
    let rows = rows.as_array().unwrap();
    assert!(rows.len() > 3);
    let default_formula = rows[0]["rank_formula"].as_str().unwrap().to_string();
    assert!(
        default_formula.contains("红×4 + 橙×3 + 黄×2 + 蓝×1"),
        "{default_formula}"
    );
    for r in rows {
        let n = |k: &str| r[k].as_i64().unwrap() as f64;
        let weighted = 4.0 * n("major") + 3.0 * n("large") + 2.0 * n("general") + n("low");
        let expected = (weighted * 100.0 / n("enterprises").max(1.0) * 10.0).round() / 10.0;
        assert_eq!(r["score"].as_f64().unwrap(), expected, "{r}");
    }
    // Classes follow the scores: a higher score never has a lower class, and the ranking does
    // not paint every street red as "highest risk wins" does.
    let rank = |l: &Value| match l.as_str() {
        Some("major") => 4,
        Some("large") => 3,
        Some("general") => 2,
        Some("low") => 1,
        _ => 0,
    };
    for a in rows {
        for b in rows {
            if a["score"].as_f64() > b["score"].as_f64() {
                assert!(rank(&a["rank_level"]) >= rank(&b["rank_level"]), "{a} {b}");
            }
        }
    }
    let red = rows.iter().filter(|r| r["rank_level"] == "major").count();
    let scored = rows
        .iter()
        .filter(|r| r["score"].as_f64().unwrap() > 0.0)
        .count();
    assert!(
        red >= 1 && red <= scored.div_ceil(4) + 1,
        "{red} of {scored}"
    );
    // The district configures the weights and the basis: 重大 only, as a plain count.
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["risk"]["rank"] = json!({"weights": [1, 0, 0, 0], "basis": "total"});
    let (s, body) = app
        .put(
            &admin,
            "/api/v1/rules",
            &json!({"region": "360403", "rules": rules}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, rows) = app.get(&admin, "/api/v1/risk/regions?parent=360403").await;
    for r in rows.as_array().unwrap() {
        assert_eq!(r["score"].as_f64().unwrap(), r["major"].as_f64().unwrap());
        assert_eq!(r["rank_level"].is_null(), r["major"] == 0, "{r}");
    }
    assert!(
        rows[0]["rank_formula"]
            .as_str()
            .unwrap()
            .contains("红×1 + 橙×0")
    );
    // Bad weights are refused, naming the field.
    rules["risk"]["rank"] = json!({"weights": [0, 0, 0, 0], "basis": "x"});
    let (s, e) = app
        .put(
            &admin,
            "/api/v1/rules",
            &json!({"region": "360403", "rules": rules}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let fields: Vec<&str> = e["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"risk.rank.weights"), "{e}");
    assert!(fields.contains(&"risk.rank.basis"), "{e}");
}
both!(the_risk_map_ranks_areas);
