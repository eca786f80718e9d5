//! External notification channels (企业微信/钉钉 group robots, a signed generic webhook, email,
//! SMS): what each one is sent, how it is signed, and when a failed delivery is tried again.
//! The outbox rows and the delivery loop live in yingji-store and yingji-jobs.

use crate::kernel::validation::FieldError;
use base64::Engine;
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// 企业微信群机器人: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`
    Wecom,
    /// 钉钉群机器人: `https://oapi.dingtalk.com/robot/send?access_token=…`, optionally 加签.
    Dingtalk,
    /// Any HTTP receiver; the body is signed with HMAC-SHA256 when a secret is set.
    Webhook,
    /// A mailbox (e.g. 值班室) reached through the configured SMTP server.
    Email,
    /// A phone reached through the configured SMS gateway.
    Sms,
    /// The district's 12345/12350 hotline connection: the secret signs the orders the platform
    /// pushes to `/api/hotline/orders` and the answers pushed back to this address
    /// (docs/grid/hotline.md). Registered by the administrator; never an alarm's audience.
    Hotline,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 6] = [
        Self::Wecom,
        Self::Dingtalk,
        Self::Webhook,
        Self::Email,
        Self::Sms,
        Self::Hotline,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Wecom => "wecom",
            Self::Dingtalk => "dingtalk",
            Self::Webhook => "webhook",
            Self::Email => "email",
            Self::Sms => "sms",
            Self::Hotline => "hotline",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Wecom => "企业微信机器人",
            Self::Dingtalk => "钉钉机器人",
            Self::Webhook => "通用Webhook",
            Self::Email => "电子邮件",
            Self::Sms => "短信",
            Self::Hotline => "12345/12350热线对接",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Robots and webhooks are reached by URL; email and SMS by address.
    pub fn is_http(self) -> bool {
        matches!(
            self,
            Self::Wecom | Self::Dingtalk | Self::Webhook | Self::Hotline
        )
    }
}

/// Checks a channel's address for its kind; the error names the `endpoint` field.
pub fn check_endpoint(kind: ChannelKind, endpoint: &str) -> Result<(), FieldError> {
    let e = endpoint.trim();
    let bad = |m: &str| Err(FieldError::new("endpoint", m));
    if kind.is_http() {
        crate::kernel::validation::http_url("地址", e)
            .map(|_| ())
            .map_err(|m| FieldError::new("endpoint", m))
    } else if kind == ChannelKind::Email {
        let ok = addresses(e).all(|a| {
            let mut parts = a.split('@');
            matches!((parts.next(), parts.next(), parts.next()),
                (Some(l), Some(d), None) if !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
        });
        if ok && addresses(e).next().is_some() {
            Ok(())
        } else {
            bad("须为电子邮件地址，多个以逗号分隔")
        }
    } else if addresses(e).all(is_mobile) && addresses(e).next().is_some() {
        Ok(())
    } else {
        bad("须为 11 位手机号，多个以逗号分隔")
    }
}

/// A robot's URL carries its key in the query (`?key=…`, `?access_token=…`): shown masked, so a
/// supervisor who may see the channel cannot post to the group.
pub fn mask_endpoint(kind: ChannelKind, endpoint: &str) -> String {
    if !kind.is_http() {
        return endpoint.to_string();
    }
    let Some((base, query)) = endpoint.split_once('?') else {
        return endpoint.to_string();
    };
    let masked: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) if v.chars().count() > 4 => {
                format!("{k}={}****", v.chars().take(4).collect::<String>())
            }
            Some((k, _)) => format!("{k}=****"),
            None => kv.to_string(),
        })
        .collect();
    format!("{base}?{}", masked.join("&"))
}

