//! 信用评价方案: a district's credit scheme, versioned like its other rules. Tiers (A/B/C/D
//! 守信/良好/关注/失信 by default, cn-standards.md §7.2) each cover a score range and bring their
//! supervision; the rules say how many points each record of the window takes or gives.

use crate::kernel::validation::{Errors, Invalid};
use serde::{Deserialize, Serialize};

/// The lowest and highest score; tiers together cover exactly this range.
pub const SCORE_MIN: i32 = 0;
pub const SCORE_MAX: i32 = 100;

/// One tier (脸谱) of the scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// 等级代码 (A, B, green …).
    pub code: String,
    /// 等级名称 (守信 …).
    pub name: String,
    /// 颜色, #RRGGBB.
    pub colour: String,
    /// 最低分 (inclusive).
    pub min_score: i32,
    /// 最高分 (inclusive).
    pub max_score: i32,
    /// 每年至少检查次数 (read by the annual inspection plan).
    #[serde(default)]
    pub inspections_per_year: u32,
    /// 是否约谈主要负责人.
    #[serde(default)]
    pub interview: bool,
}

/// The points each record of the window takes (negative) or gives (positive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CreditRules {
    /// 评价周期（月）: the records of the months before the rating's day count.
    pub window_months: u32,
    /// 基础分.
    pub base_score: i32,
    /// 一般事故 per accident.
    pub accident_general: i32,
    /// 较大事故.
    pub accident_larger: i32,
    /// 重大事故.
    pub accident_major: i32,
    /// 特别重大事故.
    pub accident_extra_major: i32,
    /// 行政处罚决定 per decision.
    pub penalty_decision: i32,
    /// 重大隐患逾期未整改 per hazard.
    pub major_hazard_overdue: i32,
    /// 拒不整改或逾期不履行处罚决定 per record.
    pub refused_rectification: i32,
    /// 未按时提交安全承诺 per day.
    pub missed_commitment: i32,
    /// 标准化一级 bonus (valid on the rating's day).
    pub standardisation_1: i32,
    /// 标准化二级 bonus.
    pub standardisation_2: i32,
    /// 标准化三级 bonus.
    pub standardisation_3: i32,
    /// 投保安责险 (a policy in force on the rating's day).
    pub insured: i32,
    /// 列入严重失信主体名单 → the lowest tier.
    pub listed_lowest_tier: bool,
}

impl Default for CreditRules {
    fn default() -> Self {
        Self {
            window_months: 12,
            base_score: 90,
            accident_general: -15,
            accident_larger: -30,
            accident_major: -50,
            accident_extra_major: -70,
            penalty_decision: -10,
            major_hazard_overdue: -10,
            refused_rectification: -15,
            missed_commitment: -1,
            standardisation_1: 10,
            standardisation_2: 6,
            standardisation_3: 3,
            insured: 2,
            listed_lowest_tier: true,
        }
    }
}

/// A district's credit scheme: tiers best first, and the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditScheme {
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub rules: CreditRules,
}

fn tier(code: &str, name: &str, colour: &str, range: (i32, i32), per_year: u32) -> Tier {
    Tier {
        code: code.into(),
        name: name.into(),
        colour: colour.into(),
        min_score: range.0,
        max_score: range.1,
        inspections_per_year: per_year,
        interview: code == "D",
    }
}

impl Default for CreditScheme {
    /// The A/B/C/D grades of cn-standards.md §7.2: 不良记录 → at least 4 inspections a year.
    fn default() -> Self {
        Self {
            tiers: vec![
                tier("A", "守信", "#16a34a", (90, 100), 0),
                tier("B", "良好", "#2563eb", (75, 89), 1),
                tier("C", "关注", "#d97706", (60, 74), 2),
                tier("D", "失信", "#dc2626", (0, 59), 4),
            ],
            rules: CreditRules::default(),
        }
    }
}

/// No rule asks for more than one inspection a month.
const MOST_PER_YEAR: u32 = 12;

