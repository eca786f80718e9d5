//! 重大危险源 registration: S, R and the level computed exactly, refusals that name their field,
//! and figures that never contradict the verdict.

use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::prevention::major_hazard::Ratio;

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
            &app.login("auditor").await,
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

/// The figure as a number: the decimal digits shown, without the "…" that marks a truncation.
fn shown(v: &Value) -> Ratio {
    let text = v.as_str().unwrap_or_else(|| panic!("a figure: {v}"));
    Ratio::parse_decimal(text.trim_end_matches('…'))
        .unwrap_or_else(|| panic!("a decimal figure: {text}"))
}

/// Issue 18: S = 0.998 was shown as "1.00" beside 不构成重大危险源, R = 9.996 as "10.00" beside
/// 四级. The figures are exact or truncated, never rounded up, so they never contradict the verdict.
async fn figures_never_contradict_the_verdict(app: &TestApp) {
    let ent = app.login("enterprise").await;
    // 氯 2.49 t of Q 5 (0.498) + 甲醇 250 t of Q 500 (0.5): S = 0.998, below the threshold.
    let near = json!([
        {"chemical": "氯", "quantity_t": "2.49", "critical_t": "5", "beta": "4"},
        {"chemical": "甲醇", "quantity_t": "250", "critical_t": "500", "beta": "1"}
    ]);
    let (s, m) = app
        .post(
            &ent,
            "/api/v1/major-hazards",
            &unit("MH-S-998", near.clone(), 0),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    assert_ne!(m["s_value"], "1.00", "issue 18");
    assert_eq!(m["s_value"], "0.998");
    assert!(shown(&m["s_value"]) < Ratio::int(1), "{m}");
    assert_eq!(m["is_major"], false, "不构成重大危险源");
    assert_eq!(m["level"], Value::Null);
    assert_eq!(m["r_value"], Value::Null);
    let id = m["id"].as_str().expect("id").to_string();
    let (_, one) = app.get(&ent, &format!("/api/v1/major-hazards/{id}")).await;
    assert_eq!(one["s_value"], "0.998", "{one}");
    let (_, list) = app.get(&ent, "/api/v1/major-hazards").await;
    assert_eq!(list["items"][0]["s_value"], "0.998", "{list}");
    let (s, p) = app
        .post(
            &ent,
            "/api/v1/major-hazards/identify",
            &json!({"chemicals": near, "population_500m": 0}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["s_value"], "0.998");
    assert_eq!(p["is_major"], false);
    // The audit record says the same.
    let (_, a) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?action=major_hazard.create",
        )
        .await;
    let summary = a["items"][0]["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("S=0.998，未构成"), "{a}");
    // A unit registered before the fix kept the rounded text in its row: it is shown from the
    // chemicals again, not from that text.
    let mut old = yingji_store::Sql::new("UPDATE major_hazards SET s_value = '1.00' WHERE id = ");
    old.bind(id.clone());
    app.store.execute(old).await.expect("old row");
    let (_, one) = app.get(&ent, &format!("/api/v1/major-hazards/{id}")).await;
    assert_eq!(one["s_value"], "0.998", "{one}");

    // Near each threshold (S: 1; R: 10, 50, 100 of Table 6), through the preview:
    // (q of 氯 at Q 5 and β 4, population, S shown, R shown, level).
    let cases = [
        ("4.99", 0, "0.998", None, None),
        ("5", 0, "1.00", Some("2.00"), Some(4)),
        // S = 1.9999998 and R = 3.9999996 need seven places: cut at six, marked.
        ("9.999999", 0, "1.999999…", Some("3.999999…"), Some(4)),
        ("24.99", 0, "4.998", Some("9.996"), Some(4)),
        ("25", 0, "5.00", Some("10.00"), Some(3)),
        ("62.49875", 10, "12.49975", Some("49.999"), Some(3)),
        ("62.5", 10, "12.50", Some("50.00"), Some(2)),
        ("62.49975", 100, "12.49995", Some("99.9996"), Some(2)),
        ("62.50025", 100, "12.50005", Some("100.0004"), Some(1)),
    ];
    for (q, population, s_shown, r_shown, level) in cases {
        let chemicals =
            json!([{"chemical": "氯", "quantity_t": q, "critical_t": "5", "beta": "4"}]);
        let (s, p) = app
            .post(
                &ent,
                "/api/v1/major-hazards/identify",
                &json!({"chemicals": chemicals, "population_500m": population}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{q}: {p}");
        assert_eq!(p["s_value"], s_shown, "{q}: {p}");
        assert_eq!(p["r_value"], json!(r_shown), "{q}: {p}");
        assert_eq!(p["level"], json!(level), "{q}: {p}");
        assert_eq!(
            shown(&p["s_value"]) >= Ratio::int(1),
            level.is_some(),
            "{q}"
        );
        if let Some(level) = level {
            let r = shown(&p["r_value"]);
            let by_figure = if r >= Ratio::int(100) {
                1
            } else if r >= Ratio::int(50) {
                2
            } else if r >= Ratio::int(10) {
                3
            } else {
                4
            };
            assert_eq!(
                by_figure, level,
                "{q}: the figure R = {} reads as another level",
                p["r_value"]
            );
        }
    }
    // Not a finite decimal: 9.999999 t of Q 10.000001 is S = 0.99999980000…, which rounds to
    // 1.000000 at six places; it is cut, not rounded, and marked as cut.
    let chemicals = json!([{"chemical": "氯", "quantity_t": "9.999999", "critical_t": "10.000001", "beta": "4"}]);
    let (_, p) = app
        .post(
            &ent,
            "/api/v1/major-hazards/identify",
            &json!({"chemicals": chemicals, "population_500m": 0}),
        )
        .await;
    assert_eq!(p["s_value"], "0.999999…", "{p}");
    assert_eq!(p["is_major"], false);
    assert!(shown(&p["s_value"]) < Ratio::int(1));
}
both!(figures_never_contradict_the_verdict);
