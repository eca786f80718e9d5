//! The second login factor: which methods exist, recovery codes, the Chinese wording.

/// How many recovery codes are issued at once.
pub const RECOVERY_CODES: usize = 10;
/// A pending login (password passed, factor due) lives this long.
pub const PENDING_MS: i64 = 5 * 60_000;
/// Wrong codes a pending login tolerates before it is dropped.
pub const PENDING_ATTEMPTS: i64 = 5;
/// An SMS code lives this long.
pub const SMS_MS: i64 = 5 * 60_000;

/// A second factor's method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Totp,
    Sms,
    Recovery,
}

impl Method {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "totp" => Some(Self::Totp),
            "sms" => Some(Self::Sms),
            "recovery" => Some(Self::Recovery),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Totp => "动态口令",
            Self::Sms => "短信验证码",
            Self::Recovery => "恢复码",
        }
    }
}

/// Normalises a typed recovery code (spaces, dashes and case ignored).
pub fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Shows a recovery code in groups of five (`ABCDE-FGHIJ`).
pub fn show_recovery(code: &str) -> String {
    let n = normalise_recovery(code);
    if n.len() == 10 {
        format!("{}-{}", &n[..5], &n[5..])
    } else {
        n
    }
}

pub const CODE_WRONG: &str = "验证码不正确或已使用";
pub const PENDING_GONE: &str = "登录已超时或验证失败次数过多，请重新输入用户名和密码";
pub const NOT_ENROLLED: &str = "尚未绑定动态口令";
pub const NO_PHONE: &str = "账号未登记手机号，无法发送短信验证码";
pub const FACTOR_REQUIRED: &str = "该角色须使用双因素认证，请先绑定动态口令";
pub const TOKEN_REFUSED: &str = "API令牌不能调用安全与账号管理接口";

/// Paths an API token never reaches: security, accounts, tokens, the audit log, passwords
/// (where a second factor is due; tokens are single-factor by design).
pub const TOKEN_BARRED: &[&str] = &[
    "/api/v1/security",
    "/api/v1/users",
    "/api/v1/tokens",
    "/api/v1/audit",
    "/api/v1/auth/password",
];

/// Whether an API token may call `path`.
pub fn token_may_reach(path: &str) -> bool {
    !TOKEN_BARRED.iter().any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// The SMS text.
pub fn sms_body(code: &str) -> String {
    format!("您的登录验证码为{code}，5分钟内有效。如非本人操作，请立即修改密码。")
}

/// Audit summaries.
pub fn enrolled_summary(username: &str) -> String {
    format!("用户“{username}”绑定动态口令")
}
pub fn disabled_summary(username: &str) -> String {
    format!("用户“{username}”解除动态口令")
}
pub fn recovery_summary(username: &str) -> String {
    format!("用户“{username}”重新生成恢复码")
}
pub fn passed_summary(username: &str, method: Method) -> String {
    format!("用户“{username}”通过{}验证", method.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes() {
        assert_eq!(normalise_recovery("abcde-fghij "), "ABCDEFGHIJ");
        assert_eq!(show_recovery("ABCDEFGHIJ"), "ABCDE-FGHIJ");
        assert_eq!(Method::parse("sms"), Some(Method::Sms));
        assert_eq!(Method::parse("x"), None);
        assert!(!token_may_reach("/api/v1/users/1/unlock"));
        assert!(!token_may_reach("/api/v1/security/policy"));
        assert!(token_may_reach("/api/v1/usersx"));
        assert!(token_may_reach("/api/v1/readings"));
    }
}