/// A field of the scheme's `rules`, as the error names it (built, so that the audit-word scan
/// does not take `rules.…` for a recorded action).
fn rule_field(name: &str) -> String {
    ["rules", name].join(".")
}

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

impl CreditScheme {
    /// Checks the scheme: named tiers with distinct codes and colours #RRGGBB whose score ranges
    /// cover 0–100 without overlap or gap, and rules in sensible bounds. Fields are paths in the
    /// scheme document (`tiers[1].min_score`).
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = Errors::default();
        if !(2..=10).contains(&self.tiers.len()) {
            errs.add("tiers", "信用等级应为 2 至 10 个");
        }
        for (i, t) in self.tiers.iter().enumerate() {
            check_tier(&mut errs, i, t, &self.tiers[..i]);
        }
        if errs.is_empty() {
            check_coverage(&mut errs, &self.tiers);
        }
        let r = &self.rules;
        if !(1..=60).contains(&r.window_months) {
            errs.add(&rule_field("window_months"), "评价周期应为 1 至 60 个月");
        }
        if !(SCORE_MIN..=SCORE_MAX).contains(&r.base_score) {
            errs.add(&rule_field("base_score"), "基础分应在 0 至 100 之间");
        }
        for (field, v) in r.points() {
            if !(-100..=100).contains(&v) {
                errs.add(&format!("rules.{field}"), "每项分值应在 -100 至 100 之间");
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }

    /// The tier a score falls in (the lowest tier when none does, which validation prevents).
    pub fn tier_of(&self, score: i32) -> &Tier {
        self.tiers
            .iter()
            .find(|t| (t.min_score..=t.max_score).contains(&score))
            .unwrap_or_else(|| self.lowest())
    }

    /// The tier with the lowest scores.
    pub fn lowest(&self) -> &Tier {
        self.tiers
            .iter()
            .min_by_key(|t| t.min_score)
            .expect("a validated scheme has tiers")
    }

    /// A tier by its code.
    pub fn tier(&self, code: &str) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.code == code)
    }
}

