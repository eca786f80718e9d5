//! 单点退出 and the second factor after a single sign-on (issue 26 item 4): logging out of a
//! session opened through a provider sends the browser on to the provider's logout (OIDC
//! RP-Initiated Logout, CAS /logout); the provider's back channel (a signed OIDC logout token,
//! a CAS logoutRequest) ends the sessions it opened and nothing else; an administrator whose
//! provider asserted no multi-factor sign-in passes this system's own second factor (or is
//! refused when it has none).

use super::second_factor::{enrol, second_step};
use super::sso::{
    Idp, SERVICE, browser, callback, cas_back, cas_start, count, location, me, refused, settings,
    start_idp, to_provider,
};
use crate::helpers::{Backend, PASSWORD, TestApp};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_core::kernel::clock::Clock;
use yingji_core::security::sso as rules;
use yingji_core::security::totp;
use yingji_server::ServerConfig;

/// Signs `c` in through the OIDC provider as `claims` say.
async fn oidc_in(app: &TestApp, idp: &Idp, c: &Client, claims: Value) -> reqwest::Response {
    *idp.user.lock().unwrap() = claims;
    let q = to_provider(app, c).await;
    callback(app, c, &q).await
}

async fn logout(app: &TestApp, c: &Client) -> Value {
    let (s, v) = app.post(c, "/api/v1/auth/logout", &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["provider_logout_url"].clone()
}

async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let body = reqwest::Url::parse_with_params("http://x/", form).unwrap();
    browser()
        .post(app.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.query().unwrap_or_default().to_string())
        .send()
        .await
        .unwrap()
}

