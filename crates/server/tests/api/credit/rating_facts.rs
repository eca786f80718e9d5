//! The other credit parts move the rating in their own transaction: a confirmed 标准化 grade and
//! a 安责险 policy in force each add their reason to the enterprise's rating.

use super::day_plus;
use crate::both;
use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn reason_kinds(app: &TestApp, c: &Client, enterprise: &str) -> Vec<String> {
    let (s, v) = app
        .get(c, &format!("/api/v1/credit/ratings/{enterprise}"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["rating"]["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn insure(app: &TestApp, admin: &Client, enterprise: &str) {
    let body = json!({"name": "人保财险九江市分公司", "credit_code": uscc(9902)});
    let (s, i) = app.post(admin, "/api/v1/credit/insurers", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    let p = json!({
        "insurer_id": i["id"], "enterprise_id": enterprise, "number": "PICC-RF-0001",
        "starts_day": day_plus(app, -30), "ends_day": day_plus(app, 330),
        "insured_persons": 40, "premium": "9800", "cover_per_person": "800000"
    });
    let (s, v): (StatusCode, Value) = app
        .post(admin, "/api/v1/credit/insurance/policies", &p)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
}

async fn standardisation_and_insurance_rate(app: &TestApp) {
    let yjj = app.login("yjj").await;
    let admin = app.login("admin").await;
    let (_, v) = app.get(&yjj, "/api/v1/enterprises?page_size=1").await;
    let e = v["items"][0]["id"].as_str().unwrap().to_string();
    let before = reason_kinds(app, &yjj, &e).await;
    assert!(!before.iter().any(|k| k == "standardisation"), "{before:?}");

    let grade = json!({"grade": 1, "certificate_number": "赣AQBWHⅠ202600009", "valid_until": day_plus(app, 900)});
    let (s, v) = app
        .put(
            &yjj,
            &format!("/api/v1/credit/enterprises/{e}/standardisation"),
            &grade,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let after = reason_kinds(app, &yjj, &e).await;
    assert!(after.iter().any(|k| k == "standardisation"), "{after:?}");

    insure(app, &admin, &e).await;
    let insured = reason_kinds(app, &yjj, &e).await;
    assert!(insured.iter().any(|k| k == "insurance"), "{insured:?}");
}
both!(standardisation_and_insurance_rate);
