//! 风险四色图 ranking: "highest risk wins" colours nearly every street red, so the map can also
//! rank areas by a weighted score of their active risk points and colour them by quartile.
//!
//! score = (w红·重大 + w橙·较大 + w黄·一般 + w蓝·低) ÷ 企业数 × 100 ("per 100 enterprises"; an
//! area without enterprises counts as one), or the weighted sum itself ("total"). The areas
//! with a positive score, highest first, are cut into four equal parts: the first quarter 红,
//! then 橙, 黄, 蓝; equal scores share the better class; an area scoring 0 stays uncoloured.

use super::risk::RiskLevel;
use crate::kernel::validation::Errors;
use serde::{Deserialize, Serialize};

pub const BASES: &[(&str, &str)] = &[("per_100_enterprises", "每百家企业"), ("total", "区域合计")];

/// The district's choice (rules document `risk.rank`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RankConfig {
    /// Weights of 重大, 较大, 一般, 低 (红, 橙, 黄, 蓝) risk points; default 4, 3, 2, 1.
    pub weights: Vec<i64>,
    /// `per_100_enterprises` (default) or `total`.
    pub basis: String,
}

impl Default for RankConfig {
    fn default() -> Self {
        Self {
            weights: vec![4, 3, 2, 1],
            basis: "per_100_enterprises".into(),
        }
    }
}

impl RankConfig {
    pub fn validate(&self) -> Result<(), crate::Invalid> {
        let mut errs = Errors::default();
        if self.weights.len() != 4 || self.weights.iter().any(|w| !(0..=100).contains(w)) {
            errs.add(
                "rank.weights",
                "权重应为四个 0–100 的整数（依次为红、橙、黄、蓝），如 4、3、2、1",
            );
        } else if self.weights.iter().all(|w| *w == 0) {
            errs.add("rank.weights", "权重不能全为 0");
        }
        if !BASES.iter().any(|(b, _)| *b == self.basis) {
            errs.add(
                "rank.basis",
                "排名口径应为 per_100_enterprises（每百家企业）或 total（区域合计）",
            );
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }

    fn weight(&self, i: usize) -> f64 {
        self.weights.get(i).copied().unwrap_or(0) as f64
    }

    /// How the legend explains the score, e.g. "得分 =（红×4 + 橙×3 + 黄×2 + 蓝×1）÷ 企业数 × 100".
    pub fn formula(&self) -> String {
        let sum = format!(
            "红×{} + 橙×{} + 黄×{} + 蓝×{}",
            self.weight(0),
            self.weight(1),
            self.weight(2),
            self.weight(3)
        );
        if self.basis == "total" {
            format!("得分 = {sum}（区域内在管风险点）")
        } else {
            format!("得分 =（{sum}）÷ 企业数 × 100（每百家企业，无企业按 1 家计）")
        }
    }
}

/// An area's active risk points by level and its enterprises.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AreaCounts {
    pub major: i64,
    pub large: i64,
    pub general: i64,
    pub low: i64,
    pub enterprises: i64,
}

/// The area's score, rounded to one decimal.
pub fn score(c: &AreaCounts, cfg: &RankConfig) -> f64 {
    let weighted = cfg.weight(0) * c.major as f64
        + cfg.weight(1) * c.large as f64
        + cfg.weight(2) * c.general as f64
        + cfg.weight(3) * c.low as f64;
    let s = if cfg.basis == "total" {
        weighted
    } else {
        weighted * 100.0 / c.enterprises.max(1) as f64
    };
    (s * 10.0).round() / 10.0
}

/// The class of each score: quartiles of the positive scores, highest first (see the module).
pub fn classes(scores: &[f64]) -> Vec<Option<RiskLevel>> {
    let mut positive: Vec<f64> = scores.iter().copied().filter(|s| *s > 0.0).collect();
    positive.sort_by(|a, b| b.total_cmp(a));
    let n = positive.len();
    scores
        .iter()
        .map(|s| {
            if *s <= 0.0 {
                return None;
            }
            // The first place this score holds: ties share the better class.
            let i = positive.iter().position(|p| p == s).unwrap_or(0);
            Some(match 4 * i / n {
                0 => RiskLevel::Major,
                1 => RiskLevel::Large,
                2 => RiskLevel::General,
                _ => RiskLevel::Low,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(major: i64, large: i64, general: i64, low: i64, enterprises: i64) -> AreaCounts {
        AreaCounts {
            major,
            large,
            general,
            low,
            enterprises,
        }
    }

    /// The worked example of docs/console.md: five streets, weights 4/3/2/1 per 100 enterprises.
    #[test]
    fn worked_example() {
        let cfg = RankConfig::default();
        let streets = [
            area(2, 0, 0, 0, 10),    // A: (2×4) ÷ 10 × 100 = 80
            area(1, 5, 10, 20, 200), // B: (4 + 15 + 20 + 20) ÷ 200 × 100 = 29.5
            area(0, 1, 2, 3, 20),    // C: (3 + 4 + 3) ÷ 20 × 100 = 50
            area(0, 0, 0, 0, 30),    // D: 0
            area(0, 0, 0, 4, 40),    // E: 4 ÷ 40 × 100 = 10
        ];
        let scores: Vec<f64> = streets.iter().map(|s| score(s, &cfg)).collect();
        assert_eq!(scores, [80.0, 29.5, 50.0, 0.0, 10.0]);
        use RiskLevel::*;
        // Highest risk wins would colour A and B red; the ranking puts B third.
        assert_eq!(
            classes(&scores),
            [Some(Major), Some(General), Some(Large), None, Some(Low)]
        );
    }

    #[test]
    fn nine_streets_split_three_two_two_two_and_ties_share() {
        let scores = [9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0];
        let c = classes(&scores);
        use RiskLevel::*;
        assert_eq!(
            c,
            [
                Some(Major),
                Some(Major),
                Some(Major),
                Some(Large),
                Some(Large),
                Some(General),
                Some(General),
                Some(Low),
                Some(Low)
            ]
        );
        assert_eq!(
            classes(&[5.0, 5.0, 5.0, 1.0]),
            [Some(Major), Some(Major), Some(Major), Some(Low)]
        );
        assert_eq!(classes(&[0.0, 0.0]), [None, None]);
    }

    #[test]
    fn basis_weights_and_checks() {
        let total = RankConfig {
            weights: vec![10, 0, 0, 0],
            basis: "total".into(),
        };
        assert_eq!(score(&area(2, 7, 7, 7, 0), &total), 20.0);
        // No enterprise: counted as one.
        assert_eq!(score(&area(1, 0, 0, 0, 0), &RankConfig::default()), 400.0);
        assert!(total.validate().is_ok());
        assert!(total.formula().starts_with("得分 = 红×10"));
        assert!(RankConfig::default().formula().contains("÷ 企业数 × 100"));
        let bad = RankConfig {
            weights: vec![0, 0, 0, 0],
            basis: "x".into(),
        };
        let e = bad.validate().unwrap_err();
        assert_eq!(e.0.len(), 2);
        let short = RankConfig {
            weights: vec![4, 3],
            ..Default::default()
        };
        assert!(short.validate().is_err());
    }
}
