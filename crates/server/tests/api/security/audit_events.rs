//! 等保 安全审计: log-ins, log-outs and failures (with the client address, never the
//! password), exports of personal data and reads of a 特殊群体's record are in the audit chain.

use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn log(app: &TestApp, query: &str) -> Vec<Value> {
    let aud = app.login("auditor").await;
    let (s, v) = app
        .get(&aud, &format!("/api/v1/audit?{query}&page_size=100"))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"].as_array().unwrap().clone()
}

async fn logins_logouts_and_failures_are_audited(app: &TestApp) {
    let c = app.anonymous();
    let r = c
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "street", "password": "Wrong@Secret1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let street = app.login("street").await;
    let (s, _) = app.post(&street, "/api/v1/auth/logout", &json!({})).await;
    assert_eq!(s, StatusCode::OK);
    for (action, label) in [
        ("login_failed", "登录失败"),
        ("login", "登录"),
        ("logout", "退出登录"),
    ] {
        let rows = log(app, &format!("action={action}&actor=street")).await;
        let row = rows.first().unwrap_or_else(|| panic!("{action}"));
        assert_eq!(row["action_label"], label, "{row}");
        assert_eq!(row["ip"], "127.0.0.1", "{row}");
        assert!(!row.to_string().contains("Wrong@Secret1"), "{row}");
    }
}
both!(logins_logouts_and_failures_are_audited);

async fn personal_exports_and_special_person_reads_are_audited(app: &TestApp) {
    let admin = app.login("admin").await;
    let r = admin
        .get(app.url("/api/v1/experts/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let rows = log(app, "action=export_personal").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["action_label"], "导出个人信息");
    assert!(
        rows[0]["summary"]
            .as_str()
            .unwrap()
            .starts_with("导出专家库（"),
        "{rows:?}"
    );
    assert_eq!(rows[0]["actor_name"], "admin");
    // A 特殊群体 in the grid worker's grid: each read that shows their data is recorded.
    let grid = app.login("grid").await;
    let (_, me) = app.get(&grid, "/api/v1/auth/me").await;
    let code = me["scope"]["region_code"].as_str().unwrap().to_string();
    let (_, region) = app.get(&admin, &format!("/api/v1/regions/{code}")).await;
    let body = json!({"kind": "special_person", "name": "张奶奶", "address": "测试路1号",
        "lon": region["center"][0], "lat": region["center"][1], "region_code": code,
        "responsible_name": "网格员", "responsible_phone": "13900000001"});
    let (s, o) = app.post(&admin, "/api/v1/protected-objects", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let id = o["id"].as_str().unwrap();
    assert!(log(app, "action=read_personal").await.is_empty());
    let (s, _) = app
        .get(&grid, &format!("/api/v1/protected-objects/{id}"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, list) = app
        .get(&grid, "/api/v1/protected-objects?kind=special_person")
        .await;
    assert_eq!(list["items"][0]["masked"], false);
    // The commander sees it masked: nothing personal shown, nothing recorded.
    let commander = app.login("commander").await;
    let (_, theirs) = app
        .get(&commander, "/api/v1/protected-objects?kind=special_person")
        .await;
    assert_eq!(theirs["items"][0]["masked"], true);
    let rows = log(app, "action=read_personal").await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter()
            .all(|r| r["actor_name"] == "grid" && r["action_label"] == "查看特殊群体信息")
    );
    assert_eq!(rows[1]["entity_id"], id, "{rows:?}");
}
both!(personal_exports_and_special_person_reads_are_audited);
