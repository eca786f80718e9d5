//! Client-generated idempotency keys (`Idempotency-Key` header): a phone that sends a submission
//! again after the network came back gets the first submission's record, not a second one.

/// The header a client sends its key in.
pub const HEADER: &str = "Idempotency-Key";

/// A key already used by this user for another kind of submission.
pub const KEY_REUSED: &str = "Idempotency-Key 已用于另一项提交，请为每次提交生成新的键";

/// The first submission with this key is still being written.
pub const KEY_IN_FLIGHT: &str = "该提交正在处理，请稍后刷新查看结果";

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
}
