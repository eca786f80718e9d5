//! Login throttling policy. Failures are counted per account *and* client address, so a stranger
//! elsewhere cannot lock the duty officer out during an emergency; unknown user names are counted
//! like real ones, so the replies never tell which names exist.

/// Failures older than this start the count afresh.
pub const FAILURE_WINDOW_MS: i64 = 24 * 3_600_000;
/// The longest lock, however many failures.
pub const MAX_LOCK_MS: i64 = 24 * 3_600_000;

/// How long the pair stays locked after its `failures`-th failure in a row: nothing below
/// `max_failures`, then `base_ms`, doubling with every further failure (progressive delay), at
/// most [`MAX_LOCK_MS`].
pub fn lock_after(failures: i64, max_failures: i64, base_ms: i64) -> Option<i64> {
    if max_failures <= 0 || failures < max_failures {
        return None;
    }
    let doublings = (failures - max_failures).min(20) as u32;
    Some(base_ms.saturating_mul(1 << doublings).min(MAX_LOCK_MS))
}

/// When failures lock a (name, address) pair: after `max_failures` in a row, for `lock_ms`
/// (doubling with each further failure, see [`lock_after`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockPolicy {
    pub max_failures: i64,
    pub lock_ms: i64,
}

/// The login page's notice of the lockout (per account name and client address, as enforced).
pub fn lockout_hint(p: LockPolicy) -> String {
    let minutes = (p.lock_ms + 59_999) / 60_000;
    format!(
        "同一账号从同一地址连续{}次输入错误，将限制其登录{minutes}分钟。",
        p.max_failures
    )
}

/// The one reply for an unknown name, a wrong password and a locked pair.
pub const LOGIN_REFUSED: &str = "用户名或密码错误（连续多次失败后将暂时限制从本地址登录）";

/// A correct password for a disabled account.
pub const ACCOUNT_DISABLED: &str = "账号已停用，请联系管理员";

/// Too many sign-in attempts from one address within a minute.
pub const TOO_OFTEN: &str = "登录尝试过于频繁，请1分钟后再试";

/// Audit summary of a failed login from `client`; `lock_ms` when this failure locked the pair.
pub fn failure_summary(
    username: &str,
    client: &str,
    failures: i64,
    lock_ms: Option<i64>,
) -> String {
    match lock_ms {
        Some(ms) => format!(
            "用户名“{username}”从{client}连续{failures}次登录失败，该地址暂停登录{}分钟",
            ms / 60_000
        ),
        None => format!("用户名“{username}”从{client}登录失败"),
    }
}

/// Audit summary of 解锁.
pub fn unlock_summary(username: &str) -> String {
    format!("解除用户“{username}”的登录锁定")
}

#[cfg(test)]
mod tests {
    #[test]
    fn wording() {
        assert_eq!(
            super::failure_summary("zs", "10.0.0.1", 5, Some(15 * 60_000)),
            "用户名“zs”从10.0.0.1连续5次登录失败，该地址暂停登录15分钟"
        );
        assert_eq!(
            super::failure_summary("zs", "10.0.0.1", 1, None),
            "用户名“zs”从10.0.0.1登录失败"
        );
        assert_eq!(super::unlock_summary("zs"), "解除用户“zs”的登录锁定");
    }

    use super::*;

    #[test]
    fn locks_progressively() {
        let m = 15 * 60_000;
        assert_eq!(lock_after(4, 5, m), None);
        assert_eq!(lock_after(5, 5, m), Some(m));
        assert_eq!(lock_after(6, 5, m), Some(2 * m));
        assert_eq!(lock_after(7, 5, m), Some(4 * m));
        assert_eq!(lock_after(1000, 5, m), Some(MAX_LOCK_MS));
        assert_eq!(lock_after(3, 0, m), None);
    }
}
