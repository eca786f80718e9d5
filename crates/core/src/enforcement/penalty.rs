//! Penalties and the case's statutory days (shared/reference/enforcement.md §2, vectors E01–E05):
//! the accident-fine discretion table (安全生产法 第一百一十四条, 应急管理部令第14号), the 听证 window
//! after the 告知书, the 90 days from 立案 to the decision, and the late-payment surcharge. Money is
//! integer 元; days are calendar days in Asia/Shanghai (a bureau may configure working days later).
//! The table is district configuration; `DiscretionTable::default()` holds the national values.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::kernel::validation::Invalid;

/// The grade of the accident a fine is for (493号令 grades).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccidentGrade {
    General,
    Large,
    Major,
    Extraordinary,
}

impl AccidentGrade {
    pub fn label(self) -> &'static str {
        match self {
            Self::General => "一般事故",
            Self::Large => "较大事故",
            Self::Major => "重大事故",
            Self::Extraordinary => "特别重大事故",
        }
    }
}

/// One grade's range for the enterprise and the share of the 主要负责人's previous-year income.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FineRange {
    pub min_yuan: i64,
    pub max_yuan: i64,
    /// Percent of the previous year's income fined on the 主要负责人.
    pub principal_percent: i64,
}

/// The discretion table (自由裁量基准) for accident fines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscretionTable {
    pub general: FineRange,
    pub large: FineRange,
    pub major: FineRange,
    pub extraordinary: FineRange,
    /// 情节特别严重、影响特别恶劣: the range's bounds times this factor at most (2 to 5 in law).
    pub aggravated_max_factor: i64,
}

impl Default for DiscretionTable {
    fn default() -> Self {
        let r = |min_wan: i64, max_wan: i64, principal_percent| FineRange {
            min_yuan: min_wan * 10_000,
            max_yuan: max_wan * 10_000,
            principal_percent,
        };
        Self {
            general: r(30, 100, 40),
            large: r(100, 200, 60),
            major: r(200, 1000, 80),
            extraordinary: r(1000, 2000, 100),
            aggravated_max_factor: 5,
        }
    }
}

impl DiscretionTable {
    pub fn range(&self, grade: AccidentGrade) -> FineRange {
        match grade {
            AccidentGrade::General => self.general,
            AccidentGrade::Large => self.large,
            AccidentGrade::Major => self.major,
            AccidentGrade::Extraordinary => self.extraordinary,
        }
    }

    /// Checks a proposed enterprise fine: inside the grade's range, or (情节特别严重) up to the
    /// factor times its maximum; outside it only with a written reason (从轻、减轻 …).
    pub fn check_enterprise_fine(
        &self,
        grade: AccidentGrade,
        amount_yuan: i64,
        aggravated: bool,
        reason: Option<&str>,
    ) -> Result<(), Invalid> {
        let r = self.range(grade);
        let max = if aggravated {
            r.max_yuan * self.aggravated_max_factor
        } else {
            r.max_yuan
        };
        let inside = (r.min_yuan..=max).contains(&amount_yuan);
        let reasoned = reason.map(str::trim).is_some_and(|s| !s.is_empty());
        if inside || (reasoned && amount_yuan > 0) {
            return Ok(());
        }
        Err(Invalid::one(
            "amount_yuan",
            format!(
                "{}对生产经营单位的罚款应为 {} 至 {} 元，建议罚款 {} 元超出裁量基准；确需超出的，请填写从轻、减轻或从重的事实和理由",
                grade.label(),
                yuan(r.min_yuan),
                yuan(max),
                yuan(amount_yuan)
            ),
        ))
    }

    /// The fine on the 主要负责人: the grade's share of the previous year's income, in whole 元
    /// (rounded half up).
    pub fn principal_fine(&self, grade: AccidentGrade, income_yuan: i64) -> i64 {
        let pct = self.range(grade).principal_percent;
        (income_yuan * pct + 50) / 100
    }
}

/// 元 with thousands separators, as printed on documents (300,000).
pub fn yuan(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if v < 0 { format!("-{out}") } else { out }
}

/// The statutory days of a case (calendar days; district configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseDays {
    /// 听证 may be requested within this many days after the 告知书 is served.
    pub hearing_request: i64,
    /// 陈述、申辩 within this many days after the 告知书.
    pub statement: i64,
    /// The decision is due this many days after 立案.
    pub decision: i64,
    /// The fine is paid within this many days of receiving the 决定书.
    pub payment: i64,
    /// Late-payment surcharge per day, in basis points of the fine (3 % = 300).
    pub surcharge_bp_per_day: i64,
}

impl Default for CaseDays {
    fn default() -> Self {
        Self {
            hearing_request: 5,
            statement: 3,
            decision: 90,
            payment: 15,
            surcharge_bp_per_day: 300,
        }
    }
}

