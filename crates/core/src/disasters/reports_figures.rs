//! The figures of the 快报表 (disasters.md §1): one set per affected township, summed to the
//! district. Counts are non-negative integers; areas (公顷) and money (万元) are decimals with
//! at most two places, kept as integer hundredths so sums are exact (never f64).

use crate::kernel::validation::Errors;

/// One figure of the 快报表.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    AffectedPeople,
    Deaths,
    Missing,
    Relocated,
    NeedRelief,
    CropsAffected,
    CropsDamaged,
    CropsFailed,
    CollapsedHouseholds,
    CollapsedRooms,
    SevereHouseholds,
    SevereRooms,
    DamagedHouseholds,
    DamagedRooms,
    Loss,
}

/// How a figure is written and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureDef {
    pub figure: Figure,
    /// The API field and the column name.
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// A decimal with two places (stored as hundredths); else a count.
    pub decimal: bool,
    /// A main figure: a jump between consecutive reports needs an explanation.
    pub main: bool,
}

const fn def(
    figure: Figure,
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    decimal: bool,
    main: bool,
) -> FigureDef {
    FigureDef {
        figure,
        key,
        label,
        unit,
        decimal,
        main,
    }
}

/// Every figure, in the order of the 快报表.
pub const FIGURES: [FigureDef; 15] = [
    def(
        Figure::AffectedPeople,
        "affected_people",
        "受灾人口",
        "人",
        false,
        true,
    ),
    def(Figure::Deaths, "deaths", "因灾死亡人口", "人", false, true),
    def(
        Figure::Missing,
        "missing",
        "因灾失踪人口",
        "人",
        false,
        true,
    ),
    def(
        Figure::Relocated,
        "relocated",
        "紧急转移安置人口",
        "人",
        false,
        true,
    ),
    def(
        Figure::NeedRelief,
        "need_relief",
        "需紧急生活救助人口",
        "人",
        false,
        true,
    ),
    def(
        Figure::CropsAffected,
        "crops_affected_ha",
        "农作物受灾面积",
        "公顷",
        true,
        false,
    ),
    def(
        Figure::CropsDamaged,
        "crops_damaged_ha",
        "农作物成灾面积",
        "公顷",
        true,
        false,
    ),
    def(
        Figure::CropsFailed,
        "crops_failed_ha",
        "农作物绝收面积",
        "公顷",
        true,
        false,
    ),
    def(
        Figure::CollapsedHouseholds,
        "collapsed_households",
        "倒塌房屋户数",
        "户",
        false,
        true,
    ),
    def(
        Figure::CollapsedRooms,
        "collapsed_rooms",
        "倒塌房屋间数",
        "间",
        false,
        false,
    ),
    def(
        Figure::SevereHouseholds,
        "severe_households",
        "严重损坏房屋户数",
        "户",
        false,
        true,
    ),
    def(
        Figure::SevereRooms,
        "severe_rooms",
        "严重损坏房屋间数",
        "间",
        false,
        false,
    ),
    def(
        Figure::DamagedHouseholds,
        "damaged_households",
        "一般损坏房屋户数",
        "户",
        false,
        false,
    ),
    def(
        Figure::DamagedRooms,
        "damaged_rooms",
        "一般损坏房屋间数",
        "间",
        false,
        false,
    ),
    def(
        Figure::Loss,
        "loss_wan_yuan",
        "直接经济损失",
        "万元",
        true,
        false,
    ),
];

impl Figure {
    pub fn index(self) -> usize {
        FIGURES.iter().position(|d| d.figure == self).unwrap_or(0)
    }
    pub fn def(self) -> &'static FigureDef {
        &FIGURES[self.index()]
    }
}

/// The values of one row (or the district's totals), decimals in hundredths.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures(pub [i64; 15]);

impl Figures {
    pub fn get(&self, f: Figure) -> i64 {
        self.0[f.index()]
    }
    /// The sum of rows (saturating; the inputs are bounded far below overflow).
    pub fn sum<'a>(rows: impl IntoIterator<Item = &'a Figures>) -> Figures {
        let mut out = [0i64; 15];
        for r in rows {
            for (o, v) in out.iter_mut().zip(r.0.iter()) {
                *o = o.saturating_add(*v);
            }
        }
        Figures(out)
    }
    pub fn deaths_and_missing(&self) -> i64 {
        self.get(Figure::Deaths) + self.get(Figure::Missing)
    }
}

/// The largest count (and hundredths) accepted: 1e12, far beyond any district.
const MAX: i64 = 1_000_000_000_000;

