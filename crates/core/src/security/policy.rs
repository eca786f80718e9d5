//! 身份鉴别 policy of the district (等保 2.0 三级 defaults): password strength, history and
//! age, session timeouts, one session per account, which roles need a second factor, how long
//! an API token may live. Stored versioned (every change a new version, audited); these pure
//! functions decide.

use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 86_400_000;

/// The district's policy. Absent fields take the 等保 defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Shortest password (at least 8).
    pub min_length: i64,
    /// How many of upper case, lower case, digit, symbol a password needs (1–4).
    pub min_classes: i64,
    /// A new password may not be one of this many last ones (0–24).
    pub history: i64,
    /// Days a password lives (0: never expires).
    pub max_age_days: i64,
    /// Days before expiry the user is warned.
    pub warn_days: i64,
    /// Minutes without activity that end a session (5–480).
    pub idle_minutes: i64,
    /// Hours a session lives however active (1–72).
    pub absolute_hours: i64,
    /// A new login ends the account's other sessions.
    pub single_session: bool,
    /// Roles besides the administrators that need a second factor.
    pub second_factor_roles: Vec<String>,
    /// Longest API token life in days (1–365).
    pub token_max_days: i64,
    /// Accounts whose password was set before the policy existed (its age unknown) must
    /// change it at their next login.
    pub force_change_legacy: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            min_length: 8,
            min_classes: 3,
            history: 5,
            max_age_days: 90,
            warn_days: 7,
            idle_minutes: 30,
            absolute_hours: 12,
            single_session: false,
            second_factor_roles: Vec::new(),
            token_max_days: 90,
            force_change_legacy: false,
        }
    }
}

/// Checks a policy an administrator submitted: the field and the Chinese reason when out of
/// range. `known_role` tells which role names exist.
pub fn check(p: &Policy, known_role: impl Fn(&str) -> bool) -> Result<(), (&'static str, String)> {
    let range = |field: &'static str, v: i64, lo: i64, hi: i64, what: &str| {
        if (lo..=hi).contains(&v) {
            Ok(())
        } else {
            Err((field, format!("{what}应为{lo}至{hi}")))
        }
    };
    range("min_length", p.min_length, 8, 64, "密码最短长度")?;
    range("min_classes", p.min_classes, 1, 4, "密码字符种类数")?;
    range("history", p.history, 0, 24, "不得重复的历史密码个数")?;
    range(
        "max_age_days",
        p.max_age_days,
        0,
        365,
        "密码有效期（天，0为不过期）",
    )?;
    range("warn_days", p.warn_days, 0, 30, "到期提醒天数")?;
    range("idle_minutes", p.idle_minutes, 5, 480, "空闲超时（分钟）")?;
    range(
        "absolute_hours",
        p.absolute_hours,
        1,
        72,
        "会话最长时间（小时）",
    )?;
    range(
        "token_max_days",
        p.token_max_days,
        1,
        365,
        "API令牌最长有效期（天）",
    )?;
    for (i, r) in p.second_factor_roles.iter().enumerate() {
        if !known_role(r) {
            let shown: String = r.chars().take(30).collect();
            return Err((
                "second_factor_roles",
                format!("第{}项角色“{shown}”不存在", i + 1),
            ));
        }
    }
    Ok(())
}

/// How many of the four classes (upper, lower, digit, symbol) `p` uses.
pub fn classes(p: &str) -> i64 {
    let has = |f: fn(&char) -> bool| i64::from(p.chars().any(|c| f(&c)));
    has(char::is_ascii_uppercase)
        + has(char::is_ascii_lowercase)
        + has(char::is_ascii_digit)
        + has(|c| !c.is_ascii_alphanumeric())
}

/// Whether a new password `p` of `username` satisfies the policy (history is checked against
/// the stored hashes by the caller); the Chinese reason when not.
pub fn check_password(policy: &Policy, username: &str, p: &str) -> Result<(), String> {
    let n = p.chars().count() as i64;
    if n < policy.min_length {
        return Err(format!("密码至少{}位", policy.min_length));
    }
    if n > 128 {
        return Err("密码不能超过128位".into());
    }
    if classes(p) < policy.min_classes {
        return Err(format!(
            "密码须包含大写字母、小写字母、数字、符号中的至少{}种",
            policy.min_classes
        ));
    }
    let folded = p.to_lowercase();
    let name = username.trim().to_lowercase();
    let reversed: String = name.chars().rev().collect();
    if name.chars().count() >= 3 && (folded.contains(&name) || folded.contains(&reversed)) {
        return Err("密码不能包含用户名（含倒序、大小写变化）".into());
    }
    Ok(())
}