/// Run inside the SSO scenarios (second factor not enforced).
pub(super) async fn single_logout(app: &TestApp, idp: &Idp) {
    let commander =
        |sid: &str| json!({"preferred_username": "commander", "amr": ["otp"], "sid": sid});
    // Logging out here goes on to the provider's logout.
    let c = browser();
    assert_eq!(
        oidc_in(app, idp, &c, commander("sid-1")).await.status(),
        StatusCode::SEE_OTHER
    );
    let back = "post_logout_redirect_uri=https%3A%2F%2Fyjj.example.gov.cn%2Flogin";
    assert_eq!(
        logout(app, &c).await,
        json!(format!("{}/end_session?client_id=yingji&{back}", idp.base))
    );
    // A password session has no provider to log out of.
    let local = app.login("street").await;
    assert_eq!(logout(app, &local).await, Value::Null);
    // The back channel: a logout token for sid-2 ends that session only.
    let (c2, c3) = (browser(), browser());
    oidc_in(app, idp, &c2, commander("sid-2")).await;
    oidc_in(app, idp, &c3, commander("sid-3")).await;
    let path = "/api/v1/security/sso/oidc/logout";
    let forged = idp.logout_token(&idp.other, "sid-2");
    let r = post_form(app, path, &[("logout_token", &forged)]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(me(app, &c2).await.0, StatusCode::OK);
    let token = idp.logout_token(idp.key(), "sid-2");
    let r = post_form(app, path, &[("logout_token", &token)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(me(app, &c2).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(me(app, &c3).await.0, StatusCode::OK);
    // CAS: the CAS server's logoutRequest names the ticket of the session it ends.
    let c4 = browser();
    let state = cas_start(app, idp, &c4).await;
    idp.tickets
        .lock()
        .unwrap()
        .insert("ST-9".into(), "street".into());
    assert_eq!(
        cas_back(app, &c4, &state, "ST-9").await.status(),
        StatusCode::SEE_OTHER
    );
    let path = "/api/v1/security/sso/cas/callback";
    let r = post_form(app, path, &[("logoutRequest", "<x>not a logout</x>")]).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let slo = r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="L1" Version="2.0"><saml:NameID xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">street</saml:NameID><samlp:SessionIndex>ST-9</samlp:SessionIndex></samlp:LogoutRequest>"#;
    assert_eq!(
        post_form(app, path, &[("logoutRequest", slo)])
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(me(app, &c4).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(me(app, &c3).await.0, StatusCode::OK);
    // Logging out of a CAS session goes on to the CAS server's logout.
    let c5 = browser();
    let state = cas_start(app, idp, &c5).await;
    idp.tickets
        .lock()
        .unwrap()
        .insert("ST-10".into(), "street".into());
    cas_back(app, &c5, &state, "ST-10").await;
    let to_login = "service=https%3A%2F%2Fyjj.example.gov.cn%2Flogin";
    assert_eq!(
        logout(app, &c5).await,
        json!(format!("{}/cas/logout?{to_login}", idp.base))
    );
    assert!(SERVICE.starts_with("https://yjj.example.gov.cn/"));
}

async fn factor_after_sso(backend: Backend) {
    let idp = start_idp().await;
    let cfg = ServerConfig {
        demo: true,
        sso: settings(&idp),
        second_factor_enforced: true,
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(backend, cfg).await;
    *idp.clock.lock().unwrap() = Some(app.clock.clone());
    // The auditor has neither a TOTP nor a mobile number: without the provider's MFA, refused.
    let c = browser();
    let r = oidc_in(
        &app,
        &idp,
        &c,
        json!({"preferred_username": "auditor", "amr": ["pwd"]}),
    )
    .await;
    assert_eq!(
        refused(r).await,
        (StatusCode::UNAUTHORIZED, rules::FACTOR_UNREACHABLE.into())
    );
    assert_eq!(me(&app, &c).await.0, StatusCode::UNAUTHORIZED);
    let failed = "SELECT COUNT(*) FROM audit_log WHERE action = 'sso_login_failed' AND summary LIKE '%第二因素%'";
    assert_eq!(count(&app, failed).await, 1);
    // The provider asserts a multi-factor sign-in: the session opens.
    let r = oidc_in(
        &app,
        &idp,
        &c,
        json!({"preferred_username": "auditor", "amr": ["pwd", "otp"]}),
    )
    .await;
    assert_eq!(
        (r.status(), location(&r)),
        (StatusCode::SEE_OTHER, "/".to_string())
    );
    assert_eq!(me(&app, &c).await.0, StatusCode::OK);
    // The administrator enrols a TOTP here; a sign-in without the provider's MFA then stops at
    // the login page's second step, and the session it opens still logs out at the provider.
    let local = app.anonymous();
    let (s, _) = super::login_body(&app, &local, "admin", PASSWORD).await;
    assert_eq!(s, StatusCode::OK);
    let (key, _) = enrol(&app, &local).await;
    app.clock.advance(totp::STEP_MS);
    let c = browser();
    let r = oidc_in(
        &app,
        &idp,
        &c,
        json!({"preferred_username": "admin", "amr": ["pwd"], "sid": "a1"}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    let fragment = to.strip_prefix("/login#").unwrap_or_else(|| panic!("{to}"));
    let f: std::collections::HashMap<String, String> =
        reqwest::Url::parse(&format!("http://x/?{fragment}"))
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect();
    assert_eq!(f["methods"], "totp,recovery");
    assert_eq!(me(&app, &c).await.0, StatusCode::UNAUTHORIZED);
    let pending = json!({"pending_token": f["sso_pending"]});
    let code = totp::code_at(&key, app.clock.now_ms());
    let (s, v) = second_step(&app, &c, &pending, ("totp", &code)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["user"]["username"], "admin");
    assert!(
        logout(&app, &c)
            .await
            .as_str()
            .unwrap()
            .starts_with(&idp.base)
    );
    if backend == Backend::Postgres {
        app.drop_database().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn factor_after_sso_sqlite() {
    factor_after_sso(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn factor_after_sso_postgres() {
    if std::env::var("YINGJI_TEST_PG_URL").map_or(true, |u| u.is_empty()) {
        return;
    }
    factor_after_sso(Backend::Postgres).await;
}