/// The comma- (or 、/；-) separated addresses of an email or SMS channel.
pub fn addresses(endpoint: &str) -> impl Iterator<Item = &str> {
    endpoint
        .split([',', '，', ';', '；', '、'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
}

/// A mainland mobile number: 11 digits starting with 1.
pub fn is_mobile(s: &str) -> bool {
    s.len() == 11 && s.starts_with('1') && s.bytes().all(|b| b.is_ascii_digit())
}

/// What every channel says, before it is shaped for the channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Machine-readable event, e.g. `alarm.escalate`.
    pub event: String,
    pub title: String,
    pub body: String,
    /// Absolute link to the record in the console.
    pub link: String,
    /// The record the message is about (the alarm's id).
    pub subject_id: String,
}

/// Robots cut long texts; 企业微信 allows 4096 bytes of markdown. Keeps whole characters.
fn clip(s: &str, max_bytes: usize) -> String {
    if s.len() <= max_bytes {
        return s.to_string();
    }
    let mut end = max_bytes.saturating_sub(3);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// The JSON a 企业微信 group robot takes.
pub fn wecom_body(m: &Message) -> Value {
    let content = clip(
        &format!("## {}\n{}\n[查看详情]({})", m.title, m.body, m.link),
        4000,
    );
    json!({"msgtype": "markdown", "markdown": {"content": content}})
}

/// The JSON a 钉钉 group robot takes.
pub fn dingtalk_body(m: &Message) -> Value {
    let text = clip(
        &format!("### {}\n\n{}\n\n[查看详情]({})", m.title, m.body, m.link),
        4000,
    );
    json!({"msgtype": "markdown", "markdown": {"title": clip(&m.title, 200), "text": text}})
}

/// 钉钉 加签: base64(HMAC-SHA256(secret, "{timestamp}\n{secret}")), percent-encoded for the URL.
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    let b64 = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    percent_encode(&b64)
}

/// The 钉钉 robot URL with `timestamp` and `sign` appended when the robot has a secret.
pub fn dingtalk_url(url: &str, secret: Option<&str>, timestamp_ms: i64) -> String {
    match secret.filter(|s| !s.is_empty()) {
        Some(s) => {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!(
                "{url}{sep}timestamp={timestamp_ms}&sign={}",
                dingtalk_sign(s, timestamp_ms)
            )
        }
        None => url.to_string(),
    }
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The JSON the generic webhook receives. `delivery_id` lets the receiver drop a resend.
pub fn webhook_body(m: &Message, delivery_id: &str, created_ms: i64) -> Value {
    json!({
        "id": delivery_id,
        "event": m.event,
        "subject_id": m.subject_id,
        "title": m.title,
        "body": m.body,
        "link": m.link,
        "created_ms": created_ms,
    })
}

/// `X-Yingji-Signature`: "sha256=" + hex(HMAC-SHA256(secret, "{timestamp}.{body}")). The
/// timestamp (seconds, sent as `X-Yingji-Timestamp`) lets receivers refuse replays.
pub fn webhook_signature(secret: &str, timestamp_s: i64, body: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp_s.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The text of an email or SMS.
pub fn plain_text(m: &Message) -> String {
    format!("{}\n{}\n详情：{}", m.title, m.body, m.link)
}

/// How many attempts a message gets before it is given up.
pub const MAX_ATTEMPTS: i64 = 8;

/// When to try again after `attempts` failed tries: 30 s, doubling, at most 30 min; `None`
/// once the message has had MAX_ATTEMPTS.
pub fn retry_after_ms(attempts: i64) -> Option<i64> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let exp = attempts.clamp(1, 20) - 1;
    Some((30_000i64 << exp).min(30 * 60_000))
}

/// Whether an HTTP status means "do not try again": the request itself is wrong (bad key,
/// removed robot). 408 and 429 are worth another try.
pub fn is_permanent(status: u16) -> bool {
    (400..500).contains(&status) && status != 408 && status != 429
}

/// 企业微信 and 钉钉 answer 200 with `errcode` ≠ 0 on failure; the error text to record.
pub fn robot_error(answer: &Value) -> Option<String> {
    match answer.get("errcode").and_then(Value::as_i64) {
        Some(0) => None,
        Some(code) => Some(format!(
            "机器人返回错误 {code}：{}",
            answer.get("errmsg").and_then(Value::as_str).unwrap_or("")
        )),
        None => Some("机器人应答不是预期的 JSON".into()),
    }
}

/// The kinds of in-app notifications (消息中心 tabs), told apart by the console page their link
/// opens: (code, label, link prefix).
pub const NOTIFICATION_KINDS: &[(&str, &str, &str)] = &[
    ("hazard", "隐患", "/hazards"),
    ("alarm", "报警", "/alarms"),
    ("work_order", "响应工单", "/work-orders"),
    ("incident", "突发事件", "/incidents"),
    ("warning", "预警", "/warnings"),
];

/// The kind of a notification with this link: its code and label ("other", "其他" when none).
pub fn notification_kind(link: Option<&str>) -> (&'static str, &'static str) {
    let link = link.unwrap_or("");
    NOTIFICATION_KINDS
        .iter()
        .find(|(_, _, prefix)| {
            link.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?']))
        })
        .map(|(code, label, _)| (*code, *label))
        .unwrap_or(("other", "其他"))
}

/// The link prefix of a notification kind, if the code is one.
pub fn notification_kind_prefix(code: &str) -> Option<&'static str> {
    NOTIFICATION_KINDS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, prefix)| *prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg() -> Message {
        Message {
            event: "alarm.escalate".into(),
            title: "【高高报】某化工 储罐液位".into(),
            body: "监测值 95".into(),
            link: "http://x/alarms?id=1".into(),
            subject_id: "1".into(),
        }
    }

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mut mac = HmacSha256::new_from_slice(b"Jefe").expect("key");
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn dingtalk_signature_is_url_safe_base64_of_the_hmac() {
        let sign = dingtalk_sign("SECxyz", 1_700_000_000_000);
        assert!(!sign.contains('+') && !sign.contains('/') && !sign.contains('='));
        let url = dingtalk_url(
            "https://oapi.dingtalk.com/robot/send?access_token=t",
            Some("SECxyz"),
            1_700_000_000_000,
        );
        assert!(url.starts_with(
            "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign="
        ));
        assert_eq!(dingtalk_url("http://h/r", None, 1), "http://h/r");
    }

    #[test]
    fn webhook_signature_covers_timestamp_and_body() {
        let a = webhook_signature("k", 100, b"{}");
        assert!(a.starts_with("sha256=") && a.len() == 7 + 64);
        assert_ne!(a, webhook_signature("k", 101, b"{}"));
        assert_ne!(a, webhook_signature("k", 100, b"{ }"));
    }

    #[test]
    fn robot_bodies_carry_the_link_and_stay_short() {
        let mut m = msg();
        assert!(
            wecom_body(&m)["markdown"]["content"]
                .as_str()
                .is_some_and(|c| c.contains("http://x/alarms?id=1"))
        );
        m.body = "很长".repeat(2000);
        let c = wecom_body(&m)["markdown"]["content"]
            .as_str()
            .map(str::len)
            .unwrap_or(0);
        assert!(c <= 4000, "{c}");
        assert_eq!(dingtalk_body(&m)["msgtype"], "markdown");
    }

    #[test]
    fn back_off_doubles_then_gives_up() {
        let waits: Vec<_> = (1..=MAX_ATTEMPTS).map(retry_after_ms).collect();
        assert_eq!(waits[0], Some(30_000));
        assert_eq!(waits[1], Some(60_000));
        assert_eq!(waits[6], Some(30 * 60_000));
        assert_eq!(waits[7], None);
        assert!(is_permanent(404) && !is_permanent(429) && !is_permanent(503));
    }

    #[test]
    fn endpoints_are_checked_by_kind() {
        assert!(check_endpoint(ChannelKind::Wecom, "https://qyapi.weixin.qq.com/x?key=1").is_ok());
        assert!(check_endpoint(ChannelKind::Webhook, "ftp://x").is_err());
        assert!(check_endpoint(ChannelKind::Webhook, "http://").is_err());
        assert!(check_endpoint(ChannelKind::Email, "zbs@xy.gov.cn, a@b.cn").is_ok());
        assert!(check_endpoint(ChannelKind::Email, "zbs@").is_err());
        assert!(check_endpoint(ChannelKind::Sms, "13800000000、13900000000").is_ok());
        assert!(check_endpoint(ChannelKind::Sms, "12345").is_err());
        assert_eq!(
            robot_error(&json!({"errcode": 93000, "errmsg": "invalid webhook url"})),
            Some("机器人返回错误 93000：invalid webhook url".into())
        );
        assert_eq!(robot_error(&json!({"errcode": 0, "errmsg": "ok"})), None);
        assert_eq!(
            mask_endpoint(ChannelKind::Wecom, "https://q/send?key=693a91f6-7xxx&x=1"),
            "https://q/send?key=693a****&x=****"
        );
        assert_eq!(mask_endpoint(ChannelKind::Email, "a@b.cn"), "a@b.cn");
    }

    #[test]
    fn notification_kinds_from_links() {
        assert_eq!(notification_kind(Some("/hazards/h1")), ("hazard", "隐患"));
        assert_eq!(notification_kind(Some("/alarms?id=a")), ("alarm", "报警"));
        assert_eq!(
            notification_kind(Some("/work-orders")),
            ("work_order", "响应工单")
        );
        assert_eq!(notification_kind(Some("/hazards-stats")), ("other", "其他"));
        assert_eq!(notification_kind(None), ("other", "其他"));
        assert_eq!(notification_kind_prefix("alarm"), Some("/alarms"));
        assert_eq!(notification_kind_prefix("nope"), None);
    }
}
