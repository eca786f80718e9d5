//! The delivery loop of the notification outbox: takes due messages, sends each through its
//! channel (企业微信/钉钉 robot, signed webhook, SMTP, SMS gateway) and records the outcome.
//! Failures are tried again with back-off (yingji-core::notify::retry_after_ms); a refusal
//! that no retry can cure (HTTP 4xx, a robot's wrong key) ends the message at once.

use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use yingji_core::kernel::clock::SharedClock;
use yingji_core::kernel::notify::{self as rules, ChannelKind, Message};
use yingji_store::kernel::outbox::{self, Claimed, Outcome};
use yingji_store::{Store, StoreResult, monitoring::channels};

/// How often the loop looks for due messages.
pub const POLL: Duration = Duration::from_millis(500);

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// none (plain, for a relay on the same host), starttls, or tls (implicit, port 465).
    pub security: SmtpSecurity,
    pub username: String,
    pub password: String,
    /// e.g. `应急管理综合平台 <noreply@yjj.example.gov.cn>`
    pub from: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    None,
    StartTls,
    Tls,
}

/// The place a deployment plugs its SMS provider in. `HttpSmsGateway` speaks a simple JSON
/// protocol that a provider's relay (or the provider itself) takes.
pub trait SmsGateway: Send + Sync {
    fn send<'a>(
        &'a self,
        phone: &'a str,
        text: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), Failure>> + Send + 'a>>;
}

/// POSTs `{"phone": …, "text": …, "sign": …}` with `Authorization: Bearer <token>`; any 2xx
/// is success.
pub struct HttpSmsGateway {
    url: String,
    token: String,
    /// 短信签名, e.g. 【浔阳区应急管理局】
    sign: String,
    client: reqwest::Client,
}

impl HttpSmsGateway {
    pub fn new(url: &str, token: &str, sign: &str, timeout: Duration) -> Result<Self, String> {
        Ok(Self {
            url: url.to_string(),
            token: token.to_string(),
            sign: sign.to_string(),
            client: reqwest::Client::builder()
                .timeout(timeout)
                .build()
                .map_err(|e| format!("短信网关客户端无法创建：{e}"))?,
        })
    }
}

impl SmsGateway for HttpSmsGateway {
    fn send<'a>(
        &'a self,
        phone: &'a str,
        text: &'a str,
    ) -> Pin<Box<dyn Future<Output = Result<(), Failure>> + Send + 'a>> {
        Box::pin(async move {
            let mut req = self
                .client
                .post(&self.url)
                .json(&serde_json::json!({"phone": phone, "text": text, "sign": self.sign}));
            if !self.token.is_empty() {
                req = req.bearer_auth(&self.token);
            }
            let answer = req.send().await.map_err(transport_failure)?;
            status_failure(answer.status()).map_or(Ok(()), Err)
        })
    }
}

#[derive(Clone)]
pub struct NotifierConfig {
    /// The console's address as recipients reach it, for the links in messages.
    pub public_url: String,
    pub smtp: Option<SmtpConfig>,
    pub sms: Option<Arc<dyn SmsGateway>>,
    /// Per-request limit for robots and webhooks.
    pub timeout: Duration,
}

impl Default for NotifierConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            smtp: None,
            sms: None,
            timeout: Duration::from_secs(10),
        }
    }
}

/// Why an attempt failed, and whether another attempt may help.
#[derive(Debug)]
pub enum Failure {
    Retry(String),
    Permanent(String),
    /// This deployment has no way to send it (no SMS gateway configured).
    Unsupported(String),
}

fn transport_failure(e: reqwest::Error) -> Failure {
    let what = if e.is_timeout() {
        "请求超时".to_string()
    } else if e.is_connect() {
        "无法连接".to_string()
    } else {
        format!("请求失败：{e}")
    };
    Failure::Retry(what)
}

fn status_failure(status: reqwest::StatusCode) -> Option<Failure> {
    if status.is_success() {
        return None;
    }
    let what = format!("对方返回 HTTP {}", status.as_u16());
    Some(if rules::is_permanent(status.as_u16()) {
        Failure::Permanent(what)
    } else {
        Failure::Retry(what)
    })
}

pub struct Notifier {
    store: Store,
    clock: SharedClock,
    cfg: NotifierConfig,
    http: reqwest::Client,
    smtp: Option<(AsyncSmtpTransport<Tokio1Executor>, Mailbox)>,
}

