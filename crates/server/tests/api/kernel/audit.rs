use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

async fn changes_are_audited_and_chained(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = first_grid(app, &admin, "360403001").await;
    let (_, e) = app
        .post(
            &admin,
            "/api/v1/enterprises",
            &enterprise_body(700, &grid, "hazchem"),
        )
        .await;
    let id = e["id"].as_str().unwrap();
    let mut body = enterprise_body(700, &grid, "hazchem");
    body["name"] = json!("审计后名称");
    app.put(&admin, &format!("/api/v1/enterprises/{id}"), &body)
        .await;
    let (s, log) = app
        .get(
            &app.login("auditor").await,
            &format!("/api/v1/audit?entity_type=enterprise&entity_id={id}"),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(log["total"], 2);
    let update = &log["items"][0];
    assert_eq!(update["action"], "update");
    assert_eq!(update["actor_name"], "admin");
    assert!(update["at"].as_str().unwrap().ends_with("+08:00"));
    let before: serde_json::Value =
        serde_json::from_str(update["before"].as_str().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(update["after"].as_str().unwrap()).unwrap();
    assert_eq!(before["name"], "测试企业700有限公司");
    assert_eq!(after["name"], "审计后名称");
    let (_, logins) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?action=login&actor=admin",
        )
        .await;
    assert!(logins["total"].as_i64().unwrap() >= 1);
    let (_, dated) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?from=2000-01-01&to=2000-01-02",
        )
        .await;
    assert_eq!(dated["total"], 0);
    let (s, e) = app
        .get(&app.login("auditor").await, "/api/v1/audit?from=yesterday")
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "from");

    let (_, v) = app
        .get(&app.login("auditor").await, "/api/v1/audit/verify")
        .await;
    assert!(v["first_break"].is_null(), "{v}");
    let checked = v["checked"].as_i64().unwrap();
    assert!(checked > 5);
    // Tampering with one record is found and named.
    let mut t = yingji_store::Sql::new("UPDATE audit_log SET summary = 'tampered' WHERE seq = ");
    t.bind(3i64);
    app.store.execute(t).await.unwrap();
    let (_, v) = app
        .get(&app.login("auditor").await, "/api/v1/audit/verify")
        .await;
    assert_eq!(v["first_break"]["seq"], 3);
    assert_eq!(v["checked"], 2);
}
both!(changes_are_audited_and_chained);

async fn concurrent_writes_keep_the_chain(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = first_grid(app, &admin, "360403001").await;
    let mut tasks = Vec::new();
    for n in 0..12u32 {
        let (c, url, body) = (
            admin.clone(),
            app.url("/api/v1/enterprises"),
            enterprise_body(800 + n, &grid, "industry_trade"),
        );
        tasks.push(tokio::spawn(async move {
            c.post(url)
                .json(&body)
                .send_checked()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::CREATED);
    }
    let (_, v) = app
        .get(&app.login("auditor").await, "/api/v1/audit/verify")
        .await;
    assert!(v["first_break"].is_null(), "{v}");
}
both!(concurrent_writes_keep_the_chain);
