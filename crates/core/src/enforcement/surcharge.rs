//! 加处罚款 (行政处罚法 第七十二条第一款第一项): when the fine is not paid by its last day, 3 % of
//! the fine for each day after it, never more than the fine. Exact integer arithmetic in 分 (fen):
//! the total is computed at once (fine × 3 × days ÷ 100) and rounded down to the fen once, so
//! there is no per-day rounding drift.

use jiff::civil::Date;

/// The daily rate in basis points of the fine (3 % = 300).
pub const SURCHARGE_BP_PER_DAY: i64 = 300;

/// Days late on `today` for a fine due on `last_day` (0 on the last day and before).
pub fn late_days(last_day: Date, today: Date) -> i64 {
    i64::from((today - last_day).get_days()).max(0)
}

/// The surcharge owed on `today` for a fine of `fine_fen` whose last day to pay is `last_day`.
pub fn surcharge_fen(fine_fen: i64, last_day: Date, today: Date) -> i64 {
    if fine_fen <= 0 {
        return 0;
    }
    let days = i128::from(late_days(last_day, today));
    let fine = i128::from(fine_fen);
    let total = fine * i128::from(SURCHARGE_BP_PER_DAY) * days / 10_000;
    // Capped at the fine, so it fits back into i64.
    total.min(fine) as i64
}

/// (surcharge in 分, days late) on `today` for a decided fine in 元 that is not paid, with its last
/// day to pay (YYYY-MM-DD); `None` when paid, without a fine or without a readable day.
pub fn owed(
    decided_fine_yuan: Option<i64>,
    paid: bool,
    payment_due: Option<&str>,
    today: Date,
) -> Option<(i64, i64)> {
    if paid {
        return None;
    }
    let fine = decided_fine_yuan?;
    let due: Date = payment_due?.parse().ok()?;
    Some((
        surcharge_fen(yuan_to_fen(fine), due, today),
        late_days(due, today),
    ))
}

/// 分 as 元 with two decimals and thousands separators: 1_234_567 → "12,345.67".
pub fn fen_text(fen: i64) -> String {
    let whole = super::penalty::yuan(fen / 100);
    format!("{whole}.{:02}", (fen % 100).abs())
}

/// 元 as integer 分.
pub fn yuan_to_fen(yuan: i64) -> i64 {
    yuan.saturating_mul(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn nothing_on_the_last_day() {
        assert_eq!(
            surcharge_fen(1_000_000, day("2026-05-16"), day("2026-05-16")),
            0
        );
        assert_eq!(
            surcharge_fen(1_000_000, day("2026-05-16"), day("2026-05-01")),
            0
        );
    }

    #[test]
    fn three_percent_on_the_first_day_late() {
        // 10,000 元 = 1,000,000 分 → 300 元 = 30,000 分.
        assert_eq!(
            surcharge_fen(1_000_000, day("2026-05-16"), day("2026-05-17")),
            30_000
        );
        // 1.01 元 → 3 % is 3.03 分: rounded down once, on the total.
        assert_eq!(surcharge_fen(101, day("2026-05-16"), day("2026-05-17")), 3);
        assert_eq!(surcharge_fen(101, day("2026-05-16"), day("2026-05-26")), 30);
    }

    #[test]
    fn capped_at_the_fine() {
        // 33 days × 3 % = 99 %; 34 days = 102 % → the fine.
        assert_eq!(
            surcharge_fen(1_000_000, day("2026-05-16"), day("2026-06-18")),
            990_000
        );
        assert_eq!(
            surcharge_fen(1_000_000, day("2026-05-16"), day("2026-06-19")),
            1_000_000
        );
        assert_eq!(
            surcharge_fen(1_000_000, day("2026-05-16"), day("2030-01-01")),
            1_000_000
        );
        assert_eq!(surcharge_fen(0, day("2026-05-16"), day("2026-06-19")), 0);
    }

    #[test]
    fn large_fines_do_not_overflow() {
        let fine = yuan_to_fen(100_000_000);
        assert_eq!(
            surcharge_fen(fine, day("2026-05-16"), day("2026-05-17")),
            fine * 3 / 100
        );
        assert_eq!(late_days(day("2026-05-16"), day("2026-06-19")), 34);
    }

    #[test]
    fn owed_on_a_case() {
        let t = day("2026-04-22");
        assert_eq!(
            owed(Some(5000), false, Some("2026-04-20"), t),
            Some((30_000, 2))
        );
        assert_eq!(owed(Some(5000), true, Some("2026-04-20"), t), None);
        assert_eq!(owed(None, false, Some("2026-04-20"), t), None);
        assert_eq!(owed(Some(5000), false, None, t), None);
        assert_eq!(fen_text(30_000), "300.00");
        assert_eq!(fen_text(1_234_567), "12,345.67");
        assert_eq!(fen_text(5), "0.05");
    }
}
