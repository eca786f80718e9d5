//! 危险化学品重大危险源辨识与分级 (GB 18218-2018, shared/reference/cn-standards.md §4).
//!
//! S = Σ qᵢ/Qᵢ decides whether a unit is a 重大危险源 (S ≥ 1), and R = α · Σ βᵢ·qᵢ/Qᵢ its level.
//! Both are compared with "≥" on exact rationals: with f64, 液氯 21.4 t + LPG 96.0 t at α = 0.5
//! gives R = 9.999999999999998 (四级) instead of exactly 10 (三级) — vector G13.

use crate::kernel::validation::{Errors, Invalid};
use serde::{Deserialize, Serialize};

/// An exact non-negative rational, built from decimal strings such as "21.4".
#[derive(Debug, Clone, Copy)]
pub struct Ratio {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs().max(1)
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };

    pub fn int(n: i64) -> Self {
        Self {
            num: n.into(),
            den: 1,
        }
    }

    fn new(num: i128, den: i128) -> Self {
        let g = gcd(num, den);
        Self {
            num: num / g,
            den: den / g,
        }
    }

    /// A plain decimal with at most six decimals ("5", "0.75", "21.4"); no sign, no exponent.
    pub fn parse_decimal(s: &str) -> Option<Self> {
        let s = s.trim();
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) || frac.len() > 6 || int.len() > 12 {
            return None;
        }
        let den = 10i128.pow(frac.len() as u32);
        let num = format!("{int}{frac}").parse::<i128>().ok()?;
        Some(Self::new(num, den))
    }

    // Checked: None on overflow (many unusual denominators) or division by zero, never a panic.
    pub fn checked_add(self, o: Self) -> Option<Self> {
        let num = self
            .num
            .checked_mul(o.den)?
            .checked_add(o.num.checked_mul(self.den)?)?;
        Some(Self::new(num, self.den.checked_mul(o.den)?))
    }

    pub fn checked_mul(self, o: Self) -> Option<Self> {
        Some(Self::new(
            self.num.checked_mul(o.num)?,
            self.den.checked_mul(o.den)?,
        ))
    }

    pub fn checked_div(self, o: Self) -> Option<Self> {
        if o.num == 0 {
            return None;
        }
        Some(Self::new(
            self.num.checked_mul(o.den)?,
            self.den.checked_mul(o.num)?,
        ))
    }

    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// Rounded half up to `places` decimals, for display ("10.00").
    pub fn to_decimal(self, places: u32) -> String {
        let scale = 10i128.pow(places);
        let Some(scaled) = self
            .num
            .checked_mul(scale * 2)
            .and_then(|n| n.checked_add(self.den))
            .zip(self.den.checked_mul(2))
            .map(|(n, d)| n / d)
        else {
            return "—".into();
        };
        if places == 0 {
            return scaled.to_string();
        }
        format!(
            "{}.{:0width$}",
            scaled / scale,
            scaled % scale,
            width = places as usize
        )
    }
}

/// Decimal places a figure is shown with: at least [`FIGURE_MIN_PLACES`], at most
/// [`FIGURE_MAX_PLACES`].
pub const FIGURE_MIN_PLACES: usize = 2;
pub const FIGURE_MAX_PLACES: usize = 6;

/// S or R as shown to an assessor, in the API, the console and the audit record.
///
/// The figure is never rounded up, so it can never contradict a verdict "value ≥ threshold" for
/// any threshold with at most six decimals — S against 1, R against the Table 6 bands 10, 50 and
/// 100 (issue 18: S = 0.998 was shown as "1.00" beside 不构成重大危险源):
///
/// - a value whose decimal expansion ends within six places is shown exactly, padded to two
///   places: 0.998 → "0.998", 1 → "1.00", 6.2 → "6.20", 100.0004 → "100.0004";
/// - any other value is cut (not rounded) after six places and marked with "…": the digits
///   continue, the true value lies in [shown, shown + 0.000001). 0.99999980… → "0.999999…",
///   1/3 → "0.333333…". A value below a threshold therefore reads below it, and one at or above
///   reads at or above it.
///
/// The value is taken as non-negative (S and R are); a negative one is shown by its magnitude
/// with a minus sign.
pub fn figure(value: Ratio) -> String {
    let sign = if value.num < 0 { "-" } else { "" };
    let (num, den) = (value.num.unsigned_abs(), value.den.unsigned_abs());
    let mut rem = num % den;
    let mut digits = String::with_capacity(FIGURE_MAX_PLACES + 1);
    while rem != 0 && digits.len() < FIGURE_MAX_PLACES {
        // Long division, one digit at a time; a denominator too large for that (never from
        // decimal inputs of six places) stops early, still cut and marked.
        let Some(r10) = rem.checked_mul(10) else {
            break;
        };
        digits.push(char::from(b'0' + (r10 / den) as u8));
        rem = r10 % den;
    }
    while digits.len() < FIGURE_MIN_PLACES {
        digits.push('0');
    }
    let cut = if rem == 0 { "" } else { "…" };
    format!("{sign}{}.{digits}{cut}", num / den)
}

