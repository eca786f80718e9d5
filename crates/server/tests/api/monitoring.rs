//! 重大危险源: registration with S, R and the level computed exactly (GB 18218 vectors), refusals
//! that name their field, and scoping.

use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn unit(code: &str, chemicals: Value, population: i64) -> Value {
    json!({"code": code, "name": "液氯储罐区", "unit_type": "storage", "chemicals": chemicals,
           "population_500m": population, "responsible_name": "王安全", "responsible_phone": "13800000000"})
}

async fn register_and_grade(app: &TestApp) {
    let ent = app.login("enterprise").await;
    // G13: exactly R = 10 → 三级 (f64 would say 四级).
    let g13 = json!([
        {"chemical": "氯", "quantity_t": "21.4", "critical_t": "5", "beta": "4"},
        {"chemical": "液化石油气", "quantity_t": "96.0", "critical_t": "50", "beta": "1.5"}
    ]);
    let (s, m) = app
        .post(
            &ent,
            "/api/v1/major-hazards",
            &unit("MH-T-001", g13.clone(), 0),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_eq!(m["s_value"], "6.20");
    assert_eq!(m["r_value"], "10.00");
    assert_eq!(m["level"], 3);
    assert_eq!(m["level_label"], "三级");
    assert_eq!(m["is_major"], true);
    // The same through the preview.
    let (s, p) = app
        .post(
            &ent,
            "/api/v1/major-hazards/identify",
            &json!({"chemicals": g13, "population_500m": 0}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["level_label"], "三级");
    // G04: below the threshold, recorded but not graded.
    let g04 = json!([
        {"chemical": "甲苯", "quantity_t": "200", "critical_t": "500", "beta": "1"},
        {"chemical": "丙酮", "quantity_t": "200", "critical_t": "500", "beta": "1"}
    ]);
    let (s, m) = app
        .post(&ent, "/api/v1/major-hazards", &unit("MH-T-002", g04, 500))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_eq!(m["is_major"], false);
    assert_eq!(m["level"], Value::Null);
    // 一级 first in the list; the enterprise sees its own.
    let g06 = json!([{"chemical": "氯", "quantity_t": "80", "critical_t": "5", "beta": "4"}]);
    let (s, _) = app
        .post(&ent, "/api/v1/major-hazards", &unit("MH-T-003", g06, 100))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, list) = app.get(&ent, "/api/v1/major-hazards").await;
    assert_eq!(list["total"], 3);
    assert_eq!(list["items"][0]["level_label"], "一级");
    // Duplicate code.
    let (s, b) = app
        .post(
            &ent,
            "/api/v1/major-hazards",
            &unit(
                "MH-T-001",
                json!([{"chemical": "氨", "quantity_t": "1", "critical_t": "10", "beta": "2"}]),
                0,
            ),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    // Audited.
    let (_, a) = app
        .get(
            &app.login("admin").await,
            "/api/v1/audit?action=major_hazard.create",
        )
        .await;
    assert!(a["total"].as_i64().unwrap_or(0) >= 3, "{a}");
    // The GB 18218 tables are readable by anyone logged in.
    let (s, t) = app.get(&ent, "/api/v1/major-hazards/tables").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(t["toxic_gas_beta"].as_array().map(Vec::len), Some(14));
}
both!(register_and_grade);

async fn refusals_name_their_field(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let bad = json!([
        {"chemical": "氯", "quantity_t": "NaN", "critical_t": "0", "beta": "4"},
        {"chemical": "", "quantity_t": "1e3", "critical_t": "5", "beta": "-1"}
    ]);
    let (s, b) = app
        .post(&ent, "/api/v1/major-hazards", &unit("MH-T-009", bad, -5))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let fields: Vec<&str> = b["details"]
        .as_array()
        .expect("details")
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    for f in [
        "population_500m",
        "chemicals[0].quantity_t",
        "chemicals[0].critical_t",
        "chemicals[1].chemical",
        "chemicals[1].quantity_t",
        "chemicals[1].beta",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    let (_, list) = app.get(&ent, "/api/v1/major-hazards").await;
    assert_eq!(list["total"], 0, "nothing partial is stored");
    // A street account may read but not register.
    let street = app.login("street").await;
    let ok = json!([{"chemical": "氯", "quantity_t": "20", "critical_t": "5", "beta": "4"}]);
    let mut body = unit("MH-T-010", ok, 60);
    body["enterprise_id"] = json!("whatever");
    let (s, _) = app.post(&street, "/api/v1/major-hazards", &body).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, b) = app.get(&ent, "/api/v1/major-hazards?level=7").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(b["details"][0]["field"], "level");
}
both!(refusals_name_their_field);
