//! 风险普查: a census GeoJSON merges into the 承灾体 and the shelters (listed by their own
//! endpoints), a re-import updates instead of adding, a .csv sheet takes the template's columns,
//! a file with bad rows reports row and field and stores nothing, and only the district's bureau
//! imports.

use super::{centre, me};
use crate::both;
use crate::helpers::{SendChecked, TestApp, json as answer};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn upload(app: &TestApp, c: &Client, mode: &str, body: String) -> (StatusCode, Value) {
    answer(
        c.post(app.url(&format!("/api/v1/disasters/census/import?mode={mode}")))
            .header("content-type", "application/geo+json")
            .body(body)
            .send_checked()
            .await
            .unwrap(),
    )
    .await
}

fn point(props: Value, at: (f64, f64)) -> Value {
    json!({"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [at.0, at.1]}})
}

fn collection(features: Vec<Value>) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

/// A school, a house with a census attribute, a 山洪危险区 as a polygon and a shelter.
fn good(grid: &str, at: (f64, f64), suffix: &str) -> String {
    let (x, y) = at;
    let d = 0.001;
    let area = json!({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]});
    collection(vec![
        point(
            json!({"普查编码": "C-SCH-1", "类型": "学校", "名称": format!("普查小学{suffix}"), "区划代码": grid,
                "责任人": "王校长", "责任人电话": "13900002001"}),
            at,
        ),
        point(
            json!({"census_code": "C-RES-1", "kind": "residence", "name": format!("张家老屋{suffix}"), "region_code": grid,
                "responsible_name": "张三", "responsible_phone": "13900002002", "结构": "砖木", "建成年代": 1988}),
            at,
        ),
        json!({"type": "Feature", "geometry": area, "properties": {"普查编码": "C-FF-1", "类型": "山洪危险区",
            "名称": "后山沟山洪危险区", "区划代码": grid, "责任人": "李四", "责任人电话": "13900002003"}}),
        point(
            json!({"普查编码": "C-SH-1", "类型": "避难场所", "名称": format!("普查广场{suffix}"), "地址": "普查路1号",
                "场所类型": "紧急避难场所", "可容纳人数": 800, "区划代码": grid, "责任人": "赵管", "责任人电话": "13900002004"}),
            at,
        ),
    ])
}

async fn merges_and_updates(app: &TestApp) {
    let admin = app.login("admin").await;
    let duty = app.login("duty").await;
    let grid = app.login("grid").await;
    let (_, grid_code) = me(app, &grid).await;
    let at = centre(app, &admin, &grid_code).await;
    let objects = app.count("protected_objects").await;
    let shelters = app.count("shelters").await;
    let (s, v) = upload(app, &duty, "strict", good(&grid_code, at, "")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["created"].as_i64(), v["updated"].as_i64()),
        (Some(4), Some(0)),
        "{v}"
    );
    assert_eq!(v["stored"], true);
    assert_eq!(v["rows"][0]["outcome_label"], "新增");
    let kinds: Vec<&str> = v["by_kind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["label"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["山洪危险区", "居民住房", "学校", "避难场所"], "{v}");
    assert_eq!(app.count("protected_objects").await, objects + 3);
    assert_eq!(app.count("shelters").await, shelters + 1);
    // Listed by the registers' own endpoints.
    let (_, list) = app
        .get(
            &admin,
            "/api/v1/protected-objects?kind=school&page_size=200",
        )
        .await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["name"] == "普查小学"),
        "{list}"
    );
    let (_, list) = app.get(&admin, "/api/v1/shelters?q=普查广场").await;
    assert_eq!(list["items"][0]["capacity"], 800, "{list}");
    let (_, list) = app
        .get(
            &admin,
            "/api/v1/protected-objects?kind=flash_flood&page_size=200",
        )
        .await;
    let ff = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "后山沟山洪危险区")
        .expect("flash flood");
    assert!(
        ff["outline"].is_object(),
        "the polygon is kept as the outline: {ff}"
    );
    // The same codes again: updated, not added.
    let (s, v) = upload(app, &admin, "strict", good(&grid_code, at, "（新）")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["created"].as_i64(), v["updated"].as_i64()),
        (Some(0), Some(4)),
        "{v}"
    );
    assert_eq!(app.count("protected_objects").await, objects + 3);
    assert_eq!(app.count("shelters").await, shelters + 1);
    let (_, list) = app.get(&admin, "/api/v1/shelters?q=普查广场").await;
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["name"], "普查广场（新）");
    assert_eq!(
        app.count("audit_log WHERE action = 'census.import'").await,
        2
    );
    // A sheet (.csv) with the template's columns.
    let csv = format!(
        "普查编码,类型,名称,经度,纬度,区划代码,责任人,责任人电话,桥长\nC-BR-1,桥梁,普查大桥,{},{},{grid_code},钱五,13900002005,120\n",
        at.0, at.1
    );
    let r = duty
        .post(app.url("/api/v1/disasters/census/import"))
        .header("content-type", "text/csv")
        .body(csv)
        .send_checked()
        .await
        .unwrap();
    let (s, v) = answer(r).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["created"], 1, "{v}");
    assert_eq!(v["rows"][0]["row"], 2);
}
both!(merges_and_updates);

