//! The public page (no login): the 严重失信主体 within their management period only, and the
//! 重大安全风险 a department published, in their period; bad input refused with nothing stored.

use super::{own_enterprise, step};
use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;

// Long because: a listing in its period, one past it, and the risks, on one page.
async fn public_page_shows_only_what_is_in_its_period(app: &TestApp) {
    let (e, _, dept, _) = own_enterprise(app).await;
    let anon = app.anonymous();
    // A listing decided 2022-01-05 ended 2025-01-05: never on the page today (2026-05-28).
    for (day, number) in [
        ("2022-01-05", "浔应急失信〔2022〕1号"),
        ("2026-05-20", "浔应急失信〔2026〕1号"),
    ] {
        let record = json!({"enterprise_id": e, "criterion": "unlicensed", "occurred_day": day,
            "description": format!("{day} 许可证暂扣期间组织生产")});
        let (s, r) = app
            .post(&dept, "/api/v1/credit/listing-records", &record)
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        let (_, l) = app
            .post(
                &dept,
                "/api/v1/credit/listings",
                &json!({"record_id": r["id"]}),
            )
            .await;
        let id = l["id"].as_str().unwrap();
        let n = json!({"step": "notice", "number": "告〔1〕", "day": day, "statement_days": 1});
        assert_eq!(step(app, &dept, id, n).await.0, StatusCode::OK);
        let d = json!({"step": "decide", "listed": true, "number": number, "day": day});
        let (s, v) = step(app, &dept, id, d).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            step(app, &dept, id, json!({"step": "publish"})).await.0,
            StatusCode::OK
        );
    }
    let (s, p) = app.get(&anon, "/api/public/credit").await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let numbers: Vec<&str> = p["listings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["decision_number"].as_str().unwrap())
        .collect();
    assert!(numbers.contains(&"浔应急失信〔2026〕1号"), "{p}");
    assert!(!numbers.contains(&"浔应急失信〔2022〕1号"), "{p}");
    let unit = &p["listings"][0];
    assert_eq!(unit["subject_kind"], "unit");
    assert!(unit["credit_code"].is_string(), "{p}");
    assert_eq!(unit["expires_day"], "2029-05-20");

    // Risks: bad input refused, nothing stored; one in its period shown, one ended not.
    let before = app.count("credit_public_risks").await;
    let bad = json!({"title": "", "place": "x", "advice": "y", "from_day": "2026-06-01", "until_day": "2026-05-01"});
    let (s, e) = app.post(&dept, "/api/v1/credit/public-risks", &bad).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let fields: Vec<&str> = e["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["title", "until_day"]);
    assert_eq!(app.count("credit_public_risks").await, before);
    let (s, _) = app
        .post(
            &app.login("enterprise").await,
            "/api/v1/credit/public-risks",
            &bad,
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for (title, from, until) in [
        ("液氯储罐区泄漏风险", "2026-05-01", "2026-12-31"),
        ("旧风险<script>", "2025-01-01", "2025-12-31"),
    ] {
        let body = json!({"title": title, "place": "浔阳区化工园区", "advice": "闻到刺激性气味向上风向撤离并拨打119",
            "from_day": from, "until_day": until});
        let (s, v) = app.post(&dept, "/api/v1/credit/public-risks", &body).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (_, p) = app.get(&anon, "/api/public/credit").await;
    let titles: Vec<&str> = p["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["液氯储罐区泄漏风险"], "{p}");
    let id = p["risks"][0]["id"].as_str().unwrap();
    let (s, _) = app
        .post(
            &dept,
            &format!("/api/v1/credit/public-risks/{id}/withdraw"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, p) = app.get(&anon, "/api/public/credit").await;
    assert_eq!(p["risks"].as_array().unwrap().len(), 0, "{p}");
}
both!(public_page_shows_only_what_is_in_its_period);