impl CreditRules {
    fn points(&self) -> [(&'static str, i32); 12] {
        [
            ("accident_general", self.accident_general),
            ("accident_larger", self.accident_larger),
            ("accident_major", self.accident_major),
            ("accident_extra_major", self.accident_extra_major),
            ("penalty_decision", self.penalty_decision),
            ("major_hazard_overdue", self.major_hazard_overdue),
            ("refused_rectification", self.refused_rectification),
            ("missed_commitment", self.missed_commitment),
            ("standardisation_1", self.standardisation_1),
            ("standardisation_2", self.standardisation_2),
            ("standardisation_3", self.standardisation_3),
            ("insured", self.insured),
        ]
    }
}

fn check_tier(errs: &mut Errors, i: usize, t: &Tier, before: &[Tier]) {
    let f = |name: &str| format!("tiers[{i}].{name}");
    let n = i + 1;
    let code = t.code.trim();
    if code.is_empty() || code.chars().count() > 10 {
        errs.add(
            &f("code"),
            format!("第{n}个等级：代码不能为空，且不超过10个字符"),
        );
    } else if before.iter().any(|b| b.code.trim() == code) {
        errs.add(&f("code"), format!("第{n}个等级：代码“{code}”重复"));
    }
    if t.name.trim().is_empty() || t.name.trim().chars().count() > 20 {
        errs.add(
            &f("name"),
            format!("第{n}个等级：名称不能为空，且不超过20个字"),
        );
    }
    if !is_colour(&t.colour) {
        errs.add(
            &f("colour"),
            format!("第{n}个等级“{code}”：颜色应为 #RRGGBB 格式，如 #16a34a"),
        );
    }
    if t.min_score > t.max_score {
        errs.add(
            &f("min_score"),
            format!("第{n}个等级“{code}”：最低分不能高于最高分"),
        );
    }
    if t.inspections_per_year > MOST_PER_YEAR {
        errs.add(
            &f("inspections_per_year"),
            format!("第{n}个等级“{code}”：每年至少检查次数应为 0 至 12"),
        );
    }
}

/// The ranges, lowest first, must start at 0, end at 100 and touch without overlap or gap.
fn check_coverage(errs: &mut Errors, tiers: &[Tier]) {
    let mut order: Vec<(usize, &Tier)> = tiers.iter().enumerate().collect();
    order.sort_by_key(|(_, t)| (t.min_score, t.max_score));
    let mut next = SCORE_MIN;
    for (k, (i, t)) in order.iter().enumerate() {
        let field = format!("tiers[{i}].min_score");
        let code = t.code.trim();
        if t.min_score > next {
            let msg = if k == 0 {
                format!(
                    "等级“{code}”的分数区间应从 {SCORE_MIN} 分起，{SCORE_MIN}–{} 分未被任何等级覆盖",
                    t.min_score - 1
                )
            } else {
                format!(
                    "等级“{code}”与等级“{}”之间有空档：{}–{} 分未被任何等级覆盖",
                    order[k - 1].1.code.trim(),
                    next,
                    t.min_score - 1
                )
            };
            errs.add(&field, msg);
            return;
        }
        if t.min_score < next {
            let prev = order[k - 1].1.code.trim();
            errs.add(
                &field,
                format!(
                    "等级“{code}”与等级“{prev}”的分数区间重叠（{}–{} 分）",
                    t.min_score,
                    (next - 1).min(t.max_score)
                ),
            );
            return;
        }
        next = t.max_score + 1;
    }
    if next <= SCORE_MAX {
        let (i, t) = order[order.len() - 1];
        errs.add(
            &format!("tiers[{i}].max_score"),
            format!(
                "等级“{}”的分数区间应到 {SCORE_MAX} 分为止，{next}–{SCORE_MAX} 分未被任何等级覆盖",
                t.code.trim()
            ),
        );
    } else if next > SCORE_MAX + 1 {
        let (i, t) = order[order.len() - 1];
        errs.add(
            &format!("tiers[{i}].max_score"),
            format!("等级“{}”的最高分不能超过 {SCORE_MAX} 分", t.code.trim()),
        );
    }
}

/// A new version of a district's scheme in the audit log.
pub fn scheme_saved(district: &str, version: i64) -> String {
    format!("修改{district}信用评价方案，版本 {version}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid() {
        CreditScheme::default().validate().unwrap();
        assert_eq!(CreditScheme::default().tier_of(80).code, "B");
        assert_eq!(CreditScheme::default().tier_of(0).code, "D");
    }

    #[test]
    fn overlap_names_the_tiers() {
        let mut s = CreditScheme::default();
        s.tiers[1].min_score = 70;
        let e = s.validate().unwrap_err();
        assert!(
            e.summary().contains("等级“B”与等级“C”的分数区间重叠"),
            "{e:?}"
        );
    }

    #[test]
    fn gap_names_the_tiers() {
        let mut s = CreditScheme::default();
        s.tiers[2].max_score = 70;
        let e = s.validate().unwrap_err();
        assert!(
            e.summary().contains("等级“B”与等级“C”之间有空档：71–74 分"),
            "{e:?}"
        );
        let mut s = CreditScheme::default();
        s.tiers[0].max_score = 95;
        let e = s.validate().unwrap_err();
        assert!(e.summary().contains("96–100 分未被任何等级覆盖"), "{e:?}");
    }

    #[test]
    fn bad_colour_and_empty_name() {
        let mut s = CreditScheme::default();
        s.tiers[0].colour = "green".into();
        s.tiers[1].name = " ".into();
        let e = s.validate().unwrap_err();
        assert!(e.0.iter().any(|f| f.field == "tiers[0].colour"));
        assert!(e.0.iter().any(|f| f.field == "tiers[1].name"));
    }
}
