//! Client-generated idempotency keys (`Idempotency-Key` header): a phone that sends a submission
//! again after the network came back gets the first submission's record, not a second one.

/// The header a client sends its key in.
pub const HEADER: &str = "Idempotency-Key";

/// A key already used by this user for another kind of submission.
pub const KEY_REUSED: &str = "Idempotency-Key 已用于另一项提交，请为每次提交生成新的键";

/// The first submission with this key is still being written.
pub const KEY_IN_FLIGHT: &str = "该提交正在处理，请稍后刷新查看结果";

/// Days a key is kept by default (`[field] idempotency_retention_days`). A draft is sent again
/// when the phone is back online, within hours or days; a key older than this is pruned, and a
/// replay after that would be recorded a second time.
pub const DEFAULT_RETENTION_DAYS: i64 = 7;

/// Checks the configured retention; the message names the key.
pub fn check_retention_days(days: i64) -> Result<i64, String> {
    if (1..=3650).contains(&days) {
        Ok(days)
    } else {
        Err("field.idempotency_retention_days 应为 1 至 3650 天".into())
    }
}

/// Keys written before this moment are pruned.
pub fn prune_cutoff(now_ms: i64, retention_days: i64) -> i64 {
    now_ms - retention_days * 86_400_000
}

/// A key is 8 to 100 characters of letters, digits, `-`, `_`, `.` and `:` (a UUID fits).
pub fn check_key(raw: &str) -> Result<String, String> {
    let k = raw.trim();
    let ok_chars = k
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if (8..=100).contains(&k.len()) && ok_chars {
        Ok(k.to_string())
    } else {
        Err(format!(
            "{HEADER} 格式不正确：应为 8 至 100 位字母、数字或 - _ . :（例如 UUID）"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert_eq!(
            check_key(" 0b6f3c1e-8d1a-4c55-9d1e-2f1f8b0e9a11 ").unwrap(),
            "0b6f3c1e-8d1a-4c55-9d1e-2f1f8b0e9a11"
        );
        assert!(check_key("short").is_err());
        assert!(check_key("has space inside").is_err());
        assert!(check_key(&"x".repeat(101)).is_err());
        assert!(check_key("中文中文中文中文").unwrap_err().contains(HEADER));
    }

    #[test]
    fn retention() {
        assert_eq!(check_retention_days(DEFAULT_RETENTION_DAYS), Ok(7));
        assert!(
            check_retention_days(0)
                .unwrap_err()
                .contains("idempotency_retention_days")
        );
        assert_eq!(prune_cutoff(10 * 86_400_000, 7), 3 * 86_400_000);
    }
}
