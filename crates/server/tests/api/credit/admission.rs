//! 准入负面清单: the catalogue is district configuration (bad entries: a Chinese message naming
//! the field and row, nothing stored); an enterprise that matches is registered all the same,
//! its answer carrying the warning, and the list shows it flagged.

use crate::both;
use crate::helpers::{TestApp, enterprise_body, first_grid};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn put_entries(app: &TestApp, admin: &Client, entries: Value) -> (StatusCode, Value) {
    let (_, cur) = app.get(admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["credit_admission"]["entries"] = entries;
    let body = json!({"region": "360403", "rules": rules, "note": "准入负面清单"});
    app.put(admin, "/api/v1/rules", &body).await
}

fn entry(match_on: &str, value: &str, kind: &str) -> Value {
    json!({"match_on": match_on, "value": value, "kind": kind,
        "basis": "《九江市安全生产准入负面清单》第3条", "note": ""})
}

// Long because: the refusal, then registration, change and the list, each checked.
async fn flagged_on_registration_and_in_the_list(app: &TestApp) {
    let admin = app.login("admin").await;
    let versions = app.count("district_rules").await;
    let bad = json!([
        entry("industry", "C26", "restricted"),
        entry("colour", "红", "maybe")
    ]);
    let (s, v) = put_entries(app, &admin, bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let fields: Vec<&str> = v["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "credit_admission.entries[1].match_on",
            "credit_admission.entries[1].kind"
        ],
        "{v}"
    );
    assert!(
        v["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("第2条"),
        "{v}"
    );
    assert_eq!(app.count("district_rules").await, versions);
    let (s, v) = put_entries(app, &admin, json!([entry("industry", "c2", "prohibited")])).await;
    assert_eq!(
        (s, v["details"][0]["field"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("credit_admission.entries[0].value")
        ),
        "{v}"
    );
    assert_eq!(app.count("district_rules").await, versions);
    // The catalogue: 化学原料制造 (C26) restricted, 烟花爆竹 prohibited.
    let good = json!([
        entry("industry", "C26", "restricted"),
        entry("category", "fireworks", "prohibited")
    ]);
    let (s, v) = put_entries(app, &admin, good).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let grid = first_grid(app, &admin, "360403001").await;
    let (s, e) = app
        .post(
            &admin,
            "/api/v1/enterprises",
            &enterprise_body(901, &grid, "hazchem"),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    let hits = e["admission"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{e}");
    assert_eq!(hits[0]["kind_label"], "限制");
    assert!(
        hits[0]["message"]
            .as_str()
            .unwrap()
            .contains("准入负面清单"),
        "{e}"
    );
    // A change out of the listed industry clears the warning; into a listed category adds one.
    let id = e["id"].as_str().unwrap();
    let mut body = enterprise_body(901, &grid, "fireworks");
    body["industry_code"] = json!("F5299");
    let (s, e) = app
        .put(&admin, &format!("/api/v1/enterprises/{id}"), &body)
        .await;
    assert_eq!(s, StatusCode::OK, "{e}");
    assert_eq!(e["admission"][0]["kind"], "prohibited", "{e}");
    assert_eq!(e["admission"].as_array().unwrap().len(), 1);
    let mut body = enterprise_body(902, &grid, "hazchem");
    body["industry_code"] = json!("F5211");
    let (s, other) = app.post(&admin, "/api/v1/enterprises", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{other}");
    assert_eq!(other["admission"], json!([]));
    // The list: the flagged one carries its hits, the other none.
    let (s, l) = app
        .get(
            &admin,
            "/api/v1/enterprises?q=%E6%B5%8B%E8%AF%95%E4%BC%81%E4%B8%9A90&page_size=50",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{l}");
    let of = |id: &str| {
        l["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {l}"))
    };
    assert_eq!(of(id)["admission"].as_array().map(Vec::len), Some(1));
    assert_eq!(of(other["id"].as_str().unwrap())["admission"], json!([]));
    // 一张图: the flagged enterprise's point says so, the other's not.
    let (s, m) = app
        .get(
            &admin,
            "/api/v1/map/enterprises?bbox=115.98,29.70,116.00,29.72&zoom=15&max_points=20000",
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    let point = |id: &str| {
        m["features"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["properties"]["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} on the map"))
    };
    assert_eq!(point(id)["properties"]["admission"], true);
    assert_eq!(
        point(other["id"].as_str().unwrap())["properties"]["admission"],
        false
    );
}
both!(flagged_on_registration_and_in_the_list);
