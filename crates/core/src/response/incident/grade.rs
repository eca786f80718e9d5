//! The grade of an incident (特别重大 … 一般), 493号令 第三条's grading of 生产安全事故 from the
//! counts (vectors A01–A11), the counts themselves with the 较大涉险 flag (R08) and their summary.

use crate::kernel::validation::Errors;
use serde::{Deserialize, Serialize};

/// 特别重大 / 重大 / 较大 / 一般. The number is the rank, 4 the most severe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    General = 1,
    Larger = 2,
    Major = 3,
    ExtraMajor = 4,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Self::General, Self::Larger, Self::Major, Self::ExtraMajor];
    pub fn rank(self) -> i64 {
        self as i64
    }
    pub fn from_rank(n: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.rank() == n)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Larger => "larger",
            Self::Major => "major",
            Self::ExtraMajor => "extra_major",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::General => "一般",
            Self::Larger => "较大",
            Self::Major => "重大",
            Self::ExtraMajor => "特别重大",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == s || g.label() == s)
            .ok_or_else(|| "事件等级应为 特别重大、重大、较大 或 一般".into())
    }
}

/// 493号令 第三条: each of deaths, serious injuries (incl. acute industrial poisoning) and direct
/// loss is graded on its own with inclusive lower bounds, and the highest grade wins.
pub fn grade_accident(deaths: u64, serious_injuries: u64, loss_yuan: u64) -> Severity {
    let band = |x: u64, [larger, major, extra]: [u64; 3]| {
        if x >= extra {
            Severity::ExtraMajor
        } else if x >= major {
            Severity::Major
        } else if x >= larger {
            Severity::Larger
        } else {
            Severity::General
        }
    };
    band(deaths, [3, 10, 30])
        .max(band(serious_injuries, [10, 50, 100]))
        .max(band(loss_yuan, [10_000_000, 50_000_000, 100_000_000]))
}

/// The people counts and loss of an incident as last reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Casualties {
    pub deaths: i64,
    /// 下落不明: kept apart from deaths, never folded in (§1.3).
    pub missing: i64,
    /// 重伤，包括急性工业中毒.
    pub serious_injuries: i64,
    pub minor_injuries: i64,
    pub trapped: i64,
    /// 涉险人数.
    pub at_risk: i64,
    /// 紧急疏散/转移人数.
    pub evacuated: i64,
    /// 直接经济损失 (元, initial estimate).
    pub loss_yuan: i64,
}

impl Casualties {
    const FIELDS: [(&'static str, &'static str); 8] = [
        ("deaths", "死亡人数"),
        ("missing", "失踪人数"),
        ("serious_injuries", "重伤人数"),
        ("minor_injuries", "轻伤人数"),
        ("trapped", "被困人数"),
        ("at_risk", "涉险人数"),
        ("evacuated", "疏散人数"),
        ("loss_yuan", "直接经济损失"),
    ];

    pub fn values(&self) -> [i64; 8] {
        [
            self.deaths,
            self.missing,
            self.serious_injuries,
            self.minor_injuries,
            self.trapped,
            self.at_risk,
            self.evacuated,
            self.loss_yuan,
        ]
    }

    /// Counts are whole non-negative numbers with sane ceilings; the errors name the field.
    pub fn check(&self, errs: &mut Errors) {
        for ((field, label), v) in Self::FIELDS.iter().zip(self.values()) {
            let max = if *field == "loss_yuan" {
                1_000_000_000_000
            } else {
                10_000_000
            };
            if v < 0 {
                errs.add(field, format!("{label}不能为负数"));
            } else if v > max {
                errs.add(field, format!("{label}超出合理范围（至多 {max}）"));
            }
        }
    }

    pub fn grade(&self) -> Severity {
        let u = |v: i64| u64::try_from(v).unwrap_or(0);
        grade_accident(u(self.deaths), u(self.serious_injuries), u(self.loss_yuan))
    }

    /// 较大涉险事故 (21号令 第二十六条, vector R08) from the counts; the other criteria (严重污染,
    /// 危及重要场所) are the officer's judgement and arrive as `judged`.
    pub fn is_larger_risk(&self, judged: bool) -> bool {
        judged
            || self.at_risk >= 10
            || self.trapped.saturating_add(self.missing) >= 3
            || self.evacuated >= 500
    }

    /// A summary for timelines: "死亡3人，重伤2人，直接经济损失120万元".
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = Self::FIELDS
            .iter()
            .zip(self.values())
            .filter(|((f, _), v)| *v > 0 && *f != "loss_yuan")
            .map(|((_, label), v)| format!("{}{v}人", label.trim_end_matches("人数")))
            .collect();
        if self.loss_yuan > 0 {
            parts.push(format!("直接经济损失{}", yuan_label(self.loss_yuan)));
        }
        if parts.is_empty() {
            "无人员伤亡".into()
        } else {
            parts.join("，")
        }
    }
}

/// "1200万元", "3.5亿元", "8000元".
pub fn yuan_label(yuan: i64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if yuan >= 100_000_000 {
        format!("{}亿元", trim(format!("{:.4}", yuan as f64 / 1e8)))
    } else if yuan >= 10_000 {
        format!("{}万元", trim(format!("{:.4}", yuan as f64 / 1e4)))
    } else {
        format!("{yuan}元")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accident_grades_follow_the_vectors() {
        use Severity::*;
        let vectors: [(&str, u64, u64, u64, Severity); 11] = [
            ("A01", 3, 0, 0, Larger),
            ("A02", 2, 9, 9_999_999, General),
            ("A03", 2, 10, 0, Larger),
            ("A04", 9, 49, 49_999_999, Larger),
            ("A05", 10, 0, 0, Major),
            ("A06", 0, 0, 100_000_000, ExtraMajor),
            ("A07", 29, 100, 0, ExtraMajor),
            ("A08", 1, 0, 50_000_000, Major),
            ("A09", 0, 0, 10_000_000, Larger),
            ("A10", 0, 50, 0, Major),
            ("A11", 30, 0, 0, ExtraMajor),
        ];
        for (id, d, i, l, want) in vectors {
            assert_eq!(grade_accident(d, i, l), want, "{id}");
        }
    }

    #[test]
    fn larger_risk_flag_follows_r08() {
        let c = |trapped, missing, at_risk, evacuated| Casualties {
            trapped,
            missing,
            at_risk,
            evacuated,
            ..Default::default()
        };
        assert!(c(3, 0, 0, 0).is_larger_risk(false));
        assert!(!c(0, 2, 7, 499).is_larger_risk(false));
        assert!(c(0, 0, 10, 0).is_larger_risk(false));
        assert!(c(0, 0, 0, 500).is_larger_risk(false));
        assert!(c(0, 0, 0, 0).is_larger_risk(true));
    }

    #[test]
    fn summaries_read_naturally() {
        let c = Casualties {
            deaths: 3,
            serious_injuries: 2,
            loss_yuan: 12_000_000,
            ..Default::default()
        };
        assert_eq!(c.summary(), "死亡3人，重伤2人，直接经济损失1200万元");
        assert_eq!(yuan_label(350_000_000), "3.5亿元");
        assert_eq!(Casualties::default().summary(), "无人员伤亡");
    }
}
