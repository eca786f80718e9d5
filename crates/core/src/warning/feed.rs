//! 预警订阅源: the input of a feed, its check, and the wording of its audit records.

use crate::kernel::validation::{Errors, Invalid, http_url, required_text};

/// Shortest and longest time between two polls of a feed.
pub const MIN_INTERVAL_SECS: i64 = 30;
pub const MAX_INTERVAL_SECS: i64 = 86_400;

#[derive(Debug, Clone)]
pub struct FeedInput {
    /// e.g. 市气象台预警
    pub name: String,
    /// The Atom or RSS address.
    pub url: String,
    /// Seconds between polls (30 – 86400); default 120.
    pub interval_secs: Option<i64>,
    pub active: bool,
}

/// A feed input that passed [`check_feed`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedFeed {
    pub name: String,
    pub url: String,
    pub interval_secs: i64,
}

/// 名称 (≤ 60), an http(s) 订阅地址, and a polling interval in range (default 120 s).
pub fn check_feed(input: &FeedInput) -> Result<CheckedFeed, Invalid> {
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("名称", &input.name, 60));
    let url = errs.check("url", http_url("订阅地址", &input.url));
    let interval = input.interval_secs.unwrap_or(120);
    if !(MIN_INTERVAL_SECS..=MAX_INTERVAL_SECS).contains(&interval) {
        errs.add(
            "interval_secs",
            format!("轮询间隔应为 {MIN_INTERVAL_SECS} 至 {MAX_INTERVAL_SECS} 秒"),
        );
    }
    match (name, url, errs.is_empty()) {
        (Some(name), Some(url), true) => Ok(CheckedFeed {
            name,
            url,
            interval_secs: interval,
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// Refused to the roles that may not manage feeds (`access::may_manage_feeds`).
pub const ONLY_MANAGERS: &str = "只有管理员、指挥长和值班员可以管理预警订阅源";

pub fn created_summary(name: &str, url: &str) -> String {
    format!("登记预警订阅源：{name}（{url}）")
}

pub fn updated_summary(name: &str, active: bool) -> String {
    format!(
        "修改预警订阅源：{name}（{}）",
        if active { "启用" } else { "停用" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(interval: Option<i64>) -> FeedInput {
        FeedInput {
            name: " 市气象台 ".into(),
            url: "https://qx.example/cap.xml".into(),
            interval_secs: interval,
            active: true,
        }
    }

    #[test]
    fn checks_the_feed() {
        let c = check_feed(&input(None)).unwrap();
        assert_eq!((c.name.as_str(), c.interval_secs), ("市气象台", 120));
        assert_eq!(
            check_feed(&input(Some(10))).unwrap_err().summary(),
            "轮询间隔应为 30 至 86400 秒"
        );
    }

    #[test]
    fn wording() {
        assert_eq!(
            created_summary("甲", "http://a"),
            "登记预警订阅源：甲（http://a）"
        );
        assert_eq!(updated_summary("甲", false), "修改预警订阅源：甲（停用）");
    }
}
