use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

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
    let (s, _) = app.post(&c, "/api/v1/auth/logout", &json!({})).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
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

async fn wrong_password_and_lockout(app: &TestApp) {
    let c = app.anonymous();
    for i in 0..5 {
        let (s, body) = app
            .post(
                &c,
                "/api/v1/auth/login",
                &json!({"username": "street", "password": "wrong-pass-1"}),
            )
            .await;
        if i < 4 {
            assert_eq!(s, StatusCode::UNAUTHORIZED);
            assert_eq!(body["message"], "用户名或密码错误");
        } else {
            assert_eq!(s, StatusCode::FORBIDDEN);
            assert_eq!(body["code"], "account_locked");
        }
    }
    // Locked: even the right password is refused until the lock expires.
    let (s, body) = app
        .post(
            &c,
            "/api/v1/auth/login",
            &json!({"username": "street", "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(body["message"].as_str().unwrap().contains("锁定"));
    app.clock.advance(16 * 60 * 1000);
    let (s, _) = app
        .post(
            &c,
            "/api/v1/auth/login",
            &json!({"username": "street", "password": PASSWORD}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // Unknown users get the same answer as wrong passwords.
    let (s, body) = app
        .post(
            &c,
            "/api/v1/auth/login",
            &json!({"username": "nobody", "password": "x"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["message"], "用户名或密码错误");
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
            &admin,
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
