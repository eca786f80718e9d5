//! Deadlines in Asia/Shanghai: today, 逾期 (H05), when an escalation step fires, and a new
//! deadline's check.

use super::Status;
use crate::Invalid;
use crate::kernel::clock::shanghai;
pub use crate::kernel::clock::today;
use jiff::civil::Date;

/// 00:00 Asia/Shanghai at the start of `date`, in epoch milliseconds.
pub fn start_of_day_ms(date: Date) -> i64 {
    date.to_zoned_datetime(shanghai())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(0)
}

/// When a deadline (a date, the last day allowed) has passed: 00:00 the next day.
pub fn overdue_from_ms(deadline: Date) -> i64 {
    start_of_day_ms(deadline.tomorrow().unwrap_or(deadline))
}

/// 逾期: still being rectified (or not yet graded) after the deadline day.
pub fn is_overdue(status: Status, deadline: Option<Date>, now_ms: i64) -> bool {
    matches!(status, Status::Registered | Status::Rectifying)
        && deadline.is_some_and(|d| now_ms >= overdue_from_ms(d))
}

/// When an escalation step fires: 00:00 `days` after the deadline.
pub fn step_due_ms(deadline: Date, days: i64) -> i64 {
    let d = deadline
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(deadline);
    start_of_day_ms(d)
}

/// A deadline set now must be today or later.
pub fn parse_deadline(field: &str, label: &str, raw: &str, now_ms: i64) -> Result<Date, Invalid> {
    let d: Date = raw
        .trim()
        .parse()
        .map_err(|_| Invalid::one(field, format!("{label}“{raw}”格式不正确，应为 2026-07-01")))?;
    if d < today(now_ms) {
        return Err(Invalid::one(
            field,
            format!("{label}{d}早于今天（{}），不能设在过去", today(now_ms)),
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h05_overdue_in_shanghai() {
        let deadline: Date = "2024-06-30".parse().unwrap();
        let at = |s: &str| crate::kernel::clock::parse_instant(s).unwrap();
        assert!(!is_overdue(
            Status::Rectifying,
            Some(deadline),
            at("2024-06-30T23:59:59+08:00")
        ));
        assert!(is_overdue(
            Status::Rectifying,
            Some(deadline),
            at("2024-07-01T00:00:00+08:00")
        ));
        // 2024-06-30T16:00Z is already 07-01 in Shanghai.
        assert!(is_overdue(
            Status::Rectifying,
            Some(deadline),
            at("2024-06-30T16:00:00Z")
        ));
        assert!(!is_overdue(
            Status::Closed,
            Some(deadline),
            at("2024-07-01T10:00:00+08:00")
        ));
    }

    #[test]
    fn steps_fire_at_shanghai_midnight() {
        let deadline: Date = "2026-01-31".parse().unwrap();
        assert_eq!(
            crate::kernel::clock::to_rfc3339(step_due_ms(deadline, 1)),
            "2026-02-01T00:00:00+08:00"
        );
        assert_eq!(
            crate::kernel::clock::to_rfc3339(step_due_ms(deadline, 7)),
            "2026-02-07T00:00:00+08:00"
        );
    }

    #[test]
    fn deadline_in_the_past_is_refused() {
        let now = crate::kernel::clock::parse_instant("2026-11-23T10:00:00+08:00").unwrap();
        assert!(parse_deadline("deadline", "整改期限", "2026-11-23", now).is_ok());
        let e = parse_deadline("deadline", "整改期限", "2026-11-22", now).unwrap_err();
        assert!(e.0[0].message.contains("不能设在过去"));
        assert!(parse_deadline("deadline", "整改期限", "明天", now).is_err());
    }
}