impl PartialEq for Ratio {
    fn eq(&self, o: &Self) -> bool {
        // Both are reduced with positive denominators, so equal values have equal parts.
        self.num == o.num && self.den == o.den
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        // Compared against small integers or reduced fractions of bounded inputs; a product that
        // does not fit cannot be ordered and says so.
        let a = self.num.checked_mul(o.den)?;
        let b = o.num.checked_mul(self.den)?;
        a.partial_cmp(&b)
    }
}

/// α by the permanent residents within 500 m outside the plant boundary (Table 5).
pub fn alpha(population: u32) -> Ratio {
    match population {
        100.. => Ratio::new(2, 1),
        50..=99 => Ratio::new(3, 2),
        30..=49 => Ratio::new(6, 5),
        1..=29 => Ratio::int(1),
        0 => Ratio::new(1, 2),
    }
}

/// One chemical in a unit: its design maximum quantity q, critical quantity Q (t) and β.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitChemical {
    pub chemical: String,
    /// 设计最大量 (t), decimal text.
    pub quantity_t: String,
    /// 临界量 Q (t), decimal text, from Table 1 or Table 2.
    pub critical_t: String,
    /// 校正系数 β, decimal text, from Table 3 or Table 4.
    pub beta: String,
}

/// 重大危险源级别: 一级 is the highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum MajorHazardLevel {
    #[serde(rename = "1")]
    One,
    #[serde(rename = "2")]
    Two,
    #[serde(rename = "3")]
    Three,
    #[serde(rename = "4")]
    Four,
}

impl MajorHazardLevel {
    /// Table 6: 一级 R ≥ 100, 二级 100 > R ≥ 50, 三级 50 > R ≥ 10, 四级 R < 10.
    pub fn of(r: Ratio) -> Self {
        if r >= Ratio::int(100) {
            Self::One
        } else if r >= Ratio::int(50) {
            Self::Two
        } else if r >= Ratio::int(10) {
            Self::Three
        } else {
            Self::Four
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::One => "一级",
            Self::Two => "二级",
            Self::Three => "三级",
            Self::Four => "四级",
        }
    }

