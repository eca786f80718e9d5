//! 12345/12350 热线 (issue 24): orders pushed by the hotline platform to a signed webhook or
//! imported from its export file. What an order must carry, how its signature and timestamp are
//! checked, the hotline's status codes with their Chinese wording, its own deadlines, and the
//! answer pushed back. The protocol: docs/grid/hotline.md.

use crate::grid::events::Deadlines;
use crate::grid::events_config::{Category, GridEventConfig};
use crate::kernel::clock::{parse_instant, to_rfc3339};
use crate::kernel::validation::{Errors, Invalid, optional_text, phone, required_text};
use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// How far the platform's clock may be from ours (seconds) before a call is refused as a replay.
pub const MAX_SKEW_S: i64 = 300;

/// The category an order whose category code is not in the district's catalogue is filed under.
pub const FALLBACK_CATEGORY: &str = "other";

/// The two hotline platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// 12345 政务服务便民热线.
    Citizen,
    /// 12350 安全生产举报投诉热线.
    Safety,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Citizen => "12345",
            Self::Safety => "12350",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "12345" => Some(Self::Citizen),
            "12350" => Some(Self::Safety),
            _ => None,
        }
    }
    /// The audit actor's name of a call from the platform.
    pub fn actor_name(self) -> String {
        format!("{}热线平台", self.as_str())
    }
}

/// The hotline's status codes (the `code` of every answer of the webhook).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// 200: the order is filed as a grid event.
    Received,
    /// 200: the same order number was received before; nothing new is stored.
    Duplicate,
    /// 401: the signature does not match the district's secret.
    BadSignature,
    /// 401: the timestamp is missing or more than 300 s from our clock.
    StaleTimestamp,
    /// 400: a field is missing or wrong (the answer names it).
    InvalidField,
    /// 404: no hotline connection is registered for the district named.
    UnknownDistrict,
    /// 429: too many calls.
    RateLimited,
    /// 500: our fault; the platform should send again (the order number keeps it once).
    ServerError,
}

impl Answer {
    pub const ALL: [Answer; 8] = [
        Self::Received,
        Self::Duplicate,
        Self::BadSignature,
        Self::StaleTimestamp,
        Self::InvalidField,
        Self::UnknownDistrict,
        Self::RateLimited,
        Self::ServerError,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Duplicate => "duplicate",
            Self::BadSignature => "bad_signature",
            Self::StaleTimestamp => "stale_timestamp",
            Self::InvalidField => "invalid_field",
            Self::UnknownDistrict => "unknown_district",
            Self::RateLimited => "rate_limited",
            Self::ServerError => "server_error",
        }
    }
    pub fn http_status(self) -> u16 {
        match self {
            Self::Received | Self::Duplicate => 200,
            Self::BadSignature | Self::StaleTimestamp => 401,
            Self::InvalidField => 400,
            Self::UnknownDistrict => 404,
            Self::RateLimited => 429,
            Self::ServerError => 500,
        }
    }
    /// The default Chinese message (a bad field's answer names the field instead).
    pub fn message(self) -> &'static str {
        match self {
            Self::Received => "工单已受理",
            Self::Duplicate => "该工单编号已受理，未重复登记",
            Self::BadSignature => "签名校验失败，工单未受理",
            Self::StaleTimestamp => "请求时间戳缺失或与服务器时间相差超过 300 秒，工单未受理",
            Self::InvalidField => "工单字段有误，未受理",
            Self::UnknownDistrict => "该区县未开通热线对接（X-Hotline-District 无效），工单未受理",
            Self::RateLimited => "推送过于频繁，请稍后重试",
            Self::ServerError => "服务器内部错误，请稍后重试（同一工单编号不会重复登记）",
        }
    }
}

/// Checks `X-Hotline-Timestamp` against our clock (±[`MAX_SKEW_S`]); answers the seconds.
pub fn check_timestamp(header: Option<&str>, now_ms: i64) -> Result<i64, Answer> {
    let ts: i64 = header
        .and_then(|h| h.trim().parse().ok())
        .ok_or(Answer::StaleTimestamp)?;
    if (now_ms / 1000 - ts).abs() > MAX_SKEW_S {
        return Err(Answer::StaleTimestamp);
    }
    Ok(ts)
}