/// The one message for a password equal to one of the last ones.
pub fn reused(history: i64) -> String {
    format!("新密码不能与最近{history}次使用过的密码相同")
}

/// Whole days until the password set at `changed_ms` expires (negative or 0: expired); None
/// when it never expires or its age is unknown (set before the policy existed).
pub fn days_left(policy: &Policy, changed_ms: Option<i64>, now_ms: i64) -> Option<i64> {
    if policy.max_age_days == 0 {
        return None;
    }
    let expires = changed_ms? + policy.max_age_days * DAY_MS;
    Some((expires - now_ms).div_euclid(DAY_MS) + i64::from((expires - now_ms) % DAY_MS != 0))
}

/// Whether the password set at `changed_ms` has expired.
pub fn expired(policy: &Policy, changed_ms: Option<i64>, now_ms: i64) -> bool {
    policy.max_age_days > 0
        && changed_ms.is_some_and(|c| now_ms >= c + policy.max_age_days * DAY_MS)
}

/// Whether the user should be warned that the password expires soon.
pub fn warn(policy: &Policy, days_left: Option<i64>) -> bool {
    days_left.is_some_and(|d| d > 0 && d <= policy.warn_days)
}

/// Whether a session opened at `created_ms` and last used at `last_seen_ms` is still alive.
pub fn session_alive(
    idle_ms: i64,
    absolute_ms: i64,
    created_ms: i64,
    last_seen_ms: i64,
    now_ms: i64,
) -> bool {
    now_ms < last_seen_ms + idle_ms && now_ms < created_ms + absolute_ms
}

/// Whether an account of role `role` must pass a second factor: the three administrators of
/// 三员分立 always, other roles as the policy says.
pub fn factor_required(policy: &Policy, role: &str) -> bool {
    crate::kernel::role::Role::parse(role).is_ok_and(|r| r.is_administrator())
        || policy.second_factor_roles.iter().any(|r| r == role)
}

/// The message for an expired password (only the change-password call is allowed).
pub const PASSWORD_EXPIRED: &str = "密码已过期，请先修改密码";

/// Audit summary of a policy change.
pub fn changed_summary(version: i64) -> String {
    format!("修改密码与会话策略（第{version}版）")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords() {
        let p = Policy::default();
        assert!(check_password(&p, "zhangsan", "Yingji@2026").is_ok());
        assert!(check_password(&p, "zhangsan", "Passw0rd1").is_ok());
        assert_eq!(
            check_password(&p, "zs", "abc123").unwrap_err(),
            "密码至少8位"
        );
        assert!(
            check_password(&p, "zs", "abcdefg123")
                .unwrap_err()
                .contains("至少3种")
        );
        assert!(check_password(&p, "zhangsan", "ZhangSan#1").is_err());
        assert!(check_password(&p, "zhangsan", "nasgnahZ#1").is_err());
        assert_eq!(classes("aA1!"), 4);
    }

    #[test]
    fn expiry() {
        let p = Policy::default();
        let t = 1_000 * DAY_MS;
        assert_eq!(days_left(&p, Some(t), t), Some(90));
        assert_eq!(days_left(&p, Some(t), t + 84 * DAY_MS), Some(6));
        assert!(warn(&p, days_left(&p, Some(t), t + 84 * DAY_MS)));
        assert!(!warn(&p, days_left(&p, Some(t), t + 10 * DAY_MS)));
        assert!(!expired(&p, Some(t), t + 90 * DAY_MS - 1));
        assert!(expired(&p, Some(t), t + 90 * DAY_MS));
        assert!(!expired(&p, None, t));
        assert_eq!(days_left(&p, None, t), None);
    }

    #[test]
    fn sessions_and_roles() {
        assert!(session_alive(10, 100, 0, 50, 59));
        assert!(!session_alive(10, 100, 0, 50, 60));
        assert!(!session_alive(10, 100, 0, 95, 100));
        let mut p = Policy::default();
        assert!(factor_required(&p, "admin"));
        assert!(!factor_required(&p, "commander"));
        p.second_factor_roles.push("commander".into());
        assert!(factor_required(&p, "commander"));
        assert!(check(&p, |r| r == "commander").is_ok());
        p.idle_minutes = 1;
        assert_eq!(check(&p, |_| true).unwrap_err().0, "idle_minutes");
    }
}
