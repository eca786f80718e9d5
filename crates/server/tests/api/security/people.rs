//! 国密 for accounts (issue 26 item 5, ADR 0032): a user's phone and TOTP secret are sealed with
//! SM4 at rest (no plaintext in the row or the SQLite file, the API and the login read them), the
//! audit snapshots of an account carry the phone masked, and the start-up job seals old rows of
//! both (`user_factors` walks by `user_id`).

use super::login_body;
use super::second_factor::{enrol, second_step};
use crate::both;
use crate::helpers::{PASSWORD, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;
use yingji_core::kernel::gm;
use yingji_core::security::totp;
use yingji_store::Sql;
use yingji_store::sqlx::Row;

const PHONE: &str = "13955507777";
const NEW_PHONE: &str = "13955508888";

/// One text column of one row, as stored.
async fn raw(app: &TestApp, sql: &str, key: &str) -> Option<String> {
    let mut q = Sql::new(sql);
    q.bind(key);
    let r = app.store.fetch_optional(q).await.unwrap().expect("row");
    r.try_get(0).unwrap()
}

async fn user_id(app: &TestApp, username: &str) -> String {
    raw(app, "SELECT id FROM users WHERE username = ", username)
        .await
        .expect("user")
}

fn no_plaintext_in_files(app: &TestApp, plain: &str) {
    for f in app.sqlite_files() {
        let bytes = std::fs::read(&f).unwrap_or_default();
        assert!(
            !bytes.windows(plain.len()).any(|w| w == plain.as_bytes()),
            "plaintext {plain} in {}",
            f.display()
        );
    }
}

/// The system administrator creates and edits an account with a phone: the row holds it sealed,
/// the API answers it, and the audit records (create, update) carry it masked.
async fn account_phone_sealed_at_rest(app: &TestApp) {
    let admin = app.login("admin").await;
    let mut body = json!({"username": "qianfeng", "display_name": "钱峰", "role": "duty_officer",
        "region_code": "360403", "phone": PHONE, "password": "Initial@2026"});
    let (s, u) = app.post(&admin, "/api/v1/users", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    assert_eq!(u["phone"], PHONE);
    let id = u["id"].as_str().unwrap().to_string();
    let sealed = raw(app, "SELECT phone FROM users WHERE id = ", &id)
        .await
        .expect("sealed phone");
    assert!(sealed.starts_with("sm4gcm:v1:td1:"), "{sealed}");
    assert!(!sealed.contains("7777"), "{sealed}");
    let (s, v) = app.get(&admin, &format!("/api/v1/users/{id}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["phone"], PHONE, "{v}");
    let (_, list) = app.get(&admin, "/api/v1/users?q=qianfeng").await;
    assert_eq!(list["items"][0]["phone"], PHONE, "{list}");

    body["phone"] = NEW_PHONE.into();
    body.as_object_mut().unwrap().remove("password");
    let (s, v) = app.put(&admin, &format!("/api/v1/users/{id}"), &body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["phone"], NEW_PHONE, "{v}");
    let sealed = raw(app, "SELECT phone FROM users WHERE id = ", &id).await;
    assert!(gm::is_sealed(&sealed.unwrap()));

    let mut q = Sql::new(
        "SELECT before_json, after_json FROM audit_log WHERE entity_type = 'user' AND entity_id = ",
    );
    q.bind(&id).push(" ORDER BY seq");
    let rows = app.store.fetch_all(q).await.unwrap();
    assert!(rows.len() >= 2);
    let mut snapshots = String::new();
    for r in &rows {
        for c in ["before_json", "after_json"] {
            let v: Option<String> = r.try_get(c).unwrap();
            snapshots.push_str(&v.unwrap_or_default());
        }
    }
    assert!(
        !snapshots.contains(PHONE) && !snapshots.contains(NEW_PHONE),
        "{snapshots}"
    );
    assert!(
        snapshots.contains("139****7777") && snapshots.contains("139****8888"),
        "{snapshots}"
    );
    no_plaintext_in_files(app, PHONE);
    no_plaintext_in_files(app, NEW_PHONE);
}
both!(account_phone_sealed_at_rest);

/// Signs `username` in with the password and the TOTP code of the next step.
async fn totp_login(app: &TestApp, username: &str, key: &[u8]) {
    app.clock.advance(totp::STEP_MS);
    let c = app.anonymous();
    let (s, pending) = login_body(app, &c, username, PASSWORD).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{pending}");
    let code = totp::code_at(key, app.clock.now_ms());
    let (s, me) = second_step(app, &c, &pending, ("totp", &code)).await;
    assert_eq!(s, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["username"], username);
}

/// The TOTP secret is sealed from the enrolment on; the login still verifies codes with it.
async fn totp_secret_sealed_at_rest(app: &TestApp) {
    let c = app.login("commander").await;
    let (key, _) = enrol(app, &c).await;
    let secret = totp::base32_encode(&key);
    let id = user_id(app, "commander").await;
    let sealed = raw(
        app,
        "SELECT totp_secret FROM user_factors WHERE user_id = ",
        &id,
    )
    .await
    .expect("sealed secret");
    assert!(sealed.starts_with("sm4gcm:v1:td1:"), "{sealed}");
    assert!(!sealed.contains(&secret[..8]), "{sealed}");
    no_plaintext_in_files(app, &secret);
    totp_login(app, "commander", &key).await;
}
both!(totp_secret_sealed_at_rest);

/// Rows from before the sealing (a plaintext phone, a plaintext TOTP secret, a plaintext number
/// in the outbox) are sealed by the start-up job, once; the API and the login still read them.
async fn old_account_rows_are_sealed(app: &TestApp) {
    let c = app.login("commander").await;
    let (key, _) = enrol(app, &c).await;
    let commander = user_id(app, "commander").await;
    let duty = user_id(app, "duty").await;
    let mut q = Sql::new("UPDATE users SET phone = '13700002222' WHERE id = ");
    q.bind(&duty);
    app.store.execute(q).await.unwrap();
    let mut q = Sql::new("UPDATE user_factors SET totp_secret = ");
    q.bind(totp::base32_encode(&key))
        .push_bind(" WHERE user_id = ", &commander);
    app.store.execute(q).await.unwrap();
    let mut q = Sql::new(
        "INSERT INTO outbox (id, channel_id, kind, destination, recipient, event, subject_id, title, body, link, status, attempts, next_ms, last_error, created_ms, sent_ms) VALUES ",
    );
    q.values(vec![
        "old-sms".into(),
        None::<String>.into(),
        "sms".into(),
        "13700003333".into(),
        "值班员".into(),
        "alarm.escalate".into(),
        "a1".into(),
        "叫应".into(),
        "测试".into(),
        "/alarms".into(),
        "sent".into(),
        1i64.into(),
        0i64.into(),
        None::<String>.into(),
        0i64.into(),
        Some(0i64).into(),
    ]);
    app.store.execute(q).await.unwrap();

    let done = yingji_app::security::keys::seal_personal_fields(&app.store, app.clock.now_ms(), 2)
        .await
        .unwrap();
    for label in ["用户手机号", "动态口令密钥", "短信发送号码"] {
        assert!(
            done.iter().any(|(f, n)| *f == label && *n >= 1),
            "{label}: {done:?}"
        );
    }
    for (sql, key) in [
        ("SELECT phone FROM users WHERE id = ", duty.as_str()),
        (
            "SELECT totp_secret FROM user_factors WHERE user_id = ",
            commander.as_str(),
        ),
        ("SELECT destination FROM outbox WHERE id = ", "old-sms"),
    ] {
        let v = raw(app, sql, key).await.unwrap_or_default();
        assert!(gm::is_sealed(&v), "{sql}: {v}");
    }
    let admin = app.login("admin").await;
    let (_, v): (StatusCode, Value) = app.get(&admin, &format!("/api/v1/users/{duty}")).await;
    assert_eq!(v["phone"], "13700002222", "{v}");
    totp_login(app, "commander", &key).await;
    let again = yingji_app::security::keys::seal_personal_fields(&app.store, app.clock.now_ms(), 2)
        .await
        .unwrap();
    assert!(again.iter().all(|(_, n)| *n == 0), "{again:?}");
}
both!(old_account_rows_are_sealed);
