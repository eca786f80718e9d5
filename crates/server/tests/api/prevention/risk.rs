//! 风险分级管控: grading by the reference's vectors through the API, overrides, the regional
//! four-colour summary, the three lists, and the district's versioned rules.

use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn point(l: &str, e: &str, c: &str) -> Value {
    json!({"name": "液氨储罐区", "location": "厂区东侧", "hazard_factors": "液氨泄漏", "accident_types": ["中毒和窒息", "容器爆炸"],
           "assessment": {"method": "lec", "l": l, "e": e, "c": c}, "control_measures": "双人巡检；泄漏报警联锁",
           "emergency_measures": "启动喷淋，疏散下风向人员", "control_level": "company", "responsible_name": "赵六"})
}

async fn risk_register(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let before = app.count("risk_points").await;
    // L10: a non-standard score is refused by default, naming the field.
    let (s, e) = app
        .post(&ent, "/api/v1/risk-points", &point("2", "6", "15"))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(
        e["message"].as_str().unwrap_or("").contains("不是标准分值"),
        "{e}"
    );
    // M07: LS out of 1..5.
    let mut ls = point("1", "1", "1");
    ls["assessment"] = json!({"method": "ls", "l": 6, "s": 1});
    let (s, e) = app.post(&ent, "/api/v1/risk-points", &ls).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(
        e["message"].as_str().unwrap_or("").contains("1 至 5"),
        "{e}"
    );
    assert_eq!(app.count("risk_points").await, before);
    // L01: D = 270 → 较大/橙.
    let (s, p) = app
        .post(&ent, "/api/v1/risk-points", &point("3", "6", "15"))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(
        (
            p["score"].as_str(),
            p["level"].as_str(),
            p["colour"].as_str()
        ),
        (Some("270"), Some("large"), Some("orange"))
    );
    // An override needs a reason.
    let mut o = point("3", "6", "15");
    o["level_override"] = json!("major");
    let (s, e) = app
        .put(
            &ent,
            &format!("/api/v1/risk-points/{}", p["id"].as_str().expect("id")),
            &o,
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    o["override_reason"] = json!("临近居民区，后果放大");
    let (s, p) = app
        .put(
            &ent,
            &format!("/api/v1/risk-points/{}", p["id"].as_str().expect("id")),
            &o,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(
        (p["computed_level"].as_str(), p["level"].as_str()),
        (Some("large"), Some("major"))
    );
    // The regional map colours the enterprise's street red.
    let admin = app.login("admin").await;
    let (s, regions) = app.get(&admin, "/api/v1/risk/regions").await;
    assert_eq!(s, StatusCode::OK, "{regions}");
    let red: Vec<&Value> = regions
        .as_array()
        .expect("regions")
        .iter()
        .filter(|r| r["colour"] == "red")
        .collect();
    assert_eq!(red.len(), 1, "{regions}");
    assert!(red[0]["major"].as_i64() >= Some(1));
    // The three lists.
    let eid = p["enterprise_id"].as_str().expect("enterprise");
    let r = ent
        .get(app.url(&format!("/api/v1/enterprises/{eid}/risk-lists")))
        .send_checked()
        .await
        .expect("xlsx");
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"PK"));
    // District rules: allowing non-standard scores is a new version; then L = 2 is accepted.
    let (_, cur) = app.get(&admin, "/api/v1/rules?region=360403").await;
    let mut rules = cur["rules"].clone();
    rules["risk"]["lec"]["allow_nonstandard_scores"] = json!(true);
    let (s, v) = app
        .put(
            &admin,
            "/api/v1/rules",
            &json!({"region": "360403", "rules": rules, "note": "允许非标准分值"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["version"], cur["version"].as_i64().unwrap_or(0) + 1);
    let (s, p2) = app
        .post(&ent, "/api/v1/risk-points", &point("2", "6", "15"))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p2}");
    assert_eq!(
        (p2["score"].as_str(), p2["rules_version"].as_i64()),
        (Some("180"), v["version"].as_i64())
    );
    let (s, _) = app
        .put(
            &ent,
            "/api/v1/rules",
            &json!({"region": "360403", "rules": rules}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // An empty or unknown region is named, and nothing is saved.
    for region in ["", "999999", "abc"] {
        let (s, v) = app
            .put(
                &admin,
                "/api/v1/rules",
                &json!({"region": region, "rules": rules}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{region}: {v}");
        assert_eq!(v["details"][0]["field"], "region");
    }
    let (_, now) = app.get(&admin, "/api/v1/rules?region=360403").await;
    assert_eq!(now["version"], v["version"]);
}
both!(risk_register);