    pub fn number(self) -> i64 {
        match self {
            Self::One => 1,
            Self::Two => 2,
            Self::Three => 3,
            Self::Four => 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Identification {
    pub s: Ratio,
    pub is_major: bool,
    pub alpha: Ratio,
    /// Only for a 重大危险源.
    pub r: Option<Ratio>,
    pub level: Option<MajorHazardLevel>,
}

/// Identifies and grades one unit (生产单元 or 储存单元).
pub fn identify(lines: &[UnitChemical], population: u32) -> Result<Identification, Invalid> {
    let mut errs = Errors::default();
    if lines.is_empty() {
        errs.add("chemicals", "单元至少应包含一种危险化学品");
    }
    let (mut s, mut weighted) = (Ratio::ZERO, Ratio::ZERO);
    for (i, l) in lines.iter().enumerate() {
        let q = Ratio::parse_decimal(&l.quantity_t);
        let cap = Ratio::parse_decimal(&l.critical_t).filter(|c| !c.is_zero());
        let beta = Ratio::parse_decimal(&l.beta).filter(|b| !b.is_zero());
        if q.is_none() {
            errs.add(
                &format!("chemicals[{i}].quantity_t"),
                "设计最大量应为不小于 0 的数（吨，至多六位小数）",
            );
        }
        if cap.is_none() {
            errs.add(
                &format!("chemicals[{i}].critical_t"),
                "临界量应为大于 0 的数（吨）",
            );
        }
        if beta.is_none() {
            errs.add(&format!("chemicals[{i}].beta"), "校正系数β应为大于 0 的数");
        }
        if let (Some(q), Some(cap), Some(beta)) = (q, cap, beta) {
            let next = q.checked_div(cap).and_then(|share| {
                Some((
                    s.checked_add(share)?,
                    weighted.checked_add(share.checked_mul(beta)?)?,
                ))
            });
            match next {
                Some((ns, nw)) => (s, weighted) = (ns, nw),
                None => {
                    return Err(Invalid::one(
                        format!("chemicals[{i}]"),
                        "数值位数过多，无法精确计算，请减少小数位数",
                    ));
                }
            }
        }
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    let a = alpha(population);
    let is_major = s >= Ratio::int(1);
    let r = if is_major {
        Some(a.checked_mul(weighted).ok_or_else(|| {
            Invalid::one("chemicals", "数值位数过多，无法精确计算，请减少小数位数")
        })?)
    } else {
        None
    };
    Ok(Identification {
        s,
        is_major,
        alpha: a,
        r,
        level: r.map(MajorHazardLevel::of),
    })
}

/// The shipped tables (Table 1 selection, Tables 2–5) as data for the console's pickers.
pub fn tables() -> serde_json::Value {
    serde_json::from_str(include_str!("../../../../data/major-hazards/gb18218.json"))
        .unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(q: &str, cap: &str, beta: &str) -> UnitChemical {
        UnitChemical {
            chemical: String::new(),
            quantity_t: q.into(),
            critical_t: cap.into(),
            beta: beta.into(),
        }
    }

    fn r(s: &str) -> Ratio {
        Ratio::parse_decimal(s).expect("decimal")
    }

    /// §9.6 vectors G01–G13: (lines, population, S, major, R, level).
    #[test]
    fn reference_vectors() {
        type Case = (
            &'static str,
            Vec<UnitChemical>,
            u32,
            &'static str,
            Option<(&'static str, i64)>,
        );
        let cases: Vec<Case> = vec![
            ("G01", vec![line("20", "5", "4")], 60, "4", Some(("24", 3))),
            (
                "G02",
                vec![line("120", "50", "1.5")],
                120,
                "2.4",
                Some(("7.2", 4)),
            ),
            (
                "G03",
                vec![line("150", "200", "1"), line("300", "500", "1")],
                35,
                "1.35",
                Some(("1.62", 4)),
            ),
            (
                "G04",
                vec![line("200", "500", "1"), line("200", "500", "1")],
                500,
                "0.8",
                None,
            ),
            (
                "G05",
                vec![line("150", "10", "2")],
                150,
                "15",
                Some(("60", 2)),
            ),
            (
                "G06",
                vec![line("80", "5", "4")],
                100,
                "16",
                Some(("128", 1)),
            ),
            (
                "G07",
                vec![line("10", "5", "4"), line("20", "10", "2")],
                10,
                "4",
                Some(("12", 3)),
            ),
            ("G08", vec![line("25", "5", "5")], 200, "5", Some(("50", 2))),
            ("G09", vec![line("5", "5", "4")], 0, "1", Some(("2", 4))),
            (
                "G10",
                vec![line("10", "5", "1.5")],
                0,
                "2",
                Some(("1.5", 4)),
            ),
            (
                "G11",
                vec![line("500", "500", "1"), line("100", "500", "1")],
                50,
                "1.2",
                Some(("1.8", 4)),
            ),
            (
                "G12",
                vec![line("60", "50", "1.5"), line("5", "10", "2")],
                30,
                "1.7",
                Some(("3.36", 4)),
            ),
            (
                "G13",
                vec![line("21.4", "5", "4"), line("96.0", "50", "1.5")],
                0,
                "6.2",
                Some(("10", 3)),
            ),
        ];
        for (id, lines, pop, s, graded) in cases {
            let got = identify(&lines, pop).expect(id);
            assert_eq!(got.s, r(s), "{id} S");
            assert_eq!(got.is_major, graded.is_some(), "{id} major");
            match graded {
                Some((rv, level)) => {
                    assert_eq!(got.r, Some(r(rv)), "{id} R");
                    assert_eq!(
                        got.level.map(MajorHazardLevel::number),
                        Some(level),
                        "{id} level"
                    );
                }
                None => assert_eq!(got.level, None, "{id}"),
            }
        }
    }

    #[test]
    fn g13_is_exact_where_f64_is_not() {
        let naive = 0.5 * (4.0 * 21.4 / 5.0 + 1.5 * 96.0 / 50.0);
        assert!(naive < 10.0, "the trap this module avoids: {naive}");
        let got = identify(&[line("21.4", "5", "4"), line("96.0", "50", "1.5")], 0).expect("G13");
        assert_eq!(got.r.expect("R").to_decimal(2), "10.00");
        assert_eq!(got.level, Some(MajorHazardLevel::Three));
    }

    /// The figure with its "…" taken off, as a number.
    fn read(shown: &str) -> Ratio {
        Ratio::parse_decimal(shown.trim_end_matches('…')).expect(shown)
    }

    /// Issue 18: figures next to the thresholds 1 (S) and 10, 50, 100 (R, Table 6).
    #[test]
    fn figures_near_the_thresholds() {
        for (value, shown) in [
            (r("0.998"), "0.998"),
            (Ratio::new(9_999_999, 10_000_000), "0.999999…"),
            (Ratio::new(9_999_999, 10_000_001), "0.999999…"),
            (Ratio::new(199_999_999, 200_000_000), "0.999999…"),
            (Ratio::int(1), "1.00"),
            (Ratio::new(10_000_001, 10_000_000), "1.000000…"),
            (r("9.996"), "9.996"),
            (r("9.999999"), "9.999999"),
            (Ratio::int(10), "10.00"),
            (r("49.999"), "49.999"),
            (Ratio::int(50), "50.00"),
            (r("99.9996"), "99.9996"),
            (Ratio::int(100), "100.00"),
            (r("100.0004"), "100.0004"),
            (Ratio::ZERO, "0.00"),
            (r("6.2"), "6.20"),
            (r("0.000001"), "0.000001"),
            (Ratio::new(1, 3), "0.333333…"),
            // Cut, not rounded: 0.666666…, never 0.666667.
            (Ratio::new(2, 3), "0.666666…"),
            (Ratio::new(-1, 8), "-0.125"),
        ] {
            assert_eq!(figure(value), shown, "{value:?}");
        }
        // Before issue 18 the register rounded to two places.
        assert_eq!(r("0.998").to_decimal(2), "1.00");
        assert_eq!(r("9.996").to_decimal(2), "10.00");
    }

    /// §9.6 vectors G01–G13 as shown: every one is exact, padded to two places.
    #[test]
    fn reference_vectors_as_shown() {
        // (id, lines, population, S shown, R shown)
        type Case = (
            &'static str,
            Vec<UnitChemical>,
            u32,
            &'static str,
            Option<&'static str>,
        );
        let cases: [Case; 13] = [
            ("G01", vec![line("20", "5", "4")], 60, "4.00", Some("24.00")),
            (
                "G02",
                vec![line("120", "50", "1.5")],
                120,
                "2.40",
                Some("7.20"),
            ),
            (
                "G03",
                vec![line("150", "200", "1"), line("300", "500", "1")],
                35,
                "1.35",
                Some("1.62"),
            ),
            (
                "G04",
                vec![line("200", "500", "1"), line("200", "500", "1")],
                500,
                "0.80",
                None,
            ),
            (
                "G05",
                vec![line("150", "10", "2")],
                150,
                "15.00",
                Some("60.00"),
            ),
            (
                "G06",
                vec![line("80", "5", "4")],
                100,
                "16.00",
                Some("128.00"),
            ),
            (
                "G07",
                vec![line("10", "5", "4"), line("20", "10", "2")],
                10,
                "4.00",
                Some("12.00"),
            ),
            (
                "G08",
                vec![line("25", "5", "5")],
                200,
                "5.00",
                Some("50.00"),
            ),
            ("G09", vec![line("5", "5", "4")], 0, "1.00", Some("2.00")),
            ("G10", vec![line("10", "5", "1.5")], 0, "2.00", Some("1.50")),
            (
                "G11",
                vec![line("500", "500", "1"), line("100", "500", "1")],
                50,
                "1.20",
                Some("1.80"),
            ),
            (
                "G12",
                vec![line("60", "50", "1.5"), line("5", "10", "2")],
                30,
                "1.70",
                Some("3.36"),
            ),
            (
                "G13",
                vec![line("21.4", "5", "4"), line("96.0", "50", "1.5")],
                0,
                "6.20",
                Some("10.00"),
            ),
        ];
        for (id, lines, pop, s, r_shown) in cases {
            let got = identify(&lines, pop).expect(id);
            assert_eq!(figure(got.s), s, "{id} S");
            assert_eq!(got.r.map(figure).as_deref(), r_shown, "{id} R");
            assert_eq!(read(s), got.s, "{id}: exact");
        }
    }

    /// G14: the α table's edges.
    #[test]
    fn alpha_edges() {
        for (pop, a) in [
            (29, "1.0"),
            (30, "1.2"),
            (49, "1.2"),
            (50, "1.5"),
            (99, "1.5"),
            (100, "2.0"),
            (0, "0.5"),
        ] {
            assert_eq!(alpha(pop), r(a), "population {pop}");
        }
    }

    #[test]
    fn bad_numbers_name_their_field() {
        let err = identify(&[line("-1", "0", "abc"), line("1e3", "5", "1")], 10).expect_err("bad");
        let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "chemicals[0].quantity_t",
                "chemicals[0].critical_t",
                "chemicals[0].beta",
                "chemicals[1].quantity_t"
            ]
        );
        assert!(identify(&[], 0).is_err());
        assert!(Ratio::parse_decimal("NaN").is_none());
        assert!(Ratio::parse_decimal("inf").is_none());
        assert!(Ratio::parse_decimal("1.1234567").is_none());
        // Many distinct six-decimal critical quantities overflow i128: refused, not a panic.
        let many: Vec<UnitChemical> = (0..60)
            .map(|i| {
                line(
                    "999999999999.999999",
                    &format!("{}.{:06}", 7919 * (i + 1), 104_729 * i % 999_983),
                    "1",
                )
            })
            .collect();
        assert!(identify(&many, 10).is_err());
    }

    #[test]
    fn shipped_tables_agree_with_the_reference() {
        let t = tables();
        let chem = t["chemicals"].as_array().expect("chemicals");
        let find = |n: &str| chem.iter().find(|c| c["name"] == n).expect(n);
        assert_eq!(find("氯")["critical_t"], "5");
        assert_eq!(find("氯")["beta"], "4");
        assert_eq!(find("碳酰氯")["critical_t"], "0.3");
        assert_eq!(find("异氰酸甲酯")["critical_t"], "0.75");
        assert_eq!(t["toxic_gas_beta"].as_array().expect("t3").len(), 14);
        assert_eq!(t["categories"].as_array().expect("t4").len(), 24);
        for c in chem {
            let q = c["critical_t"].as_str().expect("Q");
            assert!(Ratio::parse_decimal(q).is_some_and(|q| !q.is_zero()), "{c}");
        }
    }

    proptest::proptest! {
        /// The figure never reads on the other side of a threshold than the value: it is the
        /// value when it has no "…", otherwise the value cut after six places.
        #[test]
        fn figure_never_flips_a_threshold(num in 0i128..1_000_000_000_000, den in 1i128..100_000_000, t in 0i64..200_000_000) {
            let value = Ratio::new(num, den);
            let shown = figure(value);
            let read = read(&shown);
            let step = Ratio::new(1, 1_000_000);
            if shown.ends_with('…') {
                proptest::prop_assert!(read < value, "{} vs {:?}", shown, value);
                proptest::prop_assert!(value < read.checked_add(step).expect("sum"), "{} vs {:?}", shown, value);
            } else {
                proptest::prop_assert_eq!(read, value);
            }
            // The thresholds of GB 18218, and any other with up to six decimals.
            let threshold = Ratio::new(t.into(), 1_000_000);
            for th in [Ratio::int(1), Ratio::int(10), Ratio::int(50), Ratio::int(100), threshold] {
                proptest::prop_assert_eq!(read >= th, value >= th, "{} against {:?}", shown, th);
            }
        }

        /// Values a hair's breadth either side of 1, 10, 50 and 100.
        #[test]
        fn figure_near_a_threshold(which in 0usize..4, off in -1000i128..=1000, den in 1i128..1_000_000_000_000) {
            let th = Ratio::int([1, 10, 50, 100][which]);
            let value = th.checked_add(Ratio::new(off, den)).expect("value");
            let shown = figure(value);
            proptest::prop_assert_eq!(read(&shown) >= th, value >= th, "{} against {:?}", shown, th);
        }

        /// S and R do not depend on the order of the chemicals.
        #[test]
        fn order_does_not_matter(qs in proptest::collection::vec((1u32..100_000, 1u32..5000, 1u32..21), 1..6), pop in 0u32..300) {
            let lines: Vec<UnitChemical> = qs.iter().map(|(q, c, b)| line(&format!("{}.{}", q / 10, q % 10), &c.to_string(), &b.to_string())).collect();
            let mut rev = lines.clone();
            rev.reverse();
            let a = identify(&lines, pop).expect("a");
            let b = identify(&rev, pop).expect("b");
            proptest::prop_assert_eq!(a.s, b.s);
            proptest::prop_assert_eq!(a.r, b.r);
            proptest::prop_assert_eq!(a.level, b.level);
        }
    }
}