/// Checks `X-Hotline-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>` (the
/// same scheme as our outbound webhooks, `kernel::notify::webhook_signature`), in constant time.
pub fn signature_matches(
    secret: &str,
    timestamp_s: i64,
    body: &[u8],
    header: Option<&str>,
) -> bool {
    let Some(sig) = header
        .map(str::trim)
        .and_then(|h| h.strip_prefix("sha256="))
        .and_then(|h| hex::decode(h).ok())
    else {
        return false;
    };
    if secret.is_empty() {
        return false;
    }
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp_s.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

/// A hotline order as the platform sends it (webhook body or one row of the export file).
#[derive(Debug, Clone, Default)]
pub struct OrderInput {
    pub platform: String,
    pub order_no: String,
    pub category: String,
    pub title: Option<String>,
    pub content: String,
    pub address: Option<String>,
    pub street_code: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub caller_name: Option<String>,
    pub caller_phone: Option<String>,
    pub accept_deadline: Option<String>,
    pub finish_deadline: Option<String>,
}

/// A checked order; its region and point are resolved against the directory by the use case.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedOrder {
    pub platform: Platform,
    pub order_no: String,
    /// The catalogue's code (the fallback's when the hotline's code is unknown).
    pub category: String,
    /// The hotline's own category code when it was not in the catalogue.
    pub unknown_category: Option<String>,
    pub title: String,
    pub description: String,
    pub address: Option<String>,
    pub street_code: Option<String>,
    pub point: Option<(f64, f64)>,
    pub caller_name: Option<String>,
    pub caller_phone: Option<String>,
    pub accept_due_ms: Option<i64>,
    pub finish_due_ms: Option<i64>,
}

/// An order number: 1 to 64 letters, digits, `-` or `_`.
fn order_no(v: &str) -> Result<String, String> {
    let t = v.trim();
    if t.is_empty() {
        return Err("工单编号不能为空".into());
    }
    if t.len() > 64
        || !t
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!("工单编号“{t}”无效：最多 64 位字母、数字、- 或 _"));
    }
    Ok(t.to_string())
}

fn deadline(label: &str, v: Option<&str>) -> Result<Option<i64>, String> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_instant(s).map(Some).map_err(|_| {
            format!("{label}“{s}”格式不正确，应为 RFC 3339，如 2026-12-05T18:00:00+08:00")
        }),
    }
}

/// The category of an order: the catalogue's active one, or the fallback (其他) when the code is
/// unknown — a hotline order is never refused for its category; the duty room sees the
/// hotline's code in the description. `None` only when the fallback itself is inactive.
fn category_of<'a>(config: &'a GridEventConfig, code: &str) -> Option<(&'a Category, bool)> {
    match config.active_category(code.trim()) {
        Ok(c) => Some((c, false)),
        Err(_) => config
            .active_category(FALLBACK_CATEGORY)
            .ok()
            .map(|c| (c, true)),
    }
}

