//! 统一身份认证 (issue 26 item 4): OIDC and CAS 3.0 sign-ins against providers these tests start
//! on loopback (a tiny OpenID provider signing with an RSA key made here, a CAS server answering
//! serviceValidate), the refusals (state, nonce, expiry on the test clock, signature, unknown
//! account, bad ticket) creating no session and no account, accounts created when allowed, and
//! local password login refused for a role that must use SSO.

use crate::helpers::{Backend, PASSWORD, TestApp};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::sign::Signer;
use reqwest::Client;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use yingji_core::kernel::clock::{Clock, ManualClock};
use yingji_core::security::sso::{self as rules, CasSettings, OidcSettings, SsoSettings};
use yingji_server::ServerConfig;

const CALLBACK: &str = "https://yjj.example.gov.cn/api/v1/security/sso/oidc/callback";
pub(super) const SERVICE: &str = "https://yjj.example.gov.cn/api/v1/security/sso/cas/callback";

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// How the test provider misbehaves on the next token.
#[derive(Debug, Default, Clone)]
struct Tamper {
    wrong_nonce: bool,
    other_key: bool,
}

/// A code the provider issued: the nonce, the PKCE challenge and the redirect URI.
struct Issued {
    nonce: String,
    challenge: String,
    redirect_uri: String,
    /// When the user signed in at the provider (the token's iat; exp 5 min later).
    at_s: i64,
}

/// The loopback OpenID provider and CAS server.
pub(super) struct Idp {
    pub(super) base: String,
    key: PKey<Private>,
    pub(super) other: PKey<Private>,
    pub(super) clock: Mutex<Option<Arc<ManualClock>>>,
    /// Who signs in at the provider next (the claims besides the standard ones).
    pub(super) user: Mutex<Value>,
    tamper: Mutex<Tamper>,
    codes: Mutex<HashMap<String, Issued>>,
    /// CAS: ticket → user.
    pub(super) tickets: Mutex<HashMap<String, String>>,
}

pub(super) type Shared = Arc<Idp>;

pub(super) async fn start_idp() -> Shared {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let other = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
    let idp = Arc::new(Idp {
        base,
        key,
        other,
        clock: Mutex::new(None),
        user: Mutex::new(json!({})),
        tamper: Mutex::default(),
        codes: Mutex::default(),
        tickets: Mutex::default(),
    });
    let app = axum::Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/authorize", get(authorize))
        .route("/token", post(token))
        .route("/cas/p3/serviceValidate", get(service_validate))
        .with_state(idp.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    idp
}

async fn discovery(State(idp): State<Shared>) -> axum::Json<Value> {
    axum::Json(json!({
        "issuer": idp.base,
        "authorization_endpoint": format!("{}/authorize", idp.base),
        "token_endpoint": format!("{}/token", idp.base),
        "jwks_uri": format!("{}/jwks", idp.base),
        "end_session_endpoint": format!("{}/end_session", idp.base),
    }))
}

async fn jwks(State(idp): State<Shared>) -> axum::Json<Value> {
    let rsa = idp.key.rsa().unwrap();
    axum::Json(json!({"keys": [
        {"kty": "EC", "kid": "ec1", "crv": "P-256", "x": "AA", "y": "AA"},
        {"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
         "n": b64(&rsa.n().to_vec()), "e": b64(&rsa.e().to_vec())}
    ]}))
}

async fn authorize(
    State(idp): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], "yingji");
    assert_eq!(q["code_challenge_method"], "S256");
    let code = format!("code-{}", rand_u32());
    idp.codes.lock().unwrap().insert(
        code.clone(),
        Issued {
            nonce: q["nonce"].clone(),
            challenge: q["code_challenge"].clone(),
            redirect_uri: q["redirect_uri"].clone(),
            at_s: idp.clock.lock().unwrap().as_ref().unwrap().now_ms() / 1000,
        },
    );
    let to = reqwest::Url::parse_with_params(
        &q["redirect_uri"],
        &[("code", code.as_str()), ("state", q["state"].as_str())],
    )
    .unwrap();
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

