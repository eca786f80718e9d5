//! Audit retention (issue 26, ADR 0033): audit rows younger than `[audit] retention_days` can
//! never be deleted. The 网络安全法 (art. 21) asks network logs to be kept at least six months,
//! so a setting below 180 days is refused.

/// The least retention the configuration may set, in days.
pub const MIN_RETENTION_DAYS: i64 = 180;

/// The retention in days, or the Chinese message naming the setting.
pub fn check_retention_days(days: i64) -> Result<i64, String> {
    if days < MIN_RETENTION_DAYS {
        return Err(format!(
            "audit.retention_days 为 {days} 天：审计记录至少保存 {MIN_RETENTION_DAYS} 天（六个月），不能设得更短"
        ));
    }
    if days > 36_500 {
        return Err(format!(
            "audit.retention_days 为 {days} 天：不能超过 36500 天"
        ));
    }
    Ok(days)
}

/// Whether an audit row recorded at `at_ms` may be deleted at `now_ms` (the database trigger of
/// migration 0062 decides the same by the database's clock).
pub fn may_delete(at_ms: i64, now_ms: i64, retention_days: i64) -> bool {
    at_ms <= now_ms - retention_days.max(MIN_RETENTION_DAYS) * 86_400_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_months_at_least() {
        assert!(check_retention_days(179).unwrap_err().contains("180"));
        assert!(check_retention_days(0).is_err());
        assert_eq!(check_retention_days(180), Ok(180));
        assert_eq!(check_retention_days(365), Ok(365));
        assert!(check_retention_days(100_000).is_err());
        let day = 86_400_000;
        let now = 1_000 * day;
        assert!(!may_delete(now - 179 * day, now, 180));
        assert!(may_delete(now - 180 * day, now, 180));
        // A retention below the minimum counts as the minimum.
        assert!(!may_delete(now - 100 * day, now, 30));
    }
}
