//! Field-level validation errors. Every boundary reports bad input as a list of these, with a
//! Chinese message that names the field, so the user can fix all of them in one go.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The API field name (snake_case English), stable for clients.
    pub field: String,
    /// Chinese message for the user; it names the field in Chinese.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A rejected input: one or more field errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.summary())]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, message)])
    }
    pub fn summary(&self) -> String {
        self.0
            .iter()
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("；")
    }
}

/// Collects field errors while a whole input is checked.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(m) => {
                self.add(field, m);
                None
            }
        }
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Whether `field` already has an error (so a second message is not added).
    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }
    pub fn into_invalid(self) -> Invalid {
        Invalid(self.0)
    }
    /// `Ok(())` when nothing was added, else the errors.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.0))
        }
    }
}

/// Trims and requires a non-empty string of at most `max` characters.
pub fn required_text(label: &str, value: &str, max: usize) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("{label}不能为空"));
    }
    optional_text(label, v, max).map(|o| o.unwrap_or_default())
}

/// Trims; empty becomes None; longer than `max` characters is an error.
pub fn optional_text(label: &str, value: &str, max: usize) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(format!("{label}不能超过{max}个字符"));
    }
    if v.chars().any(|c| c.is_control()) {
        return Err(format!("{label}包含不可见的控制字符"));
    }
    Ok(Some(v.to_string()))
}

/// Mainland mobile (1[3-9]xxxxxxxxx) or fixed line (区号-号码, optional extension).
/// An http:// or https:// address with a host: what a webhook or a feed may be.
pub fn http_url(label: &str, value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(format!("请填写{label}"));
    }
    if v.len() > 1000 {
        return Err(format!("{label}过长（最多 1000 个字符）"));
    }
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace) => {
            Ok(v.to_string())
        }
        _ => Err(format!("{label}须为 http:// 或 https:// 开头的网址")),
    }
}

/// A URL as shown to someone who may not hold its credentials: no user info, no query string,
/// no fragment (`https://host/path?apikey=…` → `https://host/path?…`).
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let rest = rest.split_once('#').map_or(rest, |(r, _)| r);
    let (before_query, query) = match rest.split_once('?') {
        Some((r, _)) => (r, "?…"),
        None => (rest, ""),
    };
    let (authority, path) = before_query
        .split_once('/')
        .map_or((before_query, ""), |(a, p)| (a, p));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let slash = if before_query.contains('/') { "/" } else { "" };
    let sep = if scheme.is_empty() { "" } else { "://" };
    format!("{scheme}{sep}{host}{slash}{path}{query}")
}

pub fn phone(label: &str, value: &str) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let mobile = v.len() == 11
        && v.starts_with('1')
        && v.bytes().all(|b| b.is_ascii_digit())
        && v.as_bytes()[1] >= b'3';
    let fixed = {
        let parts: Vec<&str> = v.split('-').collect();
        (2..=3).contains(&parts.len())
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            && (3..=4).contains(&parts[0].len())
            && (7..=8).contains(&parts[1].len())
    };
    if mobile || fixed {
        Ok(Some(v.to_string()))
    } else {
        Err(format!(
            "{label}格式不正确：应为11位手机号或“区号-号码”形式的固定电话"
        ))
    }
}

pub fn longitude(value: f64) -> Result<f64, String> {
    if value.is_finite() && (73.0..=136.0).contains(&value) {
        Ok(value)
    } else {
        Err("经度超出范围：应在73到136之间（中国境内）".into())
    }
}

pub fn latitude(value: f64) -> Result<f64, String> {
    if value.is_finite() && (3.0..=54.0).contains(&value) {
        Ok(value)
    } else {
        Err("纬度超出范围：应在3到54之间（中国境内）".into())
    }
}

/// A point given as longitude and latitude: both or neither, each inside China.
pub fn coordinates(errs: &mut Errors, lon: Option<f64>, lat: Option<f64>) {
    if lon.is_some() != lat.is_some() {
        errs.add("lon", "经度和纬度须同时填写");
    }
    if let Some(v) = lon {
        errs.check("lon", longitude(v));
    }
    if let Some(v) = lat {
        errs.check("lat", latitude(v));
    }
}

/// Password policy: at least 8 characters with letters and digits (等保 baseline).
pub fn password_policy(p: &str) -> Result<(), String> {
    if p.chars().count() < 8 {
        return Err("密码至少8位".into());
    }
    if p.chars().count() > 128 {
        return Err("密码不能超过128位".into());
    }
    if !(p.chars().any(|c| c.is_ascii_alphabetic()) && p.chars().any(|c| c.is_ascii_digit())) {
        return Err("密码须同时包含字母和数字".into());
    }
    Ok(())
}

/// Login names: 3–32 of letters, digits, `_`, `.`, `-`.
pub fn username(u: &str) -> Result<String, String> {
    let u = u.trim();
    if !(3..=32).contains(&u.len())
        || !u
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        return Err("用户名应为3至32位字母、数字、下划线、点或连字符".into());
    }
    Ok(u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact_url("https://u:p@feeds.example.cn/cap/atom.xml?apikey=s3cret#x"),
            "https://feeds.example.cn/cap/atom.xml?…"
        );
        assert_eq!(redact_url("http://a.cn"), "http://a.cn");
        assert_eq!(redact_url("http://a.cn/x/y"), "http://a.cn/x/y");
    }

    #[test]
    fn phones() {
        assert!(phone("电话", "13800138000").unwrap().is_some());
        assert!(phone("电话", "0792-8221234").unwrap().is_some());
        assert!(phone("电话", "").unwrap().is_none());
        assert!(phone("电话", "12345").is_err());
        assert!(phone("电话", "1380013800x").is_err());
    }

    #[test]
    fn coordinates() {
        assert!(longitude(116.0).is_ok());
        assert!(longitude(181.0).is_err());
        assert!(longitude(f64::NAN).is_err());
        assert!(latitude(29.7).is_ok());
        assert!(latitude(-91.0).is_err());
    }

    #[test]
    fn text_limits() {
        assert_eq!(required_text("名称", "  甲  ", 10).unwrap(), "甲");
        assert!(
            required_text("名称", "   ", 10)
                .unwrap_err()
                .contains("名称")
        );
        assert!(optional_text("地址", &"长".repeat(11), 10).is_err());
    }
}