impl CaseDays {
    /// The last day a 听证 request is accepted.
    pub fn hearing_request_until(&self, served: Date) -> Date {
        add_days(served, self.hearing_request)
    }

    /// The day the decision is due, counting from 立案 (extensions are approved separately).
    pub fn decision_due(&self, filed: Date) -> Date {
        add_days(filed, self.decision)
    }

    /// Overdue on `today` without an approved extension (`extended_until`).
    pub fn decision_overdue(&self, filed: Date, extended_until: Option<Date>, today: Date) -> bool {
        today > extended_until.unwrap_or_else(|| self.decision_due(filed))
    }

    /// The late-payment surcharge owed on `today` for an unpaid fine whose 决定书 was received on
    /// `received`: from the day after the payment deadline, the daily rate of the fine, never
    /// more than the fine (行政处罚法 第七十二条).
    pub fn surcharge(&self, fine_yuan: i64, received: Date, today: Date) -> i64 {
        let last_day = add_days(received, self.payment);
        let late_days = (today - last_day).get_days().max(0) as i64;
        let per_day = fine_yuan * self.surcharge_bp_per_day / 10_000;
        (per_day * late_days).min(fine_yuan)
    }
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// E01: a 一般 accident, enterprise fine 20万元 without reasons → refused (below the 30万 floor).
    #[test]
    fn e01_below_the_floor_without_reasons() {
        let t = DiscretionTable::default();
        let e = t
            .check_enterprise_fine(AccidentGrade::General, 200_000, false, None)
            .unwrap_err();
        assert_eq!(e.0[0].field, "amount_yuan");
        assert!(
            e.0[0].message.contains("300,000 至 1,000,000"),
            "{}",
            e.0[0].message
        );
        assert!(
            t.check_enterprise_fine(AccidentGrade::General, 200_000, false, Some("  "))
                .is_err()
        );
        t.check_enterprise_fine(
            AccidentGrade::General,
            200_000,
            false,
            Some("主动消除危害后果，依法减轻处罚"),
        )
        .unwrap();
        t.check_enterprise_fine(AccidentGrade::General, 300_000, false, None)
            .unwrap();
    }

    /// E02: a 较大 accident, enterprise fine 150万元 → accepted; 主要负责人 with 40万元 → 24万元.
    #[test]
    fn e02_large_accident() {
        let t = DiscretionTable::default();
        t.check_enterprise_fine(AccidentGrade::Large, 1_500_000, false, None)
            .unwrap();
        assert_eq!(t.principal_fine(AccidentGrade::Large, 400_000), 240_000);
        assert!(
            t.check_enterprise_fine(AccidentGrade::Large, 5_000_000, false, None)
                .is_err()
        );
        t.check_enterprise_fine(AccidentGrade::Large, 5_000_000, true, None)
            .unwrap();
    }

    /// E03: 告知书 served 2026-03-02 → 听证 accepted through 03-07, refused on 03-08.
    #[test]
    fn e03_hearing_window() {
        let until = CaseDays::default().hearing_request_until(day("2026-03-02"));
        assert_eq!(until, day("2026-03-07"));
        assert!(day("2026-03-08") > until);
    }

    /// E04: 立案 2026-01-10 → decision due 2026-04-10; overdue on 04-11 without an extension.
    #[test]
    fn e04_decision_due() {
        let c = CaseDays::default();
        assert_eq!(c.decision_due(day("2026-01-10")), day("2026-04-10"));
        assert!(!c.decision_overdue(day("2026-01-10"), None, day("2026-04-10")));
        assert!(c.decision_overdue(day("2026-01-10"), None, day("2026-04-11")));
        assert!(!c.decision_overdue(
            day("2026-01-10"),
            Some(day("2026-07-09")),
            day("2026-04-11")
        ));
    }

    /// E05: fine 10,000元, 决定书 received 2026-05-01, unpaid → 300元/day from 05-17, capped.
    #[test]
    fn e05_surcharge() {
        let c = CaseDays::default();
        let received = day("2026-05-01");
        assert_eq!(c.surcharge(10_000, received, day("2026-05-16")), 0);
        assert_eq!(c.surcharge(10_000, received, day("2026-05-17")), 300);
        assert_eq!(c.surcharge(10_000, received, day("2026-05-26")), 3_000);
        assert_eq!(c.surcharge(10_000, received, day("2026-12-31")), 10_000);
    }

    #[test]
    fn money_is_printed_with_separators() {
        assert_eq!(yuan(0), "0");
        assert_eq!(yuan(300_000), "300,000");
        assert_eq!(yuan(20_000_000), "20,000,000");
    }
}
