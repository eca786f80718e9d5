use super::login_body;
use crate::both;
use crate::helpers::*;
use crate::kernel::notify::{Inbox, eventually, http_receiver};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;
use yingji_core::security::totp;

pub(super) async fn second_step(
    app: &TestApp,
    c: &reqwest::Client,
    pending: &Value,
    (method, code): (&str, &str),
) -> (StatusCode, Value) {
    app.post(
        c,
        "/api/v1/auth/login/factor",
        &json!({"pending_token": pending["pending_token"], "method": method, "code": code}),
    )
    .await
}

/// Enrols a TOTP for `c`, signed in as `username` (with the demo password), and answers a new
/// client signed in with both factors.
pub(super) async fn signed_in_with_totp(
    app: &TestApp,
    c: &reqwest::Client,
    username: &str,
) -> reqwest::Client {
    let (key, _) = enrol(app, c).await;
    app.clock.advance(totp::STEP_MS);
    let c = app.anonymous();
    let (_, pending) = login_body(app, &c, username, PASSWORD).await;
    let code = totp::code_at(&key, app.clock.now_ms());
    let (s, v) = second_step(app, &c, &pending, ("totp", &code)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    c
}

/// Enrols a TOTP for the signed-in `c`; answers the key and the recovery codes.
pub(super) async fn enrol(app: &TestApp, c: &reqwest::Client) -> (Vec<u8>, Vec<String>) {
    let (s, e) = app
        .post(c, "/api/v1/security/factor/totp", &json!({}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    assert!(e["uri"].as_str().unwrap().starts_with("otpauth://totp/"));
    let key = totp::base32_decode(e["secret"].as_str().unwrap()).unwrap();
    let (s, v) = app
        .post(
            c,
            "/api/v1/security/factor/totp/confirm",
            &json!({"code": "000000x"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let code = totp::code_at(&key, app.clock.now_ms());
    let (s, v) = app
        .post(
            c,
            "/api/v1/security/factor/totp/confirm",
            &json!({"code": code}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let codes: Vec<String> = v["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    (key, codes)
}

async fn totp_and_recovery_codes(app: &TestApp) {
    let c = app.login("commander").await;
    let (key, codes) = enrol(app, &c).await;
    let (_, me) = app.get(&c, "/api/v1/auth/me").await;
    assert_eq!(me["second_factor_enrolled"], true);
    // The password alone no longer signs in: a pending login asks for the factor.
    let c = app.anonymous();
    let (s, pending) = login_body(app, &c, "commander", PASSWORD).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{pending}");
    assert_eq!(pending["methods"], json!(["totp", "recovery"]));
    assert_eq!(
        app.get(&c, "/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    // The code that confirmed the enrolment was used: the same step is refused (replay).
    let used = totp::code_at(&key, app.clock.now_ms());
    let (s, v) = second_step(app, &c, &pending, ("totp", &used)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["details"][0]["field"], "code");
    app.clock.advance(totp::STEP_MS);
    let code = totp::code_at(&key, app.clock.now_ms());
    let (s, me) = second_step(app, &c, &pending, ("totp", &code)).await;
    assert_eq!(s, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["username"], "commander");
    assert_eq!(app.get(&c, "/api/v1/auth/me").await.0, StatusCode::OK);
    // The pending login is spent.
    let (s, _) = second_step(app, &c, &pending, ("totp", &code)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // A recovery code works once.
    for (code, want) in [
        (&codes[0], StatusCode::OK),
        (&codes[0], StatusCode::BAD_REQUEST),
        (&codes[1].to_lowercase(), StatusCode::OK),
    ] {
        let c = app.anonymous();
        let (_, pending) = login_body(app, &c, "commander", PASSWORD).await;
        let (s, v) = second_step(app, &c, &pending, ("recovery", code)).await;
        assert_eq!(s, want, "{code}: {v}");
    }
    // Five wrong codes drop the pending login.
    let c = app.anonymous();
    let (_, pending) = login_body(app, &c, "commander", PASSWORD).await;
    for _ in 0..5 {
        assert_eq!(
            second_step(app, &c, &pending, ("totp", "000000")).await.0,
            StatusCode::BAD_REQUEST
        );
    }
    let code = totp::code_at(&key, app.clock.now_ms() + totp::STEP_MS);
    assert_eq!(
        second_step(app, &c, &pending, ("totp", &code)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (s, v) = app.get(&app.anonymous(), "/api/v1/auth/me").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{v}");
}
both!(totp_and_recovery_codes);

/// The SMS second factor, the code received by a loopback SMS gateway: the number is the
/// account's (sealed in the database, opened to send) and the outbox row keeps it sealed.
async fn sms_code_through_the_gateway(backend: Backend) {
    let (web, inbox) = http_receiver().await;
    let Some(app) = super::spawn_policy_texting(backend, &web).await else {
        return;
    };
    sms_code_received(&app, &inbox).await;
    app.drop_database().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_code_through_the_gateway_sqlite() {
    sms_code_through_the_gateway(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sms_code_through_the_gateway_postgres() {
    sms_code_through_the_gateway(Backend::Postgres).await;
}

async fn sms_code_received(app: &TestApp, inbox: &Inbox) {
    let admin = app.login("admin").await;
    // An administrator without a factor reaches only enrolment (and its password).
    let (s, v) = app.get(&admin, "/api/v1/enterprises?page_size=1").await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert_eq!(v["code"], "second_factor_required");
    // The console's settings (the watermark) are read on the enrolment page too.
    let (s, v) = app.get(&admin, "/api/v1/security/settings").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, f) = app.get(&admin, "/api/v1/security/factor").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(f["required"], true);
    assert_eq!(f["totp"], false);
    let admin = signed_in_with_totp(app, &admin, "admin").await;
    let secadmin = app.login("secadmin").await;
    let secadmin = signed_in_with_totp(app, &secadmin, "secadmin").await;
    // The policy names duty officers: one with a mobile number gets an SMS code.
    let (s, v) = app
        .put(
            &secadmin,
            "/api/v1/security/policy",
            &json!({"second_factor_roles": ["duty_officer"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let _ = newcomer_after_policy(app, &admin).await;
    let c = app.anonymous();
    let (s, pending) = login_body(app, &c, "zhaolei", "Sms#Code2026").await;
    assert_eq!(s, StatusCode::ACCEPTED, "{pending}");
    assert_eq!(pending["methods"], json!(["sms"]));
    let before = app.count("outbox").await;
    let (s, v) = app
        .post(
            &c,
            "/api/v1/auth/login/sms",
            &json!({"pending_token": pending["pending_token"]}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    assert_eq!(app.count("outbox").await, before + 1);
    let hit = eventually("短信验证码", async || inbox.at("/sms").pop()).await;
    let text: Value = serde_json::from_str(&hit.body).expect("json");
    assert_eq!(text["phone"], "13900001111", "{text}");
    let (_, code) = text["text"]
        .as_str()
        .and_then(|t| t.split_once("验证码为"))
        .expect("code in the text");
    let sms: String = code.chars().filter(char::is_ascii_digit).take(6).collect();
    assert_eq!(sms.len(), 6, "{text}");
    let destination: String = {
        use yingji_store::sqlx::Row;
        let q = yingji_store::Sql::new(
            "SELECT destination FROM outbox WHERE event = 'security.sms_code'",
        );
        app.store.fetch_all(q).await.unwrap()[0]
            .try_get("destination")
            .unwrap()
    };
    assert!(
        yingji_core::kernel::gm::is_sealed(&destination) && !destination.contains("1111"),
        "{destination}"
    );
    assert_eq!(
        second_step(app, &c, &pending, ("sms", "999999x")).await.0,
        StatusCode::BAD_REQUEST
    );
    let (s, me) = second_step(app, &c, &pending, ("sms", &sms)).await;
    assert_eq!(s, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["must_change_password"], true);
    assert_eq!(app.get(&c, "/api/v1/auth/me").await.0, StatusCode::OK);
}

/// A duty officer with a mobile number, created after the policy named the role: the first
/// login (a password someone else set) still goes through SMS before the change.
async fn newcomer_after_policy(app: &TestApp, admin: &reqwest::Client) -> String {
    let (s, u) = app
        .post(
            admin,
            "/api/v1/users",
            &json!({"username": "zhaolei", "display_name": "赵磊", "role": "duty_officer",
                "region_code": "360403", "phone": "13900001111", "password": "Sms#Code2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    u["id"].as_str().unwrap().to_string()
}
