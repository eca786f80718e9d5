//! The notification outbox end to end: 叫应 steps reach 企业微信 and 钉钉 robots, a signed
//! webhook, a street mailbox over SMTP and phones over the SMS gateway — all receivers real
//! servers on loopback. Failures are retried with back-off on the test clock; refusals no
//! retry can cure end the message at once.

use crate::helpers::{Backend, TestApp};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode as HttpStatus, Uri};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use yingji_core::kernel::clock::{Clock, SharedClock};
use yingji_core::kernel::notify;
use yingji_jobs::notify::{HttpSmsGateway, NotifierConfig, SmtpConfig, SmtpSecurity};

#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

#[derive(Clone, Default)]
pub(crate) struct Inbox {
    hits: Arc<Mutex<Vec<Hit>>>,
    flaky_calls: Arc<AtomicUsize>,
}

impl Inbox {
    pub(crate) fn at(&self, path: &str) -> Vec<Hit> {
        self.hits
            .lock()
            .expect("inbox")
            .iter()
            .filter(|h| h.path == path)
            .cloned()
            .collect()
    }
}

async fn answer(
    State(inbox): State<Inbox>,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> (HttpStatus, String) {
    let path = uri.path().to_string();
    inbox.hits.lock().expect("inbox").push(Hit {
        path: path.clone(),
        query: uri.query().unwrap_or_default().to_string(),
        headers,
        body,
    });
    let ok = r#"{"errcode":0,"errmsg":"ok"}"#.to_string();
    match path.as_str() {
        "/wecom-bad" => (
            HttpStatus::OK,
            r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#.into(),
        ),
        "/flaky" if inbox.flaky_calls.fetch_add(1, Ordering::SeqCst) == 0 => {
            (HttpStatus::SERVICE_UNAVAILABLE, String::new())
        }
        "/gone" => (HttpStatus::NOT_FOUND, String::new()),
        _ => (HttpStatus::OK, ok),
    }
}

/// An HTTP receiver standing in for 企业微信, 钉钉, a webhook consumer and an SMS gateway.
pub(crate) async fn http_receiver() -> (String, Inbox) {
    let inbox = Inbox::default();
    let app = Router::new().fallback(answer).with_state(inbox.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, inbox)
}

/// A mail server that accepts everything and keeps each message's envelope and data.
async fn smtp_receiver() -> (u16, Arc<Mutex<Vec<String>>>) {
    let mails: Arc<Mutex<Vec<String>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let kept = mails.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 loopback ESMTP\r\n").await;
                let (mut mail, mut in_data) = (String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            kept.lock().expect("mails").push(std::mem::take(&mut mail));
                            let _ = w.write_all(b"250 2.0.0 queued\r\n").await;
                        } else {
                            mail.push_str(&line);
                            mail.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" => b"250-loopback\r\n250 8BITMIME\r\n",
                        "MAIL" | "RCPT" => {
                            mail.push_str(&line);
                            mail.push('\n');
                            b"250 2.1.0 ok\r\n"
                        }
                        "DATA" => {
                            in_data = true;
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (port, mails)
}

/// Waits (real time) until `check` holds; the outbox loop polls every 500 ms.
pub(crate) async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    for _ in 0..100 {
        if let Some(v) = check().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn fire_timers(app: &TestApp) {
    let clock: SharedClock = app.clock.clone();
    yingji_jobs::run_due(&app.store, &clock)
        .await
        .expect("timers");
}

async fn channel(app: &TestApp, c: &reqwest::Client, body: Value) -> String {
    let (s, b) = app.post(c, "/api/v1/notify-channels", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    assert_eq!(b["has_secret"], body.get("secret").is_some());
    b["id"].as_str().expect("id").to_string()
}

async fn deliveries(app: &TestApp, c: &reqwest::Client, path: &str) -> Vec<Value> {
    let (s, b) = app.get(c, path).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b.as_array().cloned().unwrap_or_default()
}

async fn escalation_reaches_every_channel(backend: Backend) {
    let (web, inbox) = http_receiver().await;
    let (smtp_port, mails) = smtp_receiver().await;
    let Some(app) = spawn_with_notifier(backend, &web, smtp_port).await else {
        return;
    };
    let app = &app;
    let ent = app.login("enterprise").await;
    let street = app.login("street").await;
    refusals_name_their_field(app, &ent, &street).await;
    let (flaky, gone) = register_channels(app, &ent, &street, &web).await;
    let (alarm_id, now) = raise_alarm(app, &ent).await;
    let link = format!("https://yjj.example.gov.cn/alarms?id={alarm_id}");
    robots_webhook_and_phone_receive_it(app, &inbox, &alarm_id, &link).await;
    failures_are_retried_or_given_up(app, &ent, &inbox, &alarm_id, &flaky, gone).await;
    street_step_mails_its_duty_mailbox(app, &ent, &mails, &alarm_id, &link, now).await;
    robot_refusals_keep_the_robots_words(app, &ent, &web).await;
}

/// A notifier texting through the loopback receiver's `/sms` (token `t0ken`), without mail.
pub(crate) fn sms_notifier(web: &str) -> NotifierConfig {
    NotifierConfig {
        public_url: "https://yjj.example.gov.cn/".into(),
        smtp: None,
        sms: Some(Arc::new(
            HttpSmsGateway::new(
                &format!("{web}/sms"),
                "t0ken",
                "【浔阳区应急管理局】",
                Duration::from_secs(2),
            )
            .expect("sms"),
        )),
        timeout: Duration::from_secs(2),
    }
}

/// The app with a notifier whose SMTP server and SMS gateway are the loopback receivers (None on
/// PostgreSQL when no test database is configured).
async fn spawn_with_notifier(backend: Backend, web: &str, smtp_port: u16) -> Option<TestApp> {
    let notifier = NotifierConfig {
        public_url: "https://yjj.example.gov.cn/".into(),
        smtp: Some(SmtpConfig {
            host: "127.0.0.1".into(),
            port: smtp_port,
            security: SmtpSecurity::None,
            username: String::new(),
            password: String::new(),
            from: "应急管理综合平台 <noreply@yjj.example.gov.cn>".into(),
        }),
        ..sms_notifier(web)
    };
    let app = match backend {
        Backend::Sqlite => {
            TestApp::spawn_full(
                backend,
                yingji_server::ServerConfig {
                    demo: true,
                    ..Default::default()
                },
                notifier,
            )
            .await
        }
        Backend::Postgres => {
            if std::env::var("YINGJI_TEST_PG_URL").map_or(true, |u| u.is_empty()) {
                return None;
            }
            TestApp::spawn_full(
                backend,
                yingji_server::ServerConfig {
                    demo: true,
                    ..Default::default()
                },
                notifier,
            )
            .await
        }
    };
    Some(app)
}

async fn refusals_name_their_field(app: &TestApp, ent: &reqwest::Client, street: &reqwest::Client) {
    // Refusals name their field and store nothing.
    let (s, b) = app
        .post(
            ent,
            "/api/v1/notify-channels",
            &json!({"name": "", "kind": "fax", "endpoint": "ftp://x"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    let fields: Vec<&str> = b["details"]
        .as_array()
        .expect("details")
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    assert_eq!(fields, ["name", "kind"]);
    let (s, b) = app
        .post(
            street,
            "/api/v1/notify-channels",
            &json!({"name": "值班室", "kind": "email", "endpoint": "zbs@"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{b}");
    assert_eq!(b["details"][0]["field"], "endpoint");
}

/// The channels of the enterprise and the street, and who sees which: (flaky, gone), the ids of
/// the receivers that fail.
async fn register_channels(
    app: &TestApp,
    ent: &reqwest::Client,
    street: &reqwest::Client,
    web: &str,
) -> (String, String) {
    // The enterprise's own robots and webhooks; the street's duty mailbox.
    channel(app, ent, json!({"name": "安全群（企业微信）", "kind": "wecom", "endpoint": format!("{web}/wecom?key=k1")})).await;
    channel(app, ent, json!({"name": "安全群（钉钉）", "kind": "dingtalk", "endpoint": format!("{web}/dingtalk?access_token=t1"), "secret": "SECdemo"})).await;
    channel(app, ent, json!({"name": "集团平台", "kind": "webhook", "endpoint": format!("{web}/hook"), "secret": "whsec"})).await;
    let flaky = channel(
        app,
        ent,
        json!({"name": "不稳定的接收端", "kind": "webhook", "endpoint": format!("{web}/flaky")}),
    )
    .await;
    let gone = channel(
        app,
        ent,
        json!({"name": "已撤销的接收端", "kind": "webhook", "endpoint": format!("{web}/gone")}),
    )
    .await;
    let (s, me) = app.get(street, "/api/v1/auth/me").await;
    assert_eq!(s, StatusCode::OK);
    let street_code = me["user"]["region_code"]
        .as_str()
        .expect("street code")
        .to_string();
    channel(app, street, json!({"name": "街道值班室邮箱", "kind": "email", "endpoint": "zbs@street.example.gov.cn、duty@street.example.gov.cn"})).await;
    // The street sees its own channel and those of enterprises in its area, with robot keys
    // masked; the enterprise does not see the street's.
    let (_, seen) = app.get(street, "/api/v1/notify-channels").await;
    assert_eq!(seen["total"], 6, "{seen}");
    let items = seen["items"].as_array().cloned().unwrap_or_default();
    let mine = items
        .iter()
        .find(|c| c["audience_label"] == "街道")
        .expect("street channel");
    assert_eq!(mine["region_code"], street_code);
    let wecom = items
        .iter()
        .find(|c| c["kind"] == "wecom")
        .expect("wecom channel");
    assert_eq!(wecom["endpoint"], format!("{web}/wecom?key=****"));
    let (_, theirs) = app.get(ent, "/api/v1/notify-channels").await;
    assert_eq!(theirs["total"], 5, "{theirs}");

    (flaky, gone)
}

/// A sensor of the enterprise crosses HH: (the alarm's id, the time of the reading).
async fn raise_alarm(app: &TestApp, ent: &reqwest::Client) -> (String, i64) {
    // The enterprise's safety officer has a mobile phone on record (sealed at rest, ADR 0032:
    // the escalation opens it to text the person).
    let sealed = yingji_store::kernel::keys::seal("13900000001").expect("sealed");
    let mut u = yingji_store::Sql::new("UPDATE users SET phone = ");
    u.bind(sealed).push_bind(" WHERE username = ", "enterprise");
    app.store.execute(u).await.expect("phone");

    // A sensor of the enterprise crosses HH: step 1 (the enterprise) fires at once.
    let sensor = json!({"code": "LT-N1", "name": "液氯储罐液位", "kind": "level", "unit": "%",
        "object_name": "液氯储罐区", "threshold_hh": "90", "hysteresis": "2"});
    let (s, b) = app.post(ent, "/api/v1/sensors", &sensor).await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let now = app.clock.now_ms();
    let (_, r) = app
        .post(
            ent,
            "/api/v1/readings",
            &json!([{"sensor": "LT-N1", "ts": now, "value": 95}]),
        )
        .await;
    assert_eq!(r["alarms_opened"], 1, "{r}");
    fire_timers(app).await;
    let (_, alarms) = app.get(ent, "/api/v1/alarms").await;
    let alarm_id = alarms["items"][0]["id"]
        .as_str()
        .expect("alarm")
        .to_string();
    (alarm_id, now)
}

/// Step 1 reaches the enterprise's robots, its webhook and its safety officer's phone.
async fn robots_webhook_and_phone_receive_it(
    app: &TestApp,
    inbox: &Inbox,
    alarm_id: &str,
    link: &str,
) {
    let wecom = eventually("企业微信", async || inbox.at("/wecom").pop()).await;
    assert_eq!(wecom.query, "key=k1");
    let body: Value = serde_json::from_str(&wecom.body).expect("json");
    assert_eq!(body["msgtype"], "markdown");
    let content = body["markdown"]["content"].as_str().unwrap_or_default();
    assert!(
        content.contains("高高报") && content.contains(link),
        "{content}"
    );

    // 钉钉 加签: the signature over the timestamp checks out with the robot's secret.
    let ding = eventually("钉钉", async || inbox.at("/dingtalk").pop()).await;
    let params: Vec<(&str, &str)> = ding
        .query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .collect();
    let ts: i64 = params
        .iter()
        .find(|p| p.0 == "timestamp")
        .and_then(|p| p.1.parse().ok())
        .expect("timestamp");
    let sign = params.iter().find(|p| p.0 == "sign").expect("sign").1;
    assert_eq!(sign, notify::dingtalk_sign("SECdemo", ts));
    assert_eq!(ts, app.clock.now_ms());

    // The webhook: signed over timestamp and body, with a delivery id to drop resends by.
    let hook = eventually("webhook", async || inbox.at("/hook").pop()).await;
    let ts: i64 = hook.headers["x-yingji-timestamp"]
        .to_str()
        .ok()
        .and_then(|t| t.parse().ok())
        .expect("timestamp header");
    assert_eq!(
        hook.headers["x-yingji-signature"].to_str().ok(),
        Some(notify::webhook_signature("whsec", ts, hook.body.as_bytes()).as_str())
    );
    let event: Value = serde_json::from_str(&hook.body).expect("json");
    assert_eq!(event["event"], "alarm.escalate");
    assert_eq!(event["subject_id"], alarm_id);
    assert_eq!(event["link"], link);
    assert_eq!(
        hook.headers["x-yingji-delivery"].to_str().ok(),
        event["id"].as_str()
    );

    // The safety officer's phone, through the SMS gateway with its token.
    let sms = eventually("短信", async || inbox.at("/sms").pop()).await;
    assert_eq!(
        sms.headers["authorization"].to_str().ok(),
        Some("Bearer t0ken")
    );
    let text: Value = serde_json::from_str(&sms.body).expect("json");
    assert_eq!(text["phone"], "13900000001");
    assert_eq!(text["sign"], "【浔阳区应急管理局】");
    assert!(text["text"].as_str().is_some_and(|t| t.contains(link)));
}

async fn failures_are_retried_or_given_up(
    app: &TestApp,
    ent: &reqwest::Client,
    inbox: &Inbox,
    alarm_id: &str,
    flaky: &str,
    gone: String,
) {
    // A 503 is tried again after 30 s; a 404 is given up at once.
    let path = format!("/api/v1/alarms/{alarm_id}/deliveries");
    let by_recipient = |list: &[Value], name: &str| {
        list.iter()
            .find(|d| d["recipient"] == name)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let after_first = eventually("first attempts recorded", async || {
        let list = deliveries(app, ent, &path).await;
        let f = by_recipient(&list, "不稳定的接收端");
        let g = by_recipient(&list, "已撤销的接收端");
        (f["status"] == "pending" && f["attempts"] == 1 && g["status"] == "failed").then_some(list)
    })
    .await;
    let f = by_recipient(&after_first, "不稳定的接收端");
    assert_eq!(f["last_error"], "对方返回 HTTP 503");
    assert_eq!(f["next_ms"].as_i64(), Some(app.clock.now_ms() + 30_000));
    assert_eq!(
        by_recipient(&after_first, "已撤销的接收端")["last_error"],
        "对方返回 HTTP 404"
    );
    for name in ["安全群（企业微信）", "安全群（钉钉）", "集团平台"] {
        assert_eq!(by_recipient(&after_first, name)["status"], "sent", "{name}");
    }
    assert_eq!(inbox.at("/flaky").len(), 1);
    app.clock.set(app.clock.now_ms() + 30_000);
    eventually("retry delivered", async || {
        let list = deliveries(app, ent, &path).await;
        let f = by_recipient(&list, "不稳定的接收端");
        (f["status"] == "sent" && f["attempts"] == 2).then_some(())
    })
    .await;
    assert_eq!(
        inbox.at("/gone").len(),
        1,
        "a refused message is not retried"
    );
    let (_, ch) = app
        .get(ent, &format!("/api/v1/notify-channels/{flaky}/deliveries"))
        .await;
    assert_eq!(ch[0]["status"], "sent", "{ch}");
    let _ = gone;
}

async fn street_step_mails_its_duty_mailbox(
    app: &TestApp,
    ent: &reqwest::Client,
    mails: &Mutex<Vec<String>>,
    alarm_id: &str,
    link: &str,
    now: i64,
) {
    // Ten minutes unacknowledged: the street's step mails its duty mailbox.
    app.clock.set(now + 10 * 60_000);
    fire_timers(app).await;
    let mail = eventually("邮件", async || mails.lock().expect("mails").pop()).await;
    assert!(
        mail.contains("RCPT TO:<zbs@street.example.gov.cn>"),
        "{mail}"
    );
    assert!(
        mail.contains("RCPT TO:<duty@street.example.gov.cn>"),
        "{mail}"
    );
    let (head, body) = mail.split_once("\n\n").expect("headers and body");
    assert!(head.contains("Content-Transfer-Encoding: base64"), "{head}");
    let text = base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        body.split_whitespace().collect::<String>(),
    )
    .expect("base64 body");
    let text = String::from_utf8(text).expect("utf-8");
    assert!(
        text.contains("叫应第 3 步：属地街道") && text.contains(link),
        "{text}"
    );
    // The alarm's history names every channel it reached.
    let (_, history) = app
        .get(ent, &format!("/api/v1/alarms/{alarm_id}/events"))
        .await;
    let notes: Vec<&str> = history
        .as_array()
        .map(|e| e.iter().filter_map(|x| x["note"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("短信 1 人") && n.contains("安全群（企业微信）")),
        "{notes:?}"
    );
    assert!(
        notes.iter().any(|n| n.contains("街道值班室邮箱")),
        "{notes:?}"
    );
}

/// A test message to a robot with a wrong key fails with the robot's own words; channel changes
/// are audited.
async fn robot_refusals_keep_the_robots_words(app: &TestApp, ent: &reqwest::Client, web: &str) {
    // A test message to a robot with a wrong key fails with the robot's own words.
    let bad = channel(app, ent, json!({"name": "错误的机器人", "kind": "wecom", "endpoint": format!("{web}/wecom-bad?key=x")})).await;
    let (s, _) = app
        .post(
            ent,
            &format!("/api/v1/notify-channels/{bad}/test"),
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let failed = eventually("robot refusal", async || {
        let (_, list) = app
            .get(ent, &format!("/api/v1/notify-channels/{bad}/deliveries"))
            .await;
        (list[0]["status"] == "failed").then_some(list[0].clone())
    })
    .await;
    assert_eq!(
        failed["last_error"],
        "机器人返回错误 93000：invalid webhook url"
    );
    // Channel changes are audited.
    let (_, a) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?action=channel.create",
        )
        .await;
    assert!(a["total"].as_i64().unwrap_or(0) >= 7, "{a}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalation_reaches_every_channel_sqlite() {
    escalation_reaches_every_channel(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalation_reaches_every_channel_postgres() {
    escalation_reaches_every_channel(Backend::Postgres).await;
}
