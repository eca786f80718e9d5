//! security: the password and session policy, the second factor, API token limits (ADR 0030).

mod policy;
mod second_factor;
mod tokens;

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_server::ServerConfig;

/// A server under the district's policy alone (no timeout overrides), the second factor
/// enforced, as `yingji serve` runs.
pub async fn spawn_policy(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, policy_config()).await
}

fn policy_config() -> ServerConfig {
    ServerConfig {
        demo: true,
        session_idle_override_ms: None,
        session_absolute_override_ms: None,
        second_factor_enforced: true,
        ..ServerConfig::default()
    }
}

/// A policy server whose outbox texts through the loopback SMS gateway at `web` (None on
/// PostgreSQL when no test database is configured).
pub async fn spawn_policy_texting(backend: Backend, web: &str) -> Option<TestApp> {
    if backend == Backend::Postgres
        && std::env::var("YINGJI_TEST_PG_URL").map_or(true, |u| u.is_empty())
    {
        return None;
    }
    let notifier = crate::kernel::notify::sms_notifier(web);
    Some(TestApp::spawn_full(backend, policy_config(), notifier).await)
}

/// Runs a scenario on a policy server, on SQLite and (when configured) PostgreSQL.
#[macro_export]
macro_rules! under_policy {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = super::super::spawn_policy($crate::helpers::Backend::Sqlite).await;
                super::$name(&app).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if std::env::var("YINGJI_TEST_PG_URL").map_or(true, |u| u.is_empty()) {
                    return;
                }
                let app = super::super::spawn_policy($crate::helpers::Backend::Postgres).await;
                super::$name(&app).await;
                app.drop_database().await;
            }
        }
    };
}

pub async fn login_body(
    app: &TestApp,
    c: &reqwest::Client,
    user: &str,
    pw: &str,
) -> (StatusCode, Value) {
    app.post(
        c,
        "/api/v1/auth/login",
        &json!({"username": user, "password": pw}),
    )
    .await
}

/// Creates a `duty_officer` account (optionally with a mobile number) and has it choose
/// `password`; answers a client signed in with it.
pub async fn newcomer(
    app: &TestApp,
    admin: &reqwest::Client,
    (username, phone): (&str, Option<&str>),
    password: &str,
) -> reqwest::Client {
    let (s, u) = app
        .post(
            admin,
            "/api/v1/users",
            &json!({"username": username, "display_name": "新同事", "role": "duty_officer",
                "region_code": "360403", "phone": phone, "password": "Initial@2026"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    let c = app.anonymous();
    let (s, _) = login_body(app, &c, username, "Initial@2026").await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = app
        .post(
            &c,
            "/api/v1/auth/password",
            &json!({"old_password": "Initial@2026", "new_password": password}),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let c = app.anonymous();
    let (s, v) = login_body(app, &c, username, password).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    c
}

mod admins;
mod audit;
mod audit_events;
mod bindings;
mod contacts;
mod crypto;
mod formulas;
mod headers;
mod people;
mod resources_sealed;
pub(crate) mod sealed_fields;
mod sso;
mod sso_logout;
mod uploads;
