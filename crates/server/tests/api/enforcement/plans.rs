//! 年度检查计划: a department drafts its plan (the 重点检查 list from the district's rule with how
//! often and why, the 双随机 quotas per category), the bureau's leader approves or sends it back;
//! bad input and other departments change nothing.

use super::seeded;
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use yingji_core::kernel::clock::{Clock, today};

fn year_of(app: &TestApp) -> i64 {
    i64::from(today(app.clock.now_ms()).year())
}

async fn plan_drafted_and_approved(app: &TestApp) {
    seeded(app).await;
    let year = year_of(app);
    let yjj = app.login("yjj").await;
    let body = json!({
        "year": year, "title": format!("{year}年度执法检查计划"),
        "quotas": [{"category": "industry_trade", "ratio_percent": "5"}],
    });
    let (s, p) = app.post(&yjj, "/api/v1/enforcement/plans", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(p["status_label"], "待审批");
    // The 重点 list: every enterprise with a reason, at least once, at most the cap of two.
    let key = p["key"].as_array().unwrap();
    assert!(!key.is_empty(), "{p}");
    assert_eq!(p["key_count"], key.len());
    for e in key {
        let times = e["times"].as_u64().unwrap();
        assert!((1..=2).contains(&times), "{e}");
        assert!(!e["reason_labels"].as_array().unwrap().is_empty(), "{e}");
        assert!(!e["enterprise_name"].as_str().unwrap().is_empty(), "{e}");
    }
    let with_major = key
        .iter()
        .find(|e| {
            e["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == "major_hazard")
        })
        .expect("a 重大危险源 enterprise on the list");
    assert_eq!(with_major["times"], 2);
    assert!(
        with_major["reason_labels"][0]
            .as_str()
            .unwrap()
            .starts_with("有")
    );
    // The quota draws 5% of the candidates (the pool less the 重点 list), rounded up.
    let trade = p["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "industry_trade")
        .expect("工贸 line");
    let candidates = trade["candidates"].as_i64().unwrap();
    assert_eq!(
        trade["pool"].as_i64().unwrap() - trade["key"].as_i64().unwrap(),
        candidates
    );
    assert_eq!(
        trade["draws"].as_i64().unwrap(),
        (candidates * 5 + 99) / 100
    );
    assert_eq!(trade["quota"], "5%（向上取整）");
    assert_eq!(trade["category_label"], "工贸");
    let id = p["id"].as_str().unwrap();
    let decision = format!("/api/v1/enforcement/plans/{id}/decision");
    // A department does not approve its own plan; the leader does, once.
    let (s, e) = app.post(&yjj, &decision, &json!({"approve": true})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let commander = app.login("commander").await;
    let (s, e) = app
        .post(&commander, &decision, &json!({"approve": false}))
        .await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("opinion")),
        "{e}"
    );
    let (s, a) = app
        .post(
            &commander,
            &decision,
            &json!({"approve": true, "opinion": "同意"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["status_label"], "已批准");
    assert_eq!(a["decided_by_name"], "局长（指挥长）");
    let (s, e) = app
        .post(&commander, &decision, &json!({"approve": true}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    // One approved plan a year: a new draft for the year is refused, naming the year.
    let (s, e) = app.post(&yjj, "/api/v1/enforcement/plans", &body).await;
    assert_eq!(
        (s, e["details"][0]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("year")),
        "{e}"
    );
    let (_, list) = app
        .get(&yjj, &format!("/api/v1/enforcement/plans?year={year}"))
        .await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["key"].as_array().map(Vec::len), Some(0));
}
both!(plan_drafted_and_approved);

/// Bad plans are refused naming the field and row; others may not read or write a department's.
async fn plan_bad_input_and_scope(app: &TestApp) {
    seeded(app).await;
    let year = year_of(app);
    let yjj = app.login("yjj").await;
    let before = (
        app.count("enforcement_plans").await,
        app.count("audit_log").await,
    );
    let bad = json!({
        "year": year + 5, "title": "",
        "quotas": [
            {"category": "industry_trade", "ratio_percent": "120"},
            {"category": "construction", "count": 3},
        ],
    });
    let (s, e) = app.post(&yjj, "/api/v1/enforcement/plans", &bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let fields: Vec<&str> = e["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    for f in [
        "title",
        "year",
        "quotas[0].ratio_percent",
        "quotas[1].category",
    ] {
        assert!(fields.contains(&f), "{f} in {e}");
    }
    assert_eq!(
        (
            app.count("enforcement_plans").await,
            app.count("audit_log").await
        ),
        before
    );
    let good = json!({"year": year, "title": "计划", "quotas": []});
    let (s, p) = app.post(&yjj, "/api/v1/enforcement/plans", &good).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    let id = p["id"].as_str().unwrap();
    // Another department neither reads nor decides it; the field roles read no plans.
    let zjj = app.login("zjj").await;
    assert_eq!(
        app.get(&zjj, &format!("/api/v1/enforcement/plans/{id}"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (_, theirs) = app.get(&zjj, "/api/v1/enforcement/plans").await;
    assert_eq!(theirs["total"], 0);
    for who in ["street", "grid", "enterprise"] {
        let c = app.login(who).await;
        assert_eq!(
            app.get(&c, "/api/v1/enforcement/plans").await.0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
        assert_eq!(
            app.post(&c, "/api/v1/enforcement/plans", &good).await.0,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    let zfry = app.login("zfry").await;
    let decision = format!("/api/v1/enforcement/plans/{id}/decision");
    assert_eq!(
        app.post(&zfry, &decision, &json!({"approve": true}))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}
both!(plan_bad_input_and_scope);
