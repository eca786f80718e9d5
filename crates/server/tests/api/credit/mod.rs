//! 企业主体责任与信用 (credit) through the API.

mod commitments;
mod dossier;
mod licences;
mod rating;
mod scheme;

use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::Value;

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
