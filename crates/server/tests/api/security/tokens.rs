use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;
use yingji_core::kernel::clock::Clock;

async fn status(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
) -> (StatusCode, String) {
    let r = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token)
        .json(&json!({}))
        .send_checked()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn tokens_stay_out_of_security_and_accounts(app: &TestApp) {
    let admin = app.login("admin").await;
    let (s, t) = app
        .post(&admin, "/api/v1/tokens", &json!({"name": "管理令牌"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let token = t["token"].as_str().unwrap().to_string();
    use reqwest::Method;
    for (m, path) in [
        (Method::GET, "/api/v1/users"),
        (Method::GET, "/api/v1/security/policy"),
        (Method::PUT, "/api/v1/security/policy"),
        (Method::POST, "/api/v1/security/factor/totp"),
        (Method::GET, "/api/v1/tokens"),
        (Method::GET, "/api/v1/audit"),
        (Method::POST, "/api/v1/auth/password"),
    ] {
        let (s, body) = status(app, m.clone(), path, &token).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{m} {path}: {body}");
        assert!(body.contains("token_limited"), "{body}");
    }
    assert_eq!(
        status(app, Method::GET, "/api/v1/enterprises?page_size=1", &token)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        status(app, Method::GET, "/api/v1/auth/me", &token).await.0,
        StatusCode::OK
    );
}
both!(tokens_stay_out_of_security_and_accounts);

async fn token_life_bounded_by_the_policy(app: &TestApp) {
    let admin = app.login("secadmin").await;
    let (s, v) = app
        .put(
            &admin,
            "/api/v1/security/policy",
            &json!({"token_max_days": 30}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let c = app.login("commander").await;
    let (s, v) = app
        .post(
            &c,
            "/api/v1/tokens",
            &json!({"name": "t", "expires_in_days": 60}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["details"][0]["field"], "expires_in_days");
    let now = app.clock.now_ms();
    let (s, v) = app.post(&c, "/api/v1/tokens", &json!({"name": "t"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["info"]["expires_ms"], now + 30 * 86_400_000);
}
both!(token_life_bounded_by_the_policy);