async fn bad_rows_store_nothing(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = app.login("grid").await;
    let (_, grid_code) = me(app, &grid).await;
    let at = centre(app, &admin, &grid_code).await;
    let ok = |code: &str| {
        json!({"普查编码": code, "类型": "学校", "名称": "好学校", "区划代码": grid_code,
        "责任人": "王", "责任人电话": "13900002001"})
    };
    let with = |code: &str, key: &str, value: Value| {
        let mut p = ok(code);
        p[key] = value;
        p
    };
    let file = collection(vec![
        point(ok("B-1"), at),
        point(ok("B-2"), (at.0 + 5.0, at.1)),
        point(with("B-3", "类型", json!("外星基地")), at),
        point(with("B-4", "责任人电话", json!("12345")), at),
        point(with("B-5", "名称", json!("")), at),
        point(with("B-6", "区划代码", json!("360402001001")), at),
        point(ok("B-1"), at),
    ]);
    let before = app.count("protected_objects").await;
    let (s, v) = upload(app, &admin, "strict", file.clone()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let d = &v["details"];
    assert_eq!(d["stored"], false);
    assert_eq!(d["error_rows"], 6, "{d}");
    let lines: Vec<(i64, &str)> = d["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "error")
        .map(|r| (r["row"].as_i64().unwrap(), r["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [
            (2, "经度"),
            (3, "类型"),
            (4, "责任人电话"),
            (5, "名称"),
            (6, "区划代码"),
            (7, "普查编码")
        ],
        "{d}"
    );
    assert!(
        d["rows"][0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("第2个要素的位置"),
        "{d}"
    );
    assert_eq!(app.count("protected_objects").await, before);
    // valid_only keeps the good row; check keeps nothing.
    let (s, v) = upload(app, &admin, "check", file.clone()).await;
    assert_eq!(
        (s, v["stored"].as_bool()),
        (StatusCode::OK, Some(false)),
        "{v}"
    );
    assert_eq!(app.count("protected_objects").await, before);
    let (s, v) = upload(app, &admin, "valid_only", file).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["created"], 1);
    assert_eq!(app.count("protected_objects").await, before + 1);
    // Not a FeatureCollection.
    let (s, v) = upload(app, &admin, "strict", r#"{"type": "Feature"}"#.into()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["message"].as_str().unwrap().contains("GeoJSON"), "{v}");
}
both!(bad_rows_store_nothing);

async fn only_the_bureau_imports(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = app.login("grid").await;
    let (_, grid_code) = me(app, &grid).await;
    let at = centre(app, &admin, &grid_code).await;
    for who in ["street", "grid"] {
        let c = app.login(who).await;
        let (s, v) = upload(app, &c, "strict", good(&grid_code, at, "")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}: {v}");
    }
    let (s, kinds) = app.get(&grid, "/api/v1/disasters/census/kinds").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        kinds
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["code"] == "shelter" && k["register"] == "shelters")
    );
}
both!(only_the_bureau_imports);
