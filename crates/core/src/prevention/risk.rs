//! 安全风险分级: the LEC (D = L×E×C) and risk-matrix (R = L×S) methods and the four risk levels
//! (重大/较大/一般/低 = 红/橙/黄/蓝), per shared/reference/cn-standards.md §3 and vectors §9.4–9.5.
//!
//! Scores are compared exactly: every score is held in hundredths (`Hundredths`), so
//! D = L×E×C is an integer in millionths and a band boundary is never blurred by floating point.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    General,
    Large,
    Major,
}

impl RiskLevel {
    pub const ALL: [RiskLevel; 4] = [Self::Major, Self::Large, Self::General, Self::Low];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Major => "major",
            Self::Large => "large",
            Self::General => "general",
            Self::Low => "low",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Major => "重大风险",
            Self::Large => "较大风险",
            Self::General => "一般风险",
            Self::Low => "低风险",
        }
    }
    pub fn colour(self) -> &'static str {
        match self {
            Self::Major => "red",
            Self::Large => "orange",
            Self::General => "yellow",
            Self::Low => "blue",
        }
    }
    pub fn colour_label(self) -> &'static str {
        match self {
            Self::Major => "红",
            Self::Large => "橙",
            Self::General => "黄",
            Self::Low => "蓝",
        }
    }
    /// 4 for 重大 … 1 for 低: what "highest risk" aggregates compare.
    pub fn rank(self) -> i64 {
        self as i64 + 1
    }
    pub fn from_rank(rank: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.rank() == rank)
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s || l.label() == s || l.label().trim_end_matches("风险") == s)
            .ok_or_else(|| format!("风险等级“{s}”无效，应为 major、large、general 或 low"))
    }
}

/// A non-negative decimal score in hundredths: 0.5 is `Hundredths(50)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hundredths(pub i64);

impl Hundredths {
    pub const fn whole(n: i64) -> Self {
        Self(n * 100)
    }
    /// Parses "6", "0.5", "0.25"; more than two decimals, signs and exponents are refused.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() || int.len() > 6 || frac.len() > 2 {
            return None;
        }
        if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let i: i64 = int.parse().ok()?;
        let f: i64 = format!("{frac:0<2}").parse().ok()?;
        Some(Self(i * 100 + f))
    }
}

impl std::fmt::Display for Hundredths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_scaled(f, self.0 as i128, 2)
    }
}

/// Writes `value / 10^scale` without trailing zeros.
fn write_scaled(f: &mut impl std::fmt::Write, value: i128, scale: u32) -> std::fmt::Result {
    let unit = 10i128.pow(scale);
    let (int, mut frac) = (value / unit, value % unit);
    write!(f, "{int}")?;
    if frac != 0 {
        let mut digits = scale as usize;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        write!(f, ".{frac:0digits$}")?;
    }
    Ok(())
}

/// The standard LEC score tables (§3.2) with their descriptions, for forms and checks.
pub const LEC_L: &[(&str, &str)] = &[
    ("10", "完全可以预料"),
    ("6", "相当可能"),
    ("3", "可能，但不经常"),
    ("1", "可能性小，完全意外"),
    ("0.5", "很不可能，可以设想"),
    ("0.2", "极不可能"),
    ("0.1", "实际不可能"),
];
pub const LEC_E: &[(&str, &str)] = &[
    ("10", "连续暴露"),
    ("6", "每天工作时间内暴露"),
    ("3", "每周一次，或偶然暴露"),
    ("2", "每月一次暴露"),
    ("1", "每年几次暴露"),
    ("0.5", "非常罕见地暴露"),
];
pub const LEC_C: &[(&str, &str)] = &[
    ("100", "大灾难，许多人死亡"),
    ("40", "灾难，数人死亡"),
    ("15", "非常严重，一人死亡"),
    ("7", "严重，重伤"),
    ("3", "重大，致残"),
    ("1", "引人注目，需要救护"),
];

/// Which band a value lying exactly on a boundary belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// D = 70 → 一般 (the reference's conservative default).
    Higher,
    /// D = 70 → 低 (reads "> 70" literally).
    Lower,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LecConfig {
    /// Lower bounds of 重大, 较大, 一般 (D values).
    pub major_from: String,
    pub large_from: String,
    pub general_from: String,
    pub boundary: Boundary,
    /// Accept in-between scores such as L = 2 (within the table's range, two decimals at most).
    pub allow_nonstandard_scores: bool,
}

