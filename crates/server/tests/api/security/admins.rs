//! 三员分立: every administrative endpoint answers exactly its own administrator (the others
//! 403), the two new roles see no business data, and the 等保 audit events are written.

use crate::both;
use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const ROLES: [&str; 3] = ["admin", "secadmin", "auditor"];

async fn user_id(app: &TestApp, c: &Client, username: &str) -> String {
    let (_, users) = app.get(c, &format!("/api/v1/users?q={username}")).await;
    users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap_or_else(|| panic!("{username}"))["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn call(app: &TestApp, c: &Client, method: &str, path: &str, body: &Value) -> StatusCode {
    match method {
        "GET" => app.get(c, path).await.0,
        "POST" => app.post(c, path, body).await.0,
        "PUT" => app.put(c, path, body).await.0,
        _ => app.delete(c, path).await.0,
    }
}

/// Each administrative endpoint: (method, path, body, the one role allowed or "admin+secadmin").
async fn the_three_administrators_each_get_exactly_their_own(app: &TestApp) {
    let sec = app.login("secadmin").await;
    let street_id = user_id(app, &sec, "street").await;
    let duty_id = user_id(app, &sec, "duty").await;
    let (_, me) = app.get(&app.login("duty").await, "/api/v1/auth/me").await;
    let duty_region = me["user"]["region_code"].clone();
    let (_, depts) = app
        .get(&app.login("admin").await, "/api/v1/departments")
        .await;
    let dept = depts["items"][0].clone();
    let n = std::sync::atomic::AtomicU32::new(0);
    let fresh = || n.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    type Case = (&'static str, String, Value, &'static [&'static str]);
    let mut cases: Vec<Case> = Vec::new();
    for _ in 0..1 {
        let i = fresh();
        cases.extend([
            ("GET", "/api/v1/users".into(), json!(null), &["admin", "secadmin"][..]),
            ("GET", format!("/api/v1/users/{duty_id}"), json!(null), &["admin", "secadmin"]),
            ("GET", "/api/v1/audit".into(), json!(null), &["auditor"]),
            ("GET", "/api/v1/audit/export".into(), json!(null), &["auditor"]),
            ("GET", "/api/v1/audit/verify".into(), json!(null), &["auditor"]),
            ("GET", "/api/v1/enterprises".into(), json!(null), &["admin"]),
            (
                "GET",
                "/api/v1/security/bindings?kind=enterprise&q=".into(),
                json!(null),
                &["admin", "secadmin"],
            ),
            ("GET", "/api/v1/warning-feeds".into(), json!(null), &["admin"]),
            ("POST", format!("/api/v1/users/{street_id}/unlock"), json!({}), &["secadmin"]),
            (
                "POST",
                format!("/api/v1/users/{street_id}/password"),
                json!({"new_password": "Reset@2027x"}),
                &["secadmin"],
            ),
            (
                "PUT",
                format!("/api/v1/departments/{}", dept["id"].as_str().unwrap()),
                json!({"name": dept["name"], "categories": dept["categories"], "region_code": dept["region_code"]}),
                &["admin"],
            ),
        ]);
        let _ = i;
    }
    for role in ROLES {
        let c = app.login(role).await;
        for (method, path, body, allowed) in &cases {
            let s = call(app, &c, method, path, body).await;
            if allowed.contains(&role) {
                assert!(s.is_success(), "{role} {method} {path}: {s}");
            } else {
                assert_eq!(s, StatusCode::FORBIDDEN, "{role} {method} {path}");
            }
        }
        // Creating accounts (business roles) and regions: the system administrator only.
        let k = fresh();
        let account = json!({"username": format!("new{role}{k}"), "display_name": "新同事",
            "role": "duty_officer", "region_code": duty_region, "password": "Welcome@2026"});
        let s = app.post(&c, "/api/v1/users", &account).await.0;
        let region = json!({"code": format!("36040300190{k}"), "name": format!("测试社区{k}"),
            "level": "community", "parent_code": "360403001"});
        let r = app.post(&c, "/api/v1/regions", &region).await;
        if role == "admin" {
            assert_eq!(s, StatusCode::CREATED);
            assert_eq!(r.0, StatusCode::CREATED, "{}", r.1);
        } else {
            assert_eq!(
                (s, r.0),
                (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
                "{role}"
            );
        }
        // Changing a role: the security administrator only.
        let to = if role == "secadmin" {
            "commander"
        } else {
            "street_staff"
        };
        let body = json!({"username": "duty", "display_name": "值班员", "role": to, "region_code": duty_region});
        let s = app
            .put(&c, &format!("/api/v1/users/{duty_id}"), &body)
            .await
            .0;
        if role == "secadmin" {
            assert_eq!(s, StatusCode::OK, "{role}");
        } else {
            assert_eq!(s, StatusCode::FORBIDDEN, "{role}");
        }
    }
}
both!(the_three_administrators_each_get_exactly_their_own);

/// The system administrator creates business accounts only; the security administrator assigns
/// the administrator roles, never their own, and keeps the last holder; the change is audited.
async fn administrator_roles_are_the_security_administrators(app: &TestApp) {
    let admin = app.login("admin").await;
    let sec = app.login("secadmin").await;
    let aud = app.login("auditor").await;
    let (s, e) = app
        .post(
            &admin,
            "/api/v1/users",
            &json!({"username": "aud2", "display_name": "审计二",
        "role": "auditor", "password": "Welcome@2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("安全保密管理员"),
        "{e}"
    );
    let (s, u) = app
        .post(
            &admin,
            "/api/v1/users",
            &json!({"username": "clerk", "display_name": "文员",
        "role": "expert", "region_code": "360403", "password": "Welcome@2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    let id = u["id"].as_str().unwrap().to_string();
    // Only one auditor: they cannot be removed (nor switched off).
    let aud_id = user_id(app, &sec, "auditor").await;
    let off = json!({"username": "auditor", "display_name": "安全审计员", "role": "auditor", "active": false});
    let (s, e) = app
        .put(&sec, &format!("/api/v1/users/{aud_id}"), &off)
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "role");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("最后一位在用的安全审计员")
    );
    // Promote the clerk to auditor; now the first auditor may go.
    let promote = json!({"username": "clerk", "display_name": "文员", "role": "auditor"});
    let (s, v) = app
        .put(&sec, &format!("/api/v1/users/{id}"), &promote)
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["role_label"], "安全审计员");
    // The system administrator no longer edits that account.
    let (s, _) = app
        .put(&admin, &format!("/api/v1/users/{id}"), &promote)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .put(&sec, &format!("/api/v1/users/{aud_id}"), &off)
        .await;
    assert_eq!(s, StatusCode::OK);
    // Nobody changes their own role.
    let sec_id = user_id(app, &sec, "secadmin").await;
    let me = json!({"username": "secadmin", "display_name": "安全保密管理员", "role": "admin"});
    let (s, e) = app.put(&sec, &format!("/api/v1/users/{sec_id}"), &me).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, _) = app
        .post(
            &sec,
            &format!("/api/v1/users/{sec_id}/password"),
            &json!({"new_password": "Reset@2027x"}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The permission change is its own audit record, readable by the (new) auditor only.
    let clerk = app.anonymous();
    let r = clerk
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "clerk", "password": "Welcome@2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // A first password is changed before anything else.
    let (s, v) = app
        .post(
            &clerk,
            "/api/v1/auth/password",
            &json!({"old_password": "Welcome@2026", "new_password": "Shenji#2026x"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let clerk = app.anonymous();
    let r = clerk
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "clerk", "password": "Shenji#2026x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (s, _) = app.get(&aud, "/api/v1/audit").await;
    assert_eq!(
        s,
        StatusCode::UNAUTHORIZED,
        "the disabled auditor's session ended"
    );
    let (s, _) = app
        .get(&app.login("admin").await, "/api/v1/audit?action=permission")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, log) = app.get(&clerk, "/api/v1/audit?action=permission").await;
    assert_eq!(s, StatusCode::OK, "{log}");
    assert!(log["total"].as_i64().unwrap() >= 1, "{log}");
    let row = app
        .store
        .fetch_optional({
            let mut q = yingji_store::Sql::new("SELECT summary FROM audit_log WHERE action = ");
            q.bind("permission");
            q
        })
        .await
        .unwrap()
        .expect("a permission record");
    let summary: String = yingji_store::sqlx::Row::try_get(&row, "summary").unwrap();
    assert_eq!(summary, "变更用户“clerk”的角色：专家 → 安全审计员");
}
both!(administrator_roles_are_the_security_administrators);

/// The security administrator and the auditor read no business records.
async fn the_security_roles_see_no_business_data(app: &TestApp) {
    for role in ["secadmin", "auditor"] {
        let c = app.login(role).await;
        for path in [
            "/api/v1/enterprises",
            "/api/v1/hazards",
            "/api/v1/workbench",
            "/api/v1/incidents",
            "/api/v1/protected-objects",
        ] {
            let (s, v) = app.get(&c, path).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{role} {path}: {v}");
            assert_eq!(v["message"], "您的角色无权使用此功能");
        }
        let (s, me) = app.get(&c, "/api/v1/auth/me").await;
        assert_eq!(s, StatusCode::OK, "{me}");
    }
    // The security administrator reads the regions to assign scopes.
    let (s, r) = app
        .get(&app.login("secadmin").await, "/api/v1/regions")
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(!r["items"].as_array().unwrap().is_empty(), "{r}");
}
both!(the_security_roles_see_no_business_data);