/// Checks an order against the catalogue; every error names its field.
// Long because: one check per field of the hotline's order, each naming its field.
pub fn check_order(input: &OrderInput, config: &GridEventConfig) -> Result<CheckedOrder, Invalid> {
    let mut errs = Errors::default();
    let platform = Platform::parse(&input.platform);
    if platform.is_none() {
        errs.add("platform", "热线平台应为 12345 或 12350");
    }
    let no = errs.check("order_no", order_no(&input.order_no));
    let category = category_of(config, &input.category);
    if category.is_none() {
        errs.add(
            "category",
            format!("工单分类“{}”不在本区事件目录中", input.category.trim()),
        );
    }
    let description = errs.check("content", required_text("诉求内容", &input.content, 2000));
    let title = errs
        .check(
            "title",
            optional_text("工单标题", input.title.as_deref().unwrap_or(""), 60),
        )
        .flatten();
    let address = errs
        .check(
            "address",
            optional_text("地址", input.address.as_deref().unwrap_or(""), 200),
        )
        .flatten();
    let street_code = input
        .street_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if street_code.is_some_and(|s| s.len() < 9 || !s.bytes().all(|b| b.is_ascii_digit())) {
        errs.add("street_code", "街道编码应为 9 位以上数字");
    }
    let point = match (input.lon, input.lat) {
        (None, None) => None,
        (Some(lon), Some(lat)) => {
            crate::kernel::validation::coordinates(&mut errs, Some(lon), Some(lat));
            Some((lon, lat))
        }
        _ => {
            errs.add("lon", "经度和纬度须同时提供，或都不提供");
            None
        }
    };
    let caller_name = errs
        .check(
            "caller_name",
            optional_text("来电人姓名", input.caller_name.as_deref().unwrap_or(""), 30),
        )
        .flatten();
    let caller_phone = errs
        .check(
            "caller_phone",
            phone("来电号码", input.caller_phone.as_deref().unwrap_or("")),
        )
        .flatten();
    let accept = errs
        .check(
            "accept_deadline",
            deadline("签收时限", input.accept_deadline.as_deref()),
        )
        .flatten();
    let finish = errs
        .check(
            "finish_deadline",
            deadline("办结时限", input.finish_deadline.as_deref()),
        )
        .flatten();
    if let (Some(a), Some(f)) = (accept, finish)
        && f < a
    {
        errs.add("finish_deadline", "办结时限不能早于签收时限");
    }
    errs.into_result()?;
    let (Some(platform), Some(no), Some((c, unknown)), Some(description)) =
        (platform, no, category, description)
    else {
        return Err(Invalid::one("order_no", "工单无效"));
    };
    let unknown_category = unknown.then(|| input.category.trim().to_string());
    let description = match &unknown_category {
        Some(code) => format!(
            "{description}\n（热线分类“{code}”不在本区目录中，按“{}”受理）",
            c.name
        ),
        None => description,
    };
    let title = title.unwrap_or_else(|| {
        let head: String = description.chars().take(20).collect();
        format!("【{}】{head}", platform.as_str())
    });
    Ok(CheckedOrder {
        platform,
        order_no: no,
        category: c.code.clone(),
        unknown_category,
        title,
        description,
        address,
        street_code: street_code.map(str::to_string),
        point,
        caller_name,
        caller_phone,
        accept_due_ms: accept,
        finish_due_ms: finish,
    })
}

/// The hotline's deadlines over the category's: 签收 by `accept_deadline`, 处置 and 反馈 by
/// `finish_deadline` (the hotline's 办结时限 is when the caller must have the answer).
pub fn hotline_deadlines(category: Deadlines, o: &CheckedOrder) -> Deadlines {
    Deadlines {
        accept_ms: o.accept_due_ms.unwrap_or(category.accept_ms),
        handle_ms: o.finish_due_ms.unwrap_or(category.handle_ms),
        feedback_ms: o.finish_due_ms.unwrap_or(category.feedback_ms),
    }
}

/// The timeline note of an order without a point.
pub fn located_note(at_street: bool) -> &'static str {
    if at_street {
        "热线工单未带坐标，暂按街道中心定位，请核实位置"
    } else {
        "热线工单未带坐标和街道，暂按区中心定位，请核实位置"
    }
}

/// An unknown street code (not a street or community of the district).
pub fn unknown_street(code: &str) -> String {
    format!("街道编码“{code}”不存在或不属于本区")
}

pub fn outside_district(lon: f64, lat: f64) -> String {
    format!("位置（{lon:.5}，{lat:.5}）不在本区范围内")
}

/// One row's error in the import ("第 3 行：…").
pub fn row_error(row: usize, message: &str) -> String {
    format!("第 {row} 行：{message}")
}