async fn token(State(idp): State<Shared>, headers: HeaderMap, body: String) -> Response {
    let form: HashMap<String, String> = reqwest::Url::parse(&format!("http://x/?{body}"))
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("yingji:s3cret")
    );
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(&basic)
    {
        return (StatusCode::UNAUTHORIZED, "{\"error\":\"invalid_client\"}").into_response();
    }
    let Some(issued) = idp.codes.lock().unwrap().remove(&form["code"]) else {
        return (StatusCode::BAD_REQUEST, "{\"error\":\"invalid_grant\"}").into_response();
    };
    let verifier_ok = rules::pkce_challenge(&form["code_verifier"]) == issued.challenge;
    if !verifier_ok || form["redirect_uri"] != issued.redirect_uri {
        return (StatusCode::BAD_REQUEST, "{\"error\":\"invalid_grant\"}").into_response();
    }
    let tamper = idp.tamper.lock().unwrap().clone();
    let now_s = issued.at_s;
    let nonce = if tamper.wrong_nonce {
        "another".to_string()
    } else {
        issued.nonce
    };
    let mut claims = json!({
        "iss": idp.base, "aud": "yingji", "sub": "u-1", "iat": now_s, "exp": now_s + 300,
        "nonce": nonce,
    });

    for (k, v) in idp.user.lock().unwrap().as_object().unwrap() {
        claims[k] = v.clone();
    }
    let key = if tamper.other_key {
        &idp.other
    } else {
        &idp.key
    };
    let jwt = sign(key, &claims);
    axum::Json(json!({"access_token": "at", "token_type": "Bearer", "id_token": jwt}))
        .into_response()
}

/// A JWT of `claims` signed RS256 with `key` (key id k1).
pub(super) fn sign(key: &PKey<Private>, claims: &Value) -> String {
    let header = json!({"alg": "RS256", "kid": "k1", "typ": "JWT"});
    let signed = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let mut signer = Signer::new(MessageDigest::sha256(), key).unwrap();
    signer.update(signed.as_bytes()).unwrap();
    format!("{signed}.{}", b64(&signer.sign_to_vec().unwrap()))
}

impl Idp {
    /// A logout token of this provider for `sid` (signed with `key`).
    pub(super) fn logout_token(&self, key: &PKey<Private>, sid: &str) -> String {
        let iat = self.clock.lock().unwrap().as_ref().unwrap().now_ms() / 1000;
        let claims = json!({"iss": self.base, "aud": "yingji", "iat": iat, "jti": rand_u32(),
            "events": {rules::BACKCHANNEL_EVENT: {}}, "sid": sid});
        sign(key, &claims)
    }

    pub(super) fn key(&self) -> &PKey<Private> {
        &self.key
    }
}

