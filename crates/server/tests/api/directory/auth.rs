use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn session_cookie_and_logout(app: &TestApp) {
    let c = app.anonymous();
    let r = c
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let (s, me) = app.get(&c, "/api/v1/auth/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["user"]["username"], "admin");
    assert!(me["user"].get("password_hash").is_none());
    // Logout revokes the session on the server: the old cookie no longer works.
    let token = cookie.split(';').next().unwrap().to_string();
    let (s, v) = app.post(&c, "/api/v1/auth/logout", &json!({})).await;
    assert_eq!(
        (s, &v["provider_logout_url"]),
        (StatusCode::OK, &Value::Null)
    );
    let replay = reqwest::Client::new()
        .get(app.url("/api/v1/auth/me"))
        .header("cookie", token)
        .send_checked()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    let (s, body) = app.get(&app.anonymous(), "/api/v1/enterprises").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["message"], "请先登录");
}
both!(session_cookie_and_logout);

/// A client whose connections come from another loopback address (a stranger elsewhere).
fn from_address(last: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .local_address(std::net::IpAddr::from([127, 0, 0, last]))
        .build()
        .unwrap()
}

/// A user's id, looked up by an administrator.
async fn user_id(app: &TestApp, admin: &reqwest::Client, username: &str) -> String {
    let (_, users) = app.get(admin, &format!("/api/v1/users?q={username}")).await;
    users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == username)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

const REFUSED: &str = "用户名或密码错误（连续多次失败后将暂时限制从本地址登录）";

async fn login_as(
    app: &TestApp,
    c: &reqwest::Client,
    user: &str,
    password: &str,
) -> (StatusCode, Value) {
    app.post(
        c,
        "/api/v1/auth/login",
        &json!({"username": user, "password": password}),
    )
    .await
}

async fn wrong_password_and_lockout(app: &TestApp) {
    let stranger = from_address(2);
    // Five wrong passwords, then even the right one: one answer throughout, never "locked".
    for _ in 0..5 {
        let (s, body) = login_as(app, &stranger, "street", "wrong-pass-1").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_eq!(body["code"], "invalid_credentials");
        assert_eq!(body["message"], REFUSED);
    }
    let (s, body) = login_as(app, &stranger, "street", PASSWORD).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["message"], REFUSED);
    // The lock binds the stranger's address, not the account: the owner still signs in.
    let owner = app.anonymous();
    let (s, body) = login_as(app, &owner, "street", PASSWORD).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    // Unknown names are counted and answered exactly like real ones.
    for _ in 0..6 {
        let (s, body) = login_as(app, &stranger, "nobody", "x").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_eq!(body["code"], "invalid_credentials");
        assert_eq!(body["message"], REFUSED);
    }
    // The lock ends after 15 minutes; the next failure locks for twice as long.
    app.clock.advance(16 * 60 * 1000);
    let (s, _) = login_as(app, &stranger, "street", "wrong-pass-2").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    app.clock.advance(16 * 60 * 1000);
    assert_eq!(
        login_as(app, &stranger, "street", PASSWORD).await.0,
        StatusCode::UNAUTHORIZED
    );
    // The administrator unlocks the account (every address), audited.
    let admin = app.login("admin").await;
    let id = user_id(app, &admin, "street").await;
    let street = app.login("street").await;
    assert_eq!(
        app.post(&street, &format!("/api/v1/users/{id}/unlock"), &json!({}))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (s, _) = app
        .post(
            &app.login("secadmin").await,
            &format!("/api/v1/users/{id}/unlock"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, body) = login_as(app, &stranger, "street", PASSWORD).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, audit) = app
        .get(&app.login("auditor").await, "/api/v1/audit?action=unlock")
        .await;
    assert!(
        audit.to_string().contains("解除用户“street”的登录锁定"),
        "{audit}"
    );
}
both!(wrong_password_and_lockout);