pub const NOT_AN_IMPORTER: &str = "只有值班员、局领导和系统管理员可以导入热线工单";
pub const NO_ROWS: &str = "文件中没有工单数据";
pub const NOT_CONNECTED: &str = "本区未登记 12345/12350 热线回传渠道，答复未回传热线平台";

/// The summary of an import.
pub fn imported_summary(imported: usize, skipped: usize) -> String {
    format!("导入热线工单 {imported} 件（已受理过的 {skipped} 件跳过）")
}

/// The answer pushed back to the hotline (the body of the signed POST).
pub struct AnswerBack<'a> {
    pub order_no: &'a str,
    pub event_code: &'a str,
    pub result: Option<&'a str>,
    pub answer: &'a str,
    pub answered_ms: i64,
    pub unit: &'a str,
}

pub fn answer_body(a: &AnswerBack<'_>) -> serde_json::Value {
    serde_json::json!({
        "order_no": a.order_no,
        "event_code": a.event_code,
        "result": a.result,
        "answer": a.answer,
        "answered_at": to_rfc3339(a.answered_ms),
        "unit": a.unit,
    })
}

pub fn answer_title(order_no: &str) -> String {
    format!("热线工单{order_no}答复回传")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> OrderInput {
        OrderInput {
            platform: "12345".into(),
            order_no: "GD20261205001".into(),
            category: "gas".into(),
            content: "小区燃气管道有异味".into(),
            ..Default::default()
        }
    }

    #[test]
    fn signature_is_the_webhook_scheme_and_checked_exactly() {
        let sig = crate::kernel::notify::webhook_signature("k", 100, b"{}");
        assert!(signature_matches("k", 100, b"{}", Some(&sig)));
        assert!(!signature_matches("k", 101, b"{}", Some(&sig)));
        assert!(!signature_matches("j", 100, b"{}", Some(&sig)));
        assert!(!signature_matches("k", 100, b"{}", Some("sha256=zz")));
        assert!(!signature_matches("", 100, b"{}", Some(&sig)));
        assert!(!signature_matches("k", 100, b"{}", None));
    }

    #[test]
    fn timestamps_out_of_the_window_are_refused() {
        assert_eq!(check_timestamp(Some("1000"), 1_000_000), Ok(1000));
        assert_eq!(check_timestamp(Some("1300"), 1_000_000), Ok(1300));
        assert!(check_timestamp(Some("1301"), 1_000_000).is_err());
        assert!(check_timestamp(Some("699"), 1_000_000).is_err());
        assert!(check_timestamp(Some("x"), 1_000_000).is_err());
        assert!(check_timestamp(None, 1_000_000).is_err());
    }

    #[test]
    fn unknown_categories_fall_back_and_fields_are_named() {
        let config = GridEventConfig::default();
        let mut o = order();
        o.category = "9999".into();
        let c = check_order(&o, &config).expect("checked");
        assert_eq!(c.category, FALLBACK_CATEGORY);
        assert_eq!(c.unknown_category.as_deref(), Some("9999"));
        let bad = OrderInput {
            platform: "110".into(),
            order_no: "a b".into(),
            caller_phone: Some("12".into()),
            accept_deadline: Some("明天".into()),
            ..order()
        };
        let fields: Vec<String> = check_order(&bad, &config)
            .expect_err("bad")
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            ["platform", "order_no", "caller_phone", "accept_deadline"]
        );
    }

    #[test]
    fn the_hotline_deadlines_override_the_category() {
        let mut o = order();
        o.accept_deadline = Some("2026-12-05T10:00:00+08:00".into());
        o.finish_deadline = Some("2026-12-06T10:00:00+08:00".into());
        let c = check_order(&o, &GridEventConfig::default()).expect("checked");
        let cat = Deadlines {
            accept_ms: 1,
            handle_ms: 2,
            feedback_ms: 3,
        };
        let d = hotline_deadlines(cat, &c);
        assert_eq!(d.handle_ms, d.feedback_ms);
        assert_eq!(d.handle_ms - d.accept_ms, 86_400_000);
        assert_eq!(Answer::ALL.len(), 8);
    }
}
