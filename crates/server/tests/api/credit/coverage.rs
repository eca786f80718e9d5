//! 安责险 coverage through the API: the figures by street and industry add up, the uninsured
//! are listed and notified (their users and supervising departments, audited), and a new policy
//! raises the rate.

use super::insurance::seeded;
use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn sum(lines: &Value, key: &str) -> i64 {
    lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l[key].as_i64().unwrap())
        .sum()
}

async fn coverage_figures_and_notification(app: &TestApp) {
    seeded(app).await;
    let admin = app.login("admin").await;
    let (s, c) = app.get(&admin, "/api/v1/credit/insurance/coverage").await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let (required, insured) = (
        c["total"]["required"].as_i64().unwrap(),
        c["total"]["insured"].as_i64().unwrap(),
    );
    assert!(required >= 4, "{c}");
    // The demo leaves (at least) one enterprise of the mandatory industries uninsured.
    let uninsured = c["uninsured"].as_array().unwrap().len() as i64;
    assert!(uninsured >= 1, "{c}");
    assert_eq!(required - insured, uninsured, "{c}");
    assert_eq!(sum(&c["by_street"], "required"), required);
    assert_eq!(sum(&c["by_street"], "insured"), insured);
    assert_eq!(c["by_industry"].as_array().unwrap().len(), 8);
    let rate = (insured as f64 * 1000.0 / required as f64).round() / 10.0;
    assert_eq!(c["total"]["rate"].as_f64(), Some(rate));
    let u = &c["uninsured"][0];
    assert!(!u["industries"].as_array().unwrap().is_empty());
    // Enterprises and insurers read no coverage; an enterprise may not notify.
    for who in ["enterprise", "insurer"] {
        let cl = app.login(who).await;
        assert_eq!(
            app.get(&cl, "/api/v1/credit/insurance/coverage").await.0,
            StatusCode::FORBIDDEN
        );
    }
    let ent = app.login("enterprise").await;
    let (s, _) = app
        .post(&ent, "/api/v1/credit/insurance/coverage/notify", &json!({}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The notification: the enterprise's users and its departments, one audit record.
    // The demo's enterprise user is made a user of the (first) uninsured enterprise.
    let mut q = yingji_store::Sql::new("UPDATE users SET enterprise_id = ");
    q.bind(u["enterprise_id"].as_str().unwrap())
        .push(" WHERE username = 'enterprise'");
    app.store.execute(q).await.unwrap();
    let (notes, audit) = (
        app.count("notifications").await,
        app.count("audit_log").await,
    );
    let (s, n) = app
        .post(
            &admin,
            "/api/v1/credit/insurance/coverage/notify",
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{n}");
    assert_eq!(n["enterprises"], 1);
    let people = n["people"].as_i64().unwrap();
    let mut dbg =
        yingji_store::Sql::new("SELECT COUNT(*) FROM users WHERE active = 1 AND enterprise_id = ");
    dbg.bind(u["enterprise_id"].as_str().unwrap());
    let users_of = app.store.fetch_i64(dbg).await.unwrap();
    assert!(people >= 1, "{n} {u} users of it: {users_of}");
    assert_eq!(app.count("notifications").await, notes + people);
    assert_eq!(app.count("audit_log").await, audit + 1);
    // The auditor's own log-in is the newest record; the reminder is the one before it.
    let (_, log) = app
        .get(&app.login("auditor").await, "/api/v1/audit?page_size=2")
        .await;
    assert!(log.to_string().contains("未投保"), "{log}");
    let (_, mine) = app.get(&ent, "/api/v1/notifications").await;
    assert!(
        mine.to_string().contains("安全生产责任保险未投保提醒"),
        "{mine}"
    );
    let (_, mine) = app.get(&ent, "/api/v1/notifications").await;
    assert!(
        mine.to_string().contains("安全生产责任保险未投保提醒"),
        "{mine}"
    );
    // Insuring it brings the rate to 100 %.
    let ins = app.login("insurer").await;
    let p = json!({
        "enterprise_uscc": u["uscc"], "number": "PICC-COVER-1",
        "starts_day": "2020-01-01", "ends_day": "2099-12-31",
        "insured_persons": 10, "premium": "3000", "cover_per_person": "500000"
    });
    let (s, v) = app
        .post(&ins, "/api/v1/credit/insurance/policies", &p)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (_, c) = app.get(&admin, "/api/v1/credit/insurance/coverage").await;
    assert_eq!(c["total"]["insured"], insured + 1);
    assert_eq!(
        c["uninsured"].as_array().unwrap().len() as i64,
        uninsured - 1
    );
    if uninsured == 1 {
        assert_eq!(c["total"]["rate"].as_f64(), Some(100.0));
    }
}

both!(coverage_figures_and_notification);
