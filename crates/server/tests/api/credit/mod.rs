//! 企业主体责任与信用 (credit) through the API.

mod disclosure;
mod listings;

use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use yingji_core::kernel::clock::parse_instant;

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

/// The enterprise user's own enterprise, and a department's client that sees it with the other
/// department's.
pub(super) async fn own_enterprise(app: &TestApp) -> (String, Client, Client, Client) {
    let ent = app.login("enterprise").await;
    let (_, v) = app.get(&ent, "/api/v1/enterprises?page_size=1").await;
    let id = v["items"][0]["id"].as_str().unwrap().to_string();
    let (yjj, zjj) = (app.login("yjj").await, app.login("zjj").await);
    let (s, _) = app.get(&yjj, &format!("/api/v1/enterprises/{id}")).await;
    if s == StatusCode::OK {
        (id, ent, yjj, zjj)
    } else {
        (id, ent, zjj, yjj)
    }
}

/// Gives the enterprise exactly these accidents: (day, severity 1..4).
pub(super) async fn accidents(app: &TestApp, enterprise: &str, list: &[(&str, i64)]) {
    use yingji_store::Sql;
    let mut clear = Sql::new("UPDATE incidents SET enterprise_id = NULL WHERE enterprise_id = ");
    clear.bind(enterprise);
    app.store.execute(clear).await.unwrap();
    let ids = app
        .store
        .fetch_all(Sql::new(
            "SELECT id FROM incidents WHERE enterprise_id IS NULL ORDER BY id",
        ))
        .await
        .unwrap();
    assert!(ids.len() >= list.len(), "demo incidents");
    for ((day, severity), row) in list.iter().zip(ids.iter()) {
        use yingji_store::sqlx::Row;
        let id: String = row.try_get(0).unwrap();
        let mut q = Sql::new("UPDATE incidents SET enterprise_id = ");
        q.bind(enterprise)
            .push_bind(", severity = ", *severity)
            .push_bind(", occurred_ms = ", noon(day))
            .push_bind(" WHERE id = ", id);
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
