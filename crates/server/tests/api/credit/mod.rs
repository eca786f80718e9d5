//! 企业主体责任与信用 (credit) through the API.

mod admission;
pub(crate) mod commitments;
mod coverage;
mod disclosure;
mod dossier;
mod duty_reports;
mod insurance;
mod licences;
mod listings;
mod post_cards;
mod rating;
mod rating_facts;
mod scheme;

use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use yingji_core::kernel::clock::parse_instant;

/// The enterprise user's own enterprise, and a department account (with its login) that
/// supervises it, else the administrator.
pub(super) async fn own_and_supervisor(app: &TestApp) -> (String, &'static str, Client) {
    let ent = app.login("enterprise").await;
    let (s, v) = app.get(&ent, "/api/v1/enterprises?page_size=1").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let id = v["items"][0]["id"]
        .as_str()
        .expect("own enterprise")
        .to_string();
    for who in ["yjj", "zjj"] {
        let c = app.login(who).await;
        let (s, _) = app.get(&c, &format!("/api/v1/enterprises/{id}")).await;
        if s == StatusCode::OK {
            return (id, who, c);
        }
    }
    // The demo's enterprise user may sit outside both departments' categories: the
    // administrator then decides (core::credit::licences::may_decide).
    (id, "admin", app.login("admin").await)
}

/// An enterprise other than `not` that `c` may see.
pub(super) async fn other_enterprise(app: &TestApp, c: &Client, not: &str) -> String {
    let (s, v) = app.get(c, "/api/v1/enterprises?page_size=20").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .find(|id| id != not)
        .expect("another enterprise")
}

pub(super) fn day_plus(app: &TestApp, days: i64) -> String {
    use yingji_core::kernel::clock::{Clock, today};
    today(app.clock.now_ms() + days * 86_400_000).to_string()
}

pub(super) fn licence(kind: &str, number: &str, from: &str, until: &str) -> Value {
    serde_json::json!({
        "kind": kind, "number": number, "scope": "危险化学品经营（不带储存）",
        "issuer": "九江市应急管理局", "valid_from": from, "valid_until": until,
    })
}

/// Noon (Asia/Shanghai) of a day, in ms.
pub(super) fn noon(day: &str) -> i64 {
    parse_instant(&format!("{day}T12:00:00+08:00")).unwrap()
}

/// An enterprise of the demo a department sees: (its id, the department's client, the other
/// department's client). `skip` enterprises are passed over.
pub(super) async fn supervised(app: &TestApp, skip: &[String]) -> (String, Client, Client) {
    let (yjj, zjj) = (app.login("yjj").await, app.login("zjj").await);
    let (s, v) = app.get(&yjj, "/api/v1/enterprises?page_size=20").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let id = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .find(|id| !skip.contains(id))
        .expect("an enterprise");
    (id, yjj, zjj)
}

/// An enterprise 应急局监管科 supervises, made the demo enterprise user's own: (its id, the
/// enterprise user's client, yjj's, zjj's).
pub(super) async fn own_enterprise(app: &TestApp) -> (String, Client, Client, Client) {
    let (id, yjj, zjj) = supervised(app, &[]).await;
    let admin = app.login("admin").await;
    let (_, users) = app
        .get(&admin, "/api/v1/users?q=enterprise&page_size=50")
        .await;
    let u = users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "enterprise")
        .expect("the enterprise user")
        .clone();
    let body = serde_json::json!({"username": u["username"], "display_name": u["display_name"],
        "phone": u["phone"], "role": u["role"], "region_code": null, "enterprise_id": id});
    let (s, v) = app
        .put(
            &app.login("secadmin").await,
            &format!("/api/v1/users/{}", u["id"].as_str().unwrap()),
            &body,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let ent = app.login("enterprise").await;
    (id, ent, yjj, zjj)
}

/// Gives the enterprise exactly these accidents: (day, severity 1..4), as closed incidents.
pub(super) async fn accidents(app: &TestApp, enterprise: &str, list: &[(&str, i64)]) {
    use yingji_store::Sql;
    let mut clear = Sql::new("UPDATE incidents SET enterprise_id = NULL WHERE enterprise_id = ");
    clear.bind(enterprise);
    app.store.execute(clear).await.unwrap();
    for (day, severity) in list {
        let at = noon(day);
        let id = yingji_store::new_id();
        let mut q = Sql::new(
            "INSERT INTO incidents (id, code, title, category, subtype, occurred_ms, occurred_month, received_ms, unit_learned_ms, enterprise_id, region_code, district_code, street_code, community_code, grid_code, categories, location, deaths, missing, serious_injuries, minor_injuries, trapped, at_risk, evacuated, loss_yuan, severity, graded_by_rule, larger_risk, larger_risk_judged, account, status, last_report_ms, window_end_ms, recorded_by, created_ms, updated_ms) SELECT ",
        );
        q.bind(id.clone())
            .push_bind(", ", format!("T-{id}"))
            .push_bind(", ", format!("{day} 生产安全事故"))
            .push(", 'accident', 'production', ")
            .bind(at)
            .push_bind(", ", day[..7].to_string())
            .push_bind(", ", at)
            .push_bind(", ", at)
            .push(", e.id, e.grid_code, e.district_code, e.street_code, e.community_code, e.grid_code, e.categories, e.address, 0, 0, 0, 0, 0, 0, 0, 0, ")
            .bind(*severity)
            .push(", 1, 0, 0, '测试事故', 'closed', ")
            .bind(at)
            .push_bind(", ", at)
            .push(", 'test', ")
            .bind(at)
            .push_bind(", ", at)
            .push_bind(" FROM enterprises e WHERE e.id = ", enterprise);
        app.store.execute(q).await.unwrap();
    }
}

pub(super) async fn step(app: &TestApp, c: &Client, id: &str, body: Value) -> (StatusCode, Value) {
    app.post(c, &format!("/api/v1/credit/listings/{id}/steps"), &body)
        .await
}

pub(super) async fn stored(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("credit_listings").await,
        app.count("credit_listing_steps").await,
        app.count("audit_log").await,
    )
}