async fn service_validate(
    State(idp): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    // The service of one sign-in: the callback with that browser's state.
    assert!(
        q["service"].starts_with(&format!("{SERVICE}?state=")),
        "{}",
        q["service"]
    );
    let body = match idp.tickets.lock().unwrap().remove(&q["ticket"]) {
        Some(user) => format!(
            r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>{user}</cas:user><cas:attributes><cas:name>新&#x7528;户</cas:name></cas:attributes></cas:authenticationSuccess></cas:serviceResponse>"#
        ),
        None => r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="INVALID_TICKET">not recognized</cas:authenticationFailure></cas:serviceResponse>"#.to_string(),
    };
    ([(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

fn rand_u32() -> u32 {
    let mut b = [0u8; 4];
    getrandom::fill(&mut b).unwrap();
    u32::from_le_bytes(b)
}

pub(super) fn settings(idp: &Idp) -> SsoSettings {
    let mut oidc = OidcSettings {
        issuer: idp.base.clone(),
        client_id: "yingji".into(),
        client_secret: "s3cret".into(),
        redirect_uri: CALLBACK.into(),
        ..Default::default()
    };
    oidc.provisioning.create_on_first_login = false;
    let mut cas = CasSettings {
        base_url: format!("{}/cas", idp.base),
        service_url: SERVICE.into(),
        ..Default::default()
    };
    cas.provisioning.create_on_first_login = true;
    cas.provisioning.default_role = "street_staff".into();
    cas.provisioning.default_region = "360403001".into();
    SsoSettings {
        local_login_disabled_roles: vec!["duty_officer".into()],
        oidc,
        cas,
    }
}

pub(super) fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub(super) fn location(r: &reqwest::Response) -> String {
    r.headers()[header::LOCATION].to_str().unwrap().to_string()
}

/// Starts an OIDC sign-in in `c` and passes the provider: the callback's query (code, state).
pub(super) async fn to_provider(app: &TestApp, c: &Client) -> HashMap<String, String> {
    let r = c
        .get(app.url("/api/v1/security/sso/oidc/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c.get(location(&r)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let back = reqwest::Url::parse(&location(&r)).unwrap();
    assert!(back.as_str().starts_with(CALLBACK));
    back.query_pairs().into_owned().collect()
}

fn callback_url(app: &TestApp, q: &HashMap<String, String>) -> reqwest::Url {
    reqwest::Url::parse_with_params(&app.url("/api/v1/security/sso/oidc/callback"), q).unwrap()
}

pub(super) async fn callback(
    app: &TestApp,
    c: &Client,
    q: &HashMap<String, String>,
) -> reqwest::Response {
    c.get(callback_url(app, q)).send().await.unwrap()
}

/// The refusal's status and message.
pub(super) async fn refused(r: reqwest::Response) -> (StatusCode, String) {
    let s = r.status();
    let headers = format!("{:?}", r.headers());
    let text = r.text().await.unwrap();
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{s} {headers} {text}"));
    (s, v["message"].as_str().unwrap_or_default().to_string())
}

pub(super) async fn me(app: &TestApp, c: &Client) -> (StatusCode, Value) {
    let r = c.get(app.url("/api/v1/auth/me")).send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or_default())
}

pub(super) async fn count(app: &TestApp, sql: &str) -> i64 {
    app.store
        .fetch_i64(yingji_store::Sql::new(sql))
        .await
        .unwrap()
}

async fn oidc_refusals(app: &TestApp, idp: &Idp) {
    let users = count(app, "SELECT COUNT(*) FROM users").await;
    let sessions = count(app, "SELECT COUNT(*) FROM sessions").await;
    *idp.user.lock().unwrap() = json!({"preferred_username": "commander"});
    // State mismatch: the callback's state is not this browser's.
    let c = browser();
    let mut q = to_provider(app, &c).await;
    q.insert("state".into(), "forged".into());
    assert_eq!(
        refused(callback(app, &c, &q).await).await,
        (StatusCode::UNAUTHORIZED, rules::BAD_STATE.into())
    );
    // Another browser replaying a sign-in it did not start.
    let q = to_provider(app, &c).await;
    let r = callback(app, &browser(), &q).await;
    assert_eq!(refused(r).await.1, rules::BAD_STATE);
    // Wrong nonce.
    idp.tamper.lock().unwrap().wrong_nonce = true;
    let q = to_provider(app, &c).await;
    assert_eq!(
        refused(callback(app, &c, &q).await).await.1,
        rules::BAD_NONCE
    );
    // The same state cannot be used twice.
    idp.tamper.lock().unwrap().wrong_nonce = false;
    assert_eq!(
        refused(callback(app, &c, &q).await).await.1,
        rules::BAD_STATE
    );
    // Signed by a key not in the provider's JWKS.
    idp.tamper.lock().unwrap().other_key = true;
    let q = to_provider(app, &c).await;
    assert_eq!(
        refused(callback(app, &c, &q).await).await.1,
        rules::BAD_SIGNATURE
    );
    idp.tamper.lock().unwrap().other_key = false;
    // Expired: the provider's token is 5 min (+1 min leeway) old when the callback arrives.
    let q = to_provider(app, &c).await;
    app.clock.advance(7 * 60 * 1000);
    let (s, m) = refused(callback(app, &c, &q).await).await;
    assert_eq!(
        (s, m.as_str()),
        (StatusCode::UNAUTHORIZED, rules::TOKEN_EXPIRED)
    );
    // Unknown account, not created (create_on_first_login = false).
    *idp.user.lock().unwrap() = json!({"preferred_username": "nobody"});
    let q = to_provider(app, &c).await;
    assert_eq!(
        refused(callback(app, &c, &q).await).await.1,
        rules::UNKNOWN_USER
    );
    // A browser is sent back to the login page with the reason.
    let q = to_provider(app, &c).await;
    let r = c
        .get(callback_url(app, &q))
        .header(header::ACCEPT, "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        location(&r).starts_with("/login?sso_error="),
        "{}",
        location(&r)
    );
    assert_eq!(me(app, &c).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(count(app, "SELECT COUNT(*) FROM users").await, users);
    assert_eq!(count(app, "SELECT COUNT(*) FROM sessions").await, sessions);
    let failed = "SELECT COUNT(*) FROM audit_log WHERE action = 'sso_login_failed'";
    assert_eq!(count(app, failed).await, 8);
    let reason = "SELECT COUNT(*) FROM audit_log WHERE action = 'sso_login_failed' AND summary LIKE '%nobody%'";
    assert_eq!(count(app, reason).await, 2);
}

async fn oidc_signs_in(app: &TestApp, idp: &Idp) {
    *idp.user.lock().unwrap() = json!({"preferred_username": "commander", "amr": ["pwd", "otp"]});
    for round in 0..2 {
        let c = browser();
        let q = to_provider(app, &c).await;
        let r = callback(app, &c, &q).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "round {round}");
        assert_eq!(location(&r), "/");
        let (s, v) = me(app, &c).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["user"]["username"], "commander");
    }
    let linked =
        "SELECT COUNT(*) FROM users WHERE username = 'commander' AND sso_subject = 'commander'";
    assert_eq!(count(app, linked).await, 1);
    let links = "SELECT COUNT(*) FROM audit_log WHERE action = 'sso_link'";
    assert_eq!(count(app, links).await, 1);
    let logins = "SELECT COUNT(*) FROM audit_log WHERE action = 'sso_login' AND summary LIKE '%OIDC%多因素%'";
    assert_eq!(count(app, logins).await, 2);
}

/// Starts a CAS sign-in in `c`: the state the service URL carries.
pub(super) async fn cas_start(app: &TestApp, idp: &Idp, c: &Client) -> String {
    let r = c
        .get(app.url("/api/v1/security/sso/cas/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = reqwest::Url::parse(&location(&r)).unwrap();
    assert!(
        to.as_str()
            .starts_with(&format!("{}/cas/login?service=", idp.base))
    );
    let service = to.query_pairs().find(|(k, _)| k == "service").unwrap().1;
    let service = reqwest::Url::parse(&service).unwrap();
    let state = service.query_pairs().find(|(k, _)| k == "state").unwrap().1;
    state.into_owned()
}

/// The CAS server sends `c` back with `ticket` for the sign-in `state`.
pub(super) async fn cas_back(
    app: &TestApp,
    c: &Client,
    state: &str,
    ticket: &str,
) -> reqwest::Response {
    let url = reqwest::Url::parse_with_params(
        &app.url("/api/v1/security/sso/cas/callback"),
        &[("state", state), ("ticket", ticket)],
    )
    .unwrap();
    c.get(url).send().await.unwrap()
}

async fn cas_signs_in_and_creates(app: &TestApp, idp: &Idp) {
    let c = browser();
    let state = cas_start(app, idp, &c).await;
    // A ticket the CAS server does not know.
    assert_eq!(
        refused(cas_back(app, &c, &state, "ST-forged").await).await,
        (StatusCode::UNAUTHORIZED, rules::TICKET_INVALID.into())
    );
    // Login CSRF: a ticket brought to a browser that started no sign-in, or another's state.
    idp.tickets
        .lock()
        .unwrap()
        .insert("ST-0".into(), "street".into());
    let victim = browser();
    for (state, c) in [("", &victim), (state.as_str(), &victim)] {
        assert_eq!(
            refused(cas_back(app, c, state, "ST-0").await).await,
            (StatusCode::UNAUTHORIZED, rules::BAD_STATE.into())
        );
    }
    assert_eq!(me(app, &victim).await.0, StatusCode::UNAUTHORIZED);
    // An existing account.
    let state = cas_start(app, idp, &c).await;
    idp.tickets
        .lock()
        .unwrap()
        .insert("ST-1".into(), "street".into());
    let r = cas_back(app, &c, &state, "ST-1").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(me(app, &c).await.1["user"]["username"], "street");
    // The state was used once.
    assert_eq!(
        refused(cas_back(app, &c, &state, "ST-1").await).await,
        (StatusCode::UNAUTHORIZED, rules::BAD_STATE.into())
    );
    // An unknown account is created with the default role (create_on_first_login = true).
    let users = count(app, "SELECT COUNT(*) FROM users").await;
    idp.tickets
        .lock()
        .unwrap()
        .insert("ST-2".into(), "wangwu".into());
    let c = browser();
    let state = cas_start(app, idp, &c).await;
    let r = cas_back(app, &c, &state, "ST-2").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let v = me(app, &c).await.1;
    assert_eq!(v["user"]["username"], "wangwu");
    assert_eq!(v["user"]["display_name"], "新用户");
    assert_eq!(v["user"]["role"], "street_staff");
    assert_eq!(count(app, "SELECT COUNT(*) FROM users").await, users + 1);
    // Its random password is nobody's.
    let r = browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "wangwu", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

async fn local_login_disabled(app: &TestApp) {
    let r = browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "duty", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused(r).await,
        (StatusCode::FORBIDDEN, rules::LOCAL_LOGIN_DISABLED.into())
    );
    // A wrong password still gets the one answer (the role is not revealed).
    let r = browser()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "duty", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    app.login("grid").await;
}

async fn providers_listed(app: &TestApp) {
    let (s, v) = app.get(&app.anonymous(), "/api/v1/security/sso").await;
    assert_eq!(s, StatusCode::OK);
    let p = v["providers"].as_array().unwrap();
    assert_eq!(p.len(), 2);
    assert_eq!(p[0]["protocol"], "oidc");
    assert_eq!(p[0]["label"], "统一身份认证登录");
    assert_eq!(p[1]["login_url"], "/api/v1/security/sso/cas/login");
    assert_eq!(
        v["login_hint"],
        "同一账号从同一地址连续5次输入错误，将限制其登录15分钟。"
    );
}

async fn scenarios(backend: Backend) {
    let idp = start_idp().await;
    let cfg = ServerConfig {
        demo: true,
        sso: settings(&idp),
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(backend, cfg).await;
    *idp.clock.lock().unwrap() = Some(app.clock.clone());
    providers_listed(&app).await;
    oidc_refusals(&app, &idp).await;
    oidc_signs_in(&app, &idp).await;
    cas_signs_in_and_creates(&app, &idp).await;
    local_login_disabled(&app).await;
    super::sso_logout::single_logout(&app, &idp).await;
    if backend == Backend::Postgres {
        app.drop_database().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_sqlite() {
    scenarios(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_postgres() {
    if std::env::var("YINGJI_TEST_PG_URL").map_or(true, |u| u.is_empty()) {
        return;
    }
    scenarios(Backend::Postgres).await;
}

#[tokio::test]
async fn sso_off_by_default() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (s, v) = app.get(&app.anonymous(), "/api/v1/security/sso").await;
    assert_eq!(
        (s, v["providers"].as_array().unwrap().len()),
        (StatusCode::OK, 0)
    );
    let r = browser()
        .get(app.url("/api/v1/security/sso/oidc/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused(r).await,
        (StatusCode::NOT_FOUND, rules::NOT_CONFIGURED.into())
    );
}