/// A count as written: a non-negative integer.
pub fn parse_count(label: &str, raw: &str) -> Result<i64, String> {
    let t = raw.trim();
    let bad = || format!("{label}应为非负整数，“{t}”无效");
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        // "12.0" is written by some spreadsheets: accepted when the fraction is zero.
        if let Some((int, frac)) = t.split_once('.')
            && !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && !frac.is_empty()
            && frac.bytes().all(|b| b == b'0')
        {
            return parse_count(label, int);
        }
        return Err(if t.starts_with('-') {
            format!("{label}不能为负数")
        } else {
            bad()
        });
    }
    match t.parse::<i64>() {
        Ok(v) if v <= MAX => Ok(v),
        _ => Err(bad()),
    }
}

/// A decimal as written (`12`, `12.5`, `12.35`), in hundredths; never through f64.
pub fn parse_hundredths(label: &str, raw: &str) -> Result<i64, String> {
    let t = raw.trim();
    if t.starts_with('-') {
        return Err(format!("{label}不能为负数"));
    }
    let bad = || format!("{label}应为不小于 0 的数，最多两位小数，“{t}”无效");
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty()
        || !digits(int)
        || !digits(frac)
        || frac.len() > 2 && !frac[2..].bytes().all(|b| b == b'0')
    {
        return Err(bad());
    }
    let whole: i64 = int.parse().map_err(|_| bad())?;
    let mut f = frac.as_bytes().iter().take(2).map(|b| i64::from(b - b'0'));
    let tenths = f.next().unwrap_or(0);
    let hundredths = f.next().unwrap_or(0);
    let v = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(tenths * 10 + hundredths))
        .filter(|v| *v <= MAX)
        .ok_or_else(bad)?;
    Ok(v)
}

/// Hundredths written back as a decimal with two places: 1234 → "12.34".
pub fn show_hundredths(v: i64) -> String {
    format!("{}.{:02}", v / 100, (v % 100).abs())
}

/// A value shown with its unit, decimals with two places.
pub fn show(f: Figure, v: i64) -> String {
    let d = f.def();
    if d.decimal {
        format!("{}{}", show_hundredths(v), d.unit)
    } else {
        format!("{v}{}", d.unit)
    }
}

/// Reads one row's raw values (missing values are 0), naming `prefix.key` on each error and
/// `who` (the township) in the message.
pub fn parse_row(
    errs: &mut Errors,
    prefix: &str,
    who: &str,
    raw: &[Option<String>; 15],
) -> Figures {
    let mut out = [0i64; 15];
    for (i, d) in FIGURES.iter().enumerate() {
        let Some(r) = raw[i].as_deref().filter(|s| !s.trim().is_empty()) else {
            continue;
        };
        let label = format!("{who}的{}", d.label);
        let v = if d.decimal {
            parse_hundredths(&label, r)
        } else {
            parse_count(&label, r)
        };
        if let Some(v) = errs.check(&format!("{prefix}.{}", d.key), v) {
            out[i] = v;
        }
    }
    let f = Figures(out);
    consistency(errs, prefix, who, &f);
    f
}

/// 死亡+失踪 ≤ 受灾人口; 成灾 ≤ 受灾; 绝收 ≤ 成灾.
fn consistency(errs: &mut Errors, prefix: &str, who: &str, f: &Figures) {
    let field = |k: &str| format!("{prefix}.{k}");
    if !errs.has(&field("deaths"))
        && !errs.has(&field("missing"))
        && f.deaths_and_missing() > f.get(Figure::AffectedPeople)
    {
        errs.add(
            &field("deaths"),
            format!(
                "{who}的因灾死亡与失踪人口之和（{}人）不能大于受灾人口（{}人）",
                f.deaths_and_missing(),
                f.get(Figure::AffectedPeople)
            ),
        );
    }
    let pairs = [
        (Figure::CropsDamaged, Figure::CropsAffected),
        (Figure::CropsFailed, Figure::CropsDamaged),
    ];
    for (small, big) in pairs {
        let (s, b) = (small.def(), big.def());
        if !errs.has(&field(s.key)) && !errs.has(&field(b.key)) && f.get(small) > f.get(big) {
            errs.add(
                &field(s.key),
                format!(
                    "{who}的{}（{}）不能大于{}（{}）",
                    s.label,
                    show(small, f.get(small)),
                    b.label,
                    show(big, f.get(big))
                ),
            );
        }
    }
}