impl Default for LecConfig {
    fn default() -> Self {
        Self {
            major_from: "320".into(),
            large_from: "160".into(),
            general_from: "70".into(),
            boundary: Boundary::Higher,
            allow_nonstandard_scores: false,
        }
    }
}

/// Risk-matrix banding variants of §3.3: lower bounds of 重大, 较大, 一般.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum LsVariant {
    /// 20–25 / 15–16 / 9–12 / 1–8 (the default).
    A,
    /// 20–25 / 9–16 / 4–8 / 1–3 (coal-mine style).
    B,
    /// 20–25 / 10–16 / 4–9 / 1–3.
    C,
}

impl LsVariant {
    fn bounds(self) -> [i64; 3] {
        match self {
            Self::A => [20, 15, 9],
            Self::B => [20, 9, 4],
            Self::C => [20, 10, 4],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RiskConfig {
    pub lec: LecConfig,
    pub ls_variant: LsVariant,
    /// How the four-colour map ranks areas (weights and basis of the score).
    pub rank: super::risk_rank::RankConfig,
}

impl Default for RiskConfig {
    fn default() -> Self {
        Self {
            lec: LecConfig::default(),
            ls_variant: LsVariant::A,
            rank: Default::default(),
        }
    }
}

impl RiskConfig {
    pub fn validate(&self) -> Result<(), crate::Invalid> {
        let mut errs = crate::kernel::validation::Errors::default();
        let fields = [
            ("lec.major_from", "重大风险界限", &self.lec.major_from),
            ("lec.large_from", "较大风险界限", &self.lec.large_from),
            ("lec.general_from", "一般风险界限", &self.lec.general_from),
        ];
        let mut bounds = Vec::new();
        for (field, label, value) in fields {
            match Hundredths::parse(value) {
                Some(b) if b.0 > 0 => bounds.push(b),
                _ => errs.add(
                    field,
                    format!("{label}应为正数（至多两位小数），如 320、160、70"),
                ),
            }
        }
        if let [major, large, general] = bounds[..] {
            if major <= large {
                errs.add("lec.major_from", "重大风险界限应大于较大风险界限");
            }
            if large <= general {
                errs.add("lec.large_from", "较大风险界限应大于一般风险界限");
            }
        }
        if let Err(e) = self.rank.validate() {
            for f in e.0 {
                errs.add(&f.field, f.message);
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }
}

/// What the user entered for one assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum RiskInput {
    /// 作业条件危险性评价法.
    Lec { l: String, e: String, c: String },
    /// 风险矩阵法.
    Ls { l: i64, s: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = RiskAssessment)]
pub struct Assessment {
    pub method: String,
    /// D or R, as a decimal string ("270", "0.5").
    pub value: String,
    #[schema(value_type = String)]
    pub level: RiskLevel,
    pub level_label: String,
    pub colour: String,
}

impl Assessment {
    fn new(method: &str, value: String, level: RiskLevel) -> Self {
        Self {
            method: method.into(),
            value,
            level,
            level_label: level.label().into(),
            colour: level.colour().into(),
        }
    }
}

fn lec_factor(
    field: &str,
    label: &str,
    raw: &str,
    table: &[(&str, &str)],
    cfg: &LecConfig,
) -> Result<Hundredths, (String, String)> {
    let err = |m: String| (field.to_string(), m);
    let v = Hundredths::parse(raw)
        .ok_or_else(|| err(format!("{label}“{raw}”不是有效分值（数字，至多两位小数）")))?;
    let standard: Vec<Hundredths> = table
        .iter()
        .filter_map(|(s, _)| Hundredths::parse(s))
        .collect();
    if standard.contains(&v) {
        return Ok(v);
    }
    let list = table.iter().map(|(s, _)| *s).collect::<Vec<_>>().join("、");
    if !cfg.allow_nonstandard_scores {
        return Err(err(format!(
            "{label}“{raw}”不是标准分值，应为 {list} 之一（本辖区未允许非标准分值）"
        )));
    }
    let (min, max) = (standard.iter().min(), standard.iter().max());
    match (min, max) {
        (Some(lo), Some(hi)) if v >= *lo && v <= *hi => Ok(v),
        _ => Err(err(format!("{label}“{raw}”超出分值范围（{list}）"))),
    }
}

/// Grades one assessment. The error names the field (`l`, `e`, `c`, `s`) in Chinese.
pub fn assess(input: &RiskInput, cfg: &RiskConfig) -> Result<Assessment, crate::Invalid> {
    match input {
        RiskInput::Lec { l, e, c } => {
            let mut errs = Vec::new();
            let mut get = |f: &str, label: &str, raw: &str, t: &[(&str, &str)]| {
                lec_factor(f, label, raw, t, &cfg.lec)
                    .map_err(|(f, m)| errs.push(crate::FieldError::new(f, m)))
                    .ok()
            };
            let l = get("l", "事故发生的可能性L", l, LEC_L);
            let e = get("e", "暴露频繁程度E", e, LEC_E);
            let c = get("c", "后果严重程度C", c, LEC_C);
            let (Some(l), Some(e), Some(c)) = (l, e, c) else {
                return Err(crate::Invalid(errs));
            };
            // D in millionths: three factors of hundredths.
            let d = l.0 as i128 * e.0 as i128 * c.0 as i128;
            let bound = |s: &str| {
                Hundredths::parse(s)
                    .map(|h| h.0 as i128 * 10_000)
                    .unwrap_or(0)
            };
            let reaches = |b: i128| match cfg.lec.boundary {
                Boundary::Higher => d >= b,
                Boundary::Lower => d > b,
            };
            let level = if reaches(bound(&cfg.lec.major_from)) {
                RiskLevel::Major
            } else if reaches(bound(&cfg.lec.large_from)) {
                RiskLevel::Large
            } else if reaches(bound(&cfg.lec.general_from)) {
                RiskLevel::General
            } else {
                RiskLevel::Low
            };
            let mut value = String::new();
            let _ = write_scaled(&mut value, d, 6);
            Ok(Assessment::new("lec", value, level))
        }
        RiskInput::Ls { l, s } => {
            let mut errs = crate::kernel::validation::Errors::default();
            for (f, label, v) in [("l", "可能性L", l), ("s", "严重性S", s)] {
                if !(1..=5).contains(v) {
                    errs.add(f, format!("{label}应为 1 至 5 的整数，收到 {v}"));
                }
            }
            if !errs.is_empty() {
                return Err(errs.into_invalid());
            }
            let r = l * s;
            let [major, large, general] = cfg.ls_variant.bounds();
            let level = if r >= major {
                RiskLevel::Major
            } else if r >= large {
                RiskLevel::Large
            } else if r >= general {
                RiskLevel::General
            } else {
                RiskLevel::Low
            };
            Ok(Assessment::new("ls", r.to_string(), level))
        }
    }
}

/// 管控层级.
pub const CONTROL_LEVELS: &[(&str, &str)] = &[
    ("company", "公司级"),
    ("workshop", "车间级"),
    ("team", "班组级"),
    ("post", "岗位级"),
];

/// 可能导致的事故类型 (GB 6441 的二十类).
pub const ACCIDENT_TYPES: &[&str] = &[
    "物体打击",
    "车辆伤害",
    "机械伤害",
    "起重伤害",
    "触电",
    "淹溺",
    "灼烫",
    "火灾",
    "高处坠落",
    "坍塌",
    "冒顶片帮",
    "透水",
    "放炮",
    "火药爆炸",
    "瓦斯爆炸",
    "锅炉爆炸",
    "容器爆炸",
    "其它爆炸",
    "中毒和窒息",
    "其它伤害",
];

/// 城市风险源 kinds recorded by region staff (no enterprise behind them).
pub const PUBLIC_SOURCE_KINDS: &[(&str, &str)] = &[
    ("bridge", "桥梁"),
    ("gas_network", "燃气管网"),
    ("crowded_place", "人员密集场所"),
    ("geohazard", "地质灾害隐患点"),
    ("waterlogging", "易涝点"),
    ("tunnel", "隧道"),
    ("construction_site", "建设工地"),
    ("other", "其他"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn lec(l: &str, e: &str, c: &str, cfg: &RiskConfig) -> Result<Assessment, crate::Invalid> {
        assess(
            &RiskInput::Lec {
                l: l.into(),
                e: e.into(),
                c: c.into(),
            },
            cfg,
        )
    }

    #[test]
    fn lec_vectors_9_4() {
        let cfg = RiskConfig::default();
        let cases = [
            ("L01", "3", "6", "15", "270", RiskLevel::Large),
            ("L02", "6", "6", "15", "540", RiskLevel::Major),
            ("L03", "1", "6", "15", "90", RiskLevel::General),
            ("L04", "1", "10", "7", "70", RiskLevel::General),
            ("L05", "0.5", "1", "40", "20", RiskLevel::Low),
            ("L06", "3", "3", "7", "63", RiskLevel::Low),
            ("L07", "10", "6", "3", "180", RiskLevel::Large),
            ("L08", "6", "6", "7", "252", RiskLevel::Large),
            ("L09", "10", "10", "100", "10000", RiskLevel::Major),
        ];
        for (id, l, e, c, d, level) in cases {
            let a = lec(l, e, c, &cfg).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!((a.value.as_str(), a.level), (d, level), "{id}");
        }
        assert_eq!(
            lec("1", "10", "7", &cfg).map(|a| a.colour),
            Ok("yellow".into())
        );
    }

    #[test]
    fn lec_l10_nonstandard_is_rejected_unless_allowed() {
        let strict = RiskConfig::default();
        let err = lec("2", "6", "15", &strict).unwrap_err();
        assert_eq!(err.0[0].field, "l");
        assert!(err.0[0].message.contains("不是标准分值"), "{err}");
        let mut lenient = RiskConfig::default();
        lenient.lec.allow_nonstandard_scores = true;
        let a = lec("2", "6", "15", &lenient).unwrap();
        assert_eq!((a.value.as_str(), a.level), ("180", RiskLevel::Large));
        // In-between scores still stay inside the table's range.
        assert!(lec("11", "6", "15", &lenient).is_err());
        assert!(lec("abc", "6", "15", &lenient).is_err());
    }

    #[test]
    fn lec_boundary_choice_and_exact_boundaries() {
        let mut cfg = RiskConfig::default();
        cfg.lec.allow_nonstandard_scores = true;
        // D = 160 and 320 exactly, reachable only with in-between scores.
        assert_eq!(lec("2", "8", "10", &cfg).unwrap().level, RiskLevel::Large);
        assert_eq!(lec("4", "8", "10", &cfg).unwrap().level, RiskLevel::Major);
        cfg.lec.boundary = Boundary::Lower;
        assert_eq!(lec("1", "10", "7", &cfg).unwrap().level, RiskLevel::Low);
        assert_eq!(lec("4", "8", "10", &cfg).unwrap().level, RiskLevel::Large);
        // 0.1 × 0.5 × 1 = 0.05: exact, no float noise.
        assert_eq!(lec("0.1", "0.5", "1", &cfg).unwrap().value, "0.05");
    }

    #[test]
    fn ls_vectors_9_5() {
        let a = RiskConfig::default();
        let b = RiskConfig {
            ls_variant: LsVariant::B,
            ..RiskConfig::default()
        };
        use RiskLevel::*;
        let cases = [
            ("M01", 4, 5, Major, Major),
            ("M02", 3, 5, Large, Large),
            ("M03", 3, 4, General, Large),
            ("M04", 2, 4, Low, General),
            ("M05", 1, 3, Low, Low),
            ("M06", 4, 4, Large, Large),
        ];
        for (id, l, s, va, vb) in cases {
            let input = RiskInput::Ls { l, s };
            assert_eq!(assess(&input, &a).unwrap().level, va, "{id} A");
            assert_eq!(assess(&input, &b).unwrap().level, vb, "{id} B");
        }
        let err = assess(&RiskInput::Ls { l: 6, s: 1 }, &a).unwrap_err();
        assert_eq!(err.0[0].field, "l");
        assert!(err.0[0].message.contains("1 至 5"));
    }

    #[test]
    fn hundredths_parse_and_print() {
        assert_eq!(Hundredths::parse("0.5"), Some(Hundredths(50)));
        assert_eq!(Hundredths::parse("10"), Some(Hundredths(1000)));
        assert_eq!(Hundredths::parse("0.123"), None);
        assert_eq!(Hundredths::parse("-1"), None);
        assert_eq!(Hundredths::parse("1e2"), None);
        assert_eq!(Hundredths(50).to_string(), "0.5");
        assert_eq!(Hundredths(1205).to_string(), "12.05");
    }

    #[test]
    fn config_validation() {
        let mut cfg = RiskConfig::default();
        assert!(cfg.validate().is_ok());
        cfg.lec.large_from = "400".into();
        assert!(cfg.validate().is_err());
    }
}
