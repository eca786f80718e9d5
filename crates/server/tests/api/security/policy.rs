use super::{login_body, newcomer};
use crate::helpers::*;
use crate::{both, under_policy};
use reqwest::StatusCode;
use serde_json::json;
use yingji_core::kernel::clock::Clock;

const DAY: i64 = 86_400_000;
const MIN: i64 = 60_000;

async fn policy_is_versioned_and_guarded(app: &TestApp) {
    // The 安全保密管理员's (三员分立); the 系统管理员 may not change it.
    let admin = app.login("secadmin").await;
    let (s, p) = app.get(&admin, "/api/v1/security/policy").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(p["version"], 0);
    assert_eq!(p["policy"]["min_length"], 8);
    assert_eq!(p["policy"]["idle_minutes"], 30);
    assert_eq!(p["policy"]["absolute_hours"], 12);
    let commander = app.login("commander").await;
    let (s, _) = app
        .put(
            &commander,
            "/api/v1/security/policy",
            &json!({"history": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app
        .put(
            &app.login("admin").await,
            "/api/v1/security/policy",
            &json!({"history": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) = app
        .put(
            &admin,
            "/api/v1/security/policy",
            &json!({"idle_minutes": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["details"][0]["field"], "idle_minutes");
    let (s, v) = app
        .put(
            &admin,
            "/api/v1/security/policy",
            &json!({"second_factor_roles": ["nobody"]}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let before = app.count("audit_log").await;
    let (s, v) = app
        .put(
            &admin,
            "/api/v1/security/policy",
            &json!({"history": 3, "max_age_days": 60}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["version"], 1);
    assert_eq!(v["policy"]["history"], 3);
    assert_eq!(v["policy"]["min_classes"], 3);
    assert_eq!(app.count("audit_log").await, before + 1);
}
both!(policy_is_versioned_and_guarded);

async fn password_rules_and_history(app: &TestApp) {
    let admin = app.login("admin").await;
    // The initial password an administrator sets follows the policy too.
    let (s, v) = app
        .post(
            &admin,
            "/api/v1/users",
            &json!({"username": "weakling", "display_name": "x",
            "role": "duty_officer", "region_code": "360403", "password": "abcdefgh12"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["details"][0]["field"], "password");
    let c = newcomer(app, &admin, ("liming", None), "First#2026").await;
    let change = |old: &str, new: &str| json!({"old_password": old, "new_password": new});
    for bad in ["short1A", "alllowercase12", "Liming@2026", "gnimil#X2026"] {
        let (s, v) = app
            .post(&c, "/api/v1/auth/password", &change("First#2026", bad))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert_eq!(v["details"][0]["field"], "new_password");
    }
    // The current password and the last five are refused.
    let (s, v) = app
        .post(
            &c,
            "/api/v1/auth/password",
            &change("First#2026", "First#2026"),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let mut old = "First#2026".to_string();
    for n in 1..=2 {
        let next = format!("Second#{n}x");
        let c = app.anonymous();
        assert_eq!(login_body(app, &c, "liming", &old).await.0, StatusCode::OK);
        let (s, v) = app
            .post(&c, "/api/v1/auth/password", &change(&old, &next))
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
        old = next;
    }
    let c = app.anonymous();
    assert_eq!(login_body(app, &c, "liming", &old).await.0, StatusCode::OK);
    let (s, v) = app
        .post(&c, "/api/v1/auth/password", &change(&old, "First#2026"))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["message"].as_str().unwrap().contains("最近5次"), "{v}");
}
both!(password_rules_and_history);

async fn expiry_on_the_test_clock(app: &TestApp) {
    let admin = app.login("admin").await;
    newcomer(app, &admin, ("wangfang", None), "Expire#2026").await;
    // A password of unknown age (the demo's) never expires by age.
    let (_, me) = app.get(&admin, "/api/v1/auth/me").await;
    assert_eq!(me["password_days_left"], serde_json::Value::Null);
    app.clock.advance(84 * DAY);
    let c = app.anonymous();
    let (s, me) = login_body(app, &c, "wangfang", "Expire#2026").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["password_days_left"], 6);
    assert_eq!(me["password_warning"], true);
    assert_eq!(me["password_expired"], false);
    app.clock.advance(6 * DAY);
    let c = app.anonymous();
    let (s, me) = login_body(app, &c, "wangfang", "Expire#2026").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["password_expired"], true);
    let (s, v) = app.get(&c, "/api/v1/enterprises?page_size=1").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(v["code"], "password_expired");
    let (s, _) = app
        .post(
            &c,
            "/api/v1/auth/password",
            &json!({"old_password": "Expire#2026", "new_password": "Renewed#2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let c = app.anonymous();
    let (_, me) = login_body(app, &c, "wangfang", "Renewed#2026").await;
    assert_eq!(me["password_days_left"], 90);
    assert_eq!(
        app.get(&c, "/api/v1/enterprises?page_size=1").await.0,
        StatusCode::OK
    );
}
both!(expiry_on_the_test_clock);

async fn last_login_and_failures_since(app: &TestApp) {
    let c = app.anonymous();
    let (_, first) = login_body(app, &c, "commander", PASSWORD).await;
    let first_at = app.clock.now_ms();
    let _ = first;
    app.clock.advance(MIN);
    for _ in 0..2 {
        assert_eq!(
            login_body(app, &app.anonymous(), "commander", "Wrong#2026")
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
    }
    app.clock.advance(MIN);
    let (s, me) = login_body(app, &app.anonymous(), "commander", PASSWORD).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["last_login_ms"], first_at);
    assert_eq!(me["last_login_ip"], "127.0.0.1");
    assert_eq!(me["failed_since_last_login"], 2);
}
both!(last_login_and_failures_since);

async fn idle_and_absolute_timeouts(app: &TestApp) {
    let c = app.login("commander").await;
    app.clock.advance(29 * MIN);
    assert_eq!(app.get(&c, "/api/v1/auth/me").await.0, StatusCode::OK);
    app.clock.advance(29 * MIN);
    assert_eq!(app.get(&c, "/api/v1/auth/me").await.0, StatusCode::OK);
    app.clock.advance(31 * MIN);
    assert_eq!(
        app.get(&c, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    // Busy all along, a session still ends after 12 hours.
    let c = app.login("commander").await;
    let mut alive = 0;
    for _ in 0..30 {
        app.clock.advance(25 * MIN);
        if app.get(&c, "/api/v1/auth/me").await.0 != StatusCode::OK {
            break;
        }
        alive += 1;
    }
    assert_eq!(alive, 28, "12 h = 28 × 25 min + 20 min");
}
under_policy!(idle_and_absolute_timeouts);

async fn one_session_per_account(app: &TestApp) {
    let admin = app.login("secadmin").await;
    let (s, v) = app
        .put(
            &admin,
            "/api/v1/security/policy",
            &json!({"single_session": true}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let first = app.login("commander").await;
    let second = app.login("commander").await;
    assert_eq!(
        app.get(&first, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get(&second, "/api/v1/auth/me").await.0, StatusCode::OK);
}
both!(one_session_per_account);