async fn password_change_revokes_sessions(app: &TestApp) {
    let a = app.login("duty").await;
    let b = app.login("duty").await;
    let (s, body) = app
        .post(
            &a,
            "/api/v1/auth/password",
            &json!({"old_password": PASSWORD, "new_password": "short"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(body["details"][0]["field"], "new_password");
    let (s, body) = app
        .post(
            &a,
            "/api/v1/auth/password",
            &json!({"old_password": "bad", "new_password": "NewPass2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(body["details"][0]["field"], "old_password");
    let (s, _) = app
        .post(
            &a,
            "/api/v1/auth/password",
            &json!({"old_password": PASSWORD, "new_password": "NewPass2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&b, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(&a, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    let c = app.anonymous();
    let (s, _) = app
        .post(
            &c,
            "/api/v1/auth/login",
            &json!({"username": "duty", "password": "NewPass2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}
both!(password_change_revokes_sessions);

async fn new_user_must_change_password(app: &TestApp) {
    let admin = app.login("admin").await;
    let (s, u) = app.post(&admin, "/api/v1/users", &json!({"username": "newcomer", "display_name": "新同事", "role": "duty_officer", "region_code": "360403", "password": "Initial2026"})).await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    assert_eq!(u["must_change_password"], true);
    let c = app.anonymous();
    let (s, _) = app
        .post(
            &c,
            "/api/v1/auth/login",
            &json!({"username": "newcomer", "password": "Initial2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, body) = app.get(&c, "/api/v1/enterprises").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "password_change_required");
    assert_eq!(app.get(&c, "/api/v1/auth/me").await.0, StatusCode::OK);
    let (s, _) = app
        .post(
            &c,
            "/api/v1/auth/password",
            &json!({"old_password": "Initial2026", "new_password": "Changed2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let c = app.anonymous();
    app.post(
        &c,
        "/api/v1/auth/login",
        &json!({"username": "newcomer", "password": "Changed2026"}),
    )
    .await;
    assert_eq!(app.get(&c, "/api/v1/enterprises").await.0, StatusCode::OK);
    // An admin reset forces another change and ends the user's sessions.
    let (s, _) = app
        .post(
            &app.login("secadmin").await,
            &format!("/api/v1/users/{}/password", u["id"].as_str().unwrap()),
            &json!({"new_password": "Reset2026x"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&c, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
}
both!(new_user_must_change_password);

async fn api_tokens(app: &TestApp) {
    let c = app.login("commander").await;
    let (s, t) = app
        .post(&c, "/api/v1/tokens", &json!({"name": "数据对接"}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let token = t["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("yj_"));
    let machine = reqwest::Client::new();
    let r = machine
        .get(app.url("/api/v1/enterprises?page_size=1"))
        .bearer_auth(&token)
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // The token is stored only as a digest.
    let (_, list) = app.get(&c, "/api/v1/tokens").await;
    assert_eq!(list[0]["name"], "数据对接");
    assert!(!list.to_string().contains(&token));
    let (s, _) = app
        .delete(
            &c,
            &format!("/api/v1/tokens/{}", t["info"]["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let r = machine
        .get(app.url("/api/v1/enterprises?page_size=1"))
        .bearer_auth(&token)
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = machine
        .get(app.url("/api/v1/enterprises"))
        .bearer_auth("yj_forged")
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
both!(api_tokens);

/// The status a bearer token gets for one request.
async fn token_status(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
) -> StatusCode {
    reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token)
        .json(&json!({"name": "x"}))
        .send_checked()
        .await
        .unwrap()
        .status()
}

async fn token_limits_expiry_and_revocation(app: &TestApp) {
    let c = app.login("commander").await;
    // Bad limits are named.
    for (body, field) in [
        (
            json!({"name": "t", "expires_in_days": 0}),
            "expires_in_days",
        ),
        (
            json!({"name": "t", "expires_in_days": 400}),
            "expires_in_days",
        ),
        (json!({"name": "t", "resources": ["users"]}), "resources"),
    ] {
        let (s, v) = app.post(&c, "/api/v1/tokens", &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert_eq!(v["details"][0]["field"], field);
    }
    // Read-only: reads pass, writes are refused.
    let (_, ro) = app
        .post(
            &c,
            "/api/v1/tokens",
            &json!({"name": "只读", "read_only": true, "expires_in_days": 7}),
        )
        .await;
    let ro_token = ro["token"].as_str().unwrap().to_string();
    assert_eq!(ro["info"]["read_only"], true);
    assert_eq!(
        token_status(
            app,
            reqwest::Method::GET,
            "/api/v1/enterprises?page_size=1",
            &ro_token
        )
        .await,
        StatusCode::OK
    );
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/duty/log"))
        .bearer_auth(&ro_token)
        .json(&json!({"kind": "other", "text": "x"}))
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("只读"));
    // A resource subset: only what it names.
    let (_, sub) = app
        .post(
            &c,
            "/api/v1/tokens",
            &json!({"name": "隐患对接", "resources": ["hazards"]}),
        )
        .await;
    let sub_token = sub["token"].as_str().unwrap().to_string();
    assert_eq!(
        token_status(
            app,
            reqwest::Method::GET,
            "/api/v1/hazards?page_size=1",
            &sub_token
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        token_status(
            app,
            reqwest::Method::GET,
            "/api/v1/enterprises?page_size=1",
            &sub_token
        )
        .await,
        StatusCode::FORBIDDEN
    );
    // Expiry: the 7-day token dies after 7 days; the 90-day default lives on.
    app.clock.advance(8 * 86_400_000);
    assert_eq!(
        token_status(
            app,
            reqwest::Method::GET,
            "/api/v1/enterprises?page_size=1",
            &ro_token
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        token_status(
            app,
            reqwest::Method::GET,
            "/api/v1/hazards?page_size=1",
            &sub_token
        )
        .await,
        StatusCode::OK
    );
    // A password reset by the administrator revokes every token of the user.
    let admin = app.login("admin").await;
    let id = user_id(app, &admin, "commander").await;
    let (s, _) = app
        .post(
            &app.login("secadmin").await,
            &format!("/api/v1/users/{id}/password"),
            &json!({"new_password": "Reset@2027x"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(
        token_status(
            app,
            reqwest::Method::GET,
            "/api/v1/hazards?page_size=1",
            &sub_token
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
}
both!(token_limits_expiry_and_revocation);

#[tokio::test]
async fn login_rate_limit() {
    let cfg = yingji_server::ServerConfig {
        login_per_minute: 3,
        ..Default::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, cfg).await;
    let c = app.anonymous();
    for _ in 0..3 {
        let (s, _) = app
            .post(
                &c,
                "/api/v1/auth/login",
                &json!({"username": "x", "password": "y"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    let (s, body) = app
        .post(
            &c,
            "/api/v1/auth/login",
            &json!({"username": "admin", "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert!(body["message"].as_str().unwrap().contains("频繁"));
    // The reply says when to come back.
    let r = c
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: i64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    app.clock.advance(61_000);
    let (s, _) = app
        .post(
            &c,
            "/api/v1/auth/login",
            &json!({"username": "admin", "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
}