impl Notifier {
    pub fn new(store: Store, clock: SharedClock, cfg: NotifierConfig) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(cfg.timeout)
            .user_agent("yingji-notifier")
            .build()
            .map_err(|e| format!("HTTP 客户端无法创建：{e}"))?;
        let smtp = match &cfg.smtp {
            None => None,
            Some(s) => Some(smtp_transport(s)?),
        };
        Ok(Self {
            store,
            clock,
            cfg,
            http,
            smtp,
        })
    }

    /// Sends every message due now; returns how many were taken.
    pub async fn deliver_due(&self) -> StoreResult<usize> {
        let mut taken = 0;
        loop {
            let batch = outbox::claim_due(&self.store, self.clock.now_ms(), 20).await?;
            if batch.is_empty() {
                return Ok(taken);
            }
            taken += batch.len();
            // Deliveries of one batch run side by side: one slow robot must not hold the rest.
            let results =
                futures_util::future::join_all(batch.iter().map(|m| self.attempt(m))).await;
            for (m, result) in batch.iter().zip(results) {
                let now = self.clock.now_ms();
                let outcome = match result {
                    Ok(()) => Outcome::Sent,
                    Err(Failure::Permanent(e)) => Outcome::Failed(e),
                    Err(Failure::Unsupported(e)) => Outcome::Skipped(e),
                    Err(Failure::Retry(e)) => match rules::retry_after_ms(m.attempt) {
                        Some(wait) => Outcome::Retry {
                            at_ms: now + wait,
                            error: e,
                        },
                        None => Outcome::Failed(format!("已重试 {} 次：{e}", m.attempt)),
                    },
                };
                if let Outcome::Failed(e) | Outcome::Retry { error: e, .. } = &outcome {
                    tracing::warn!(message = %m.id, kind = m.kind.code(), attempt = m.attempt, error = %e, "notification not delivered");
                }
                outbox::record(&self.store, (&m.id, m.attempt), now, outcome).await?;
            }
        }
    }

    async fn attempt(&self, m: &Claimed) -> Result<(), Failure> {
        let mut msg = m.message.clone();
        msg.link = format!("{}{}", self.cfg.public_url.trim_end_matches('/'), msg.link);
        if m.kind == ChannelKind::Sms && m.channel_id.is_none() {
            return self.send_sms(&m.destination, &msg).await;
        }
        let Some(channel_id) = &m.channel_id else {
            return Err(Failure::Permanent("消息没有渠道".into()));
        };
        let ep = channels::endpoint(&self.store, channel_id)
            .await
            .map_err(|e| Failure::Retry(format!("读取渠道失败：{e}")))?
            .ok_or_else(|| Failure::Permanent("渠道已删除".into()))?;
        if !ep.active {
            return Err(Failure::Permanent("渠道已停用".into()));
        }
        match ep.kind {
            ChannelKind::Wecom => self.robot(&ep.endpoint, rules::wecom_body(&msg)).await,
            ChannelKind::Dingtalk => {
                let url =
                    rules::dingtalk_url(&ep.endpoint, ep.secret.as_deref(), self.clock.now_ms());
                self.robot(&url, rules::dingtalk_body(&msg)).await
            }
            ChannelKind::Webhook => self.webhook(m, &ep, &msg).await,
            ChannelKind::Hotline => self.hotline(m, &ep, &msg).await,
            ChannelKind::Email => self.email(&ep.endpoint, &msg).await,
            ChannelKind::Sms => {
                for phone in rules::addresses(&ep.endpoint) {
                    self.send_sms(phone, &msg).await?;
                }
                Ok(())
            }
        }
    }

    /// 企业微信 and 钉钉 answer HTTP 200 with `errcode` ≠ 0 when they refuse.
    async fn robot(&self, url: &str, body: serde_json::Value) -> Result<(), Failure> {
        let answer = self
            .http
            .post(url)
            .json(&body)
            .send()
            .await
            .map_err(transport_failure)?;
        if let Some(f) = status_failure(answer.status()) {
            return Err(f);
        }
        let json: serde_json::Value = answer
            .json()
            .await
            .map_err(|_| Failure::Retry("机器人应答不是 JSON".into()))?;
        match rules::robot_error(&json) {
            None => Ok(()),
            // Throttled (45009 企业微信, 130101 钉钉) is worth another try; anything else is
            // a wrong key or a removed robot.
            Some(e) if matches!(json["errcode"].as_i64(), Some(45009 | 130101)) => {
                Err(Failure::Retry(e))
            }
            Some(e) => Err(Failure::Permanent(e)),
        }
    }

    async fn webhook(
        &self,
        m: &Claimed,
        ep: &channels::Endpoint,
        msg: &Message,
    ) -> Result<(), Failure> {
        let body = rules::webhook_body(msg, &m.id, m.created_ms).to_string();
        let ts = self.clock.now_ms() / 1000;
        let mut req = self
            .http
            .post(&ep.endpoint)
            .header("content-type", "application/json; charset=utf-8")
            .header("x-yingji-delivery", &m.id)
            .header("x-yingji-event", &msg.event)
            .header("x-yingji-timestamp", ts.to_string());
        if let Some(secret) = ep.secret.as_deref().filter(|s| !s.is_empty()) {
            req = req.header(
                "x-yingji-signature",
                rules::webhook_signature(secret, ts, body.as_bytes()),
            );
        }
        let answer = req.body(body).send().await.map_err(transport_failure)?;
        status_failure(answer.status()).map_or(Ok(()), Err)
    }

    /// The answer to a 12345/12350 order, pushed back to the hotline platform: the body is the
    /// answer's JSON as queued (`core::grid::hotline::answer_body`), signed like the orders the
    /// platform pushes to us (`X-Hotline-Timestamp`, `X-Hotline-Signature`).
    async fn hotline(
        &self,
        m: &Claimed,
        ep: &channels::Endpoint,
        msg: &Message,
    ) -> Result<(), Failure> {
        let Some(secret) = ep.secret.as_deref().filter(|s| !s.is_empty()) else {
            return Err(Failure::Permanent("热线对接渠道没有签名密钥".into()));
        };
        let ts = self.clock.now_ms() / 1000;
        let answer = self
            .http
            .post(&ep.endpoint)
            .header("content-type", "application/json; charset=utf-8")
            .header("x-hotline-delivery", &m.id)
            .header("x-hotline-timestamp", ts.to_string())
            .header(
                "x-hotline-signature",
                rules::webhook_signature(secret, ts, msg.body.as_bytes()),
            )
            .body(msg.body.clone())
            .send()
            .await
            .map_err(transport_failure)?;
        status_failure(answer.status()).map_or(Ok(()), Err)
    }

    async fn email(&self, to: &str, msg: &Message) -> Result<(), Failure> {
        let Some((transport, from)) = &self.smtp else {
            return Err(Failure::Unsupported(
                "未配置邮件服务器（[notify] smtp_host）".into(),
            ));
        };
        let mut builder = lettre::Message::builder()
            .from(from.clone())
            .subject(&msg.title)
            .header(ContentType::TEXT_PLAIN);
        for addr in rules::addresses(to) {
            let mailbox: Mailbox = addr
                .parse()
                .map_err(|_| Failure::Permanent(format!("收件地址无效：{addr}")))?;
            builder = builder.to(mailbox);
        }
        let email = builder
            .body(rules::plain_text(msg))
            .map_err(|e| Failure::Permanent(format!("邮件无法生成：{e}")))?;
        transport.send(email).await.map(|_| ()).map_err(|e| {
            if e.is_permanent() {
                Failure::Permanent(format!("邮件服务器拒收：{e}"))
            } else {
                Failure::Retry(format!("邮件发送失败：{e}"))
            }
        })
    }

    async fn send_sms(&self, phone: &str, msg: &Message) -> Result<(), Failure> {
        match &self.cfg.sms {
            Some(gw) => gw.send(phone, &rules::plain_text(msg)).await,
            None => Err(Failure::Unsupported(
                "未配置短信网关（[notify] sms_url）".into(),
            )),
        }
    }
}

fn smtp_transport(s: &SmtpConfig) -> Result<(AsyncSmtpTransport<Tokio1Executor>, Mailbox), String> {
    let builder = match s.security {
        SmtpSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host),
        SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&s.host)
            .map_err(|e| format!("邮件服务器 {} 无法使用：{e}", s.host))?,
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&s.host)
            .map_err(|e| format!("邮件服务器 {} 无法使用：{e}", s.host))?,
    };
    let mut builder = builder.port(s.port).timeout(Some(Duration::from_secs(10)));
    if !s.username.is_empty() {
        builder = builder.credentials(Credentials::new(s.username.clone(), s.password.clone()));
    }
    let from: Mailbox = s
        .from
        .parse()
        .map_err(|_| format!("发件人地址无效：{}", s.from))?;
    Ok((builder.build(), from))
}

/// The loop beside the server: every POLL, deliver what is due.
pub async fn run(notifier: Notifier) {
    loop {
        if let Err(e) = notifier.deliver_due().await {
            tracing::error!(error = %e, "outbox poll failed");
        }
        tokio::time::sleep(POLL).await;
    }
}
