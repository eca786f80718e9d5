//! 森林防火: the district's configuration (防火期, the forest authority, the stop level), the
//! 森林火险气象等级 (GB/T 36743-2018, 一级–五级), forest areas with their exact hectares, and the
//! two indicators of the 2024 work plan (森林火灾受害率 ≤ 0.3‰, 森林火险感知面积覆盖率 ≥ 55%).

use crate::kernel::validation::{Errors, FieldError, Invalid};
use serde::{Deserialize, Serialize};

/// A calendar day (Asia/Shanghai).
pub type Day = jiff::civil::Date;

/// Square metres in a hectare: areas are kept as whole square metres, so hectares with up to four
/// decimals are exact.
pub const M2_PER_HA: i64 = 10_000;

/// A district's forest fire configuration (a section of the versioned district rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ForestConfig {
    /// 森林防火期 start, MM-DD (every year).
    pub season_from: String,
    /// 森林防火期 end, MM-DD; before `season_from` means it runs into the next year.
    pub season_to: String,
    /// The department whose staff approve 野外用火 (the forest fire authority);局领导 and
    /// administrators may too.
    pub authority_department_id: Option<String>,
    /// 森林火险等级 (1–5) at and above which all field fire use stops.
    pub stop_level: u8,
    /// Whether 野外用火 applications are taken only for days inside the 防火期 (outside it no
    /// approval is needed).
    pub season_only: bool,
}

impl Default for ForestConfig {
    /// 10月1日至次年4月30日 (the usual 江西 防火期), stop at 四级 (disasters.md §3, [I]).
    fn default() -> Self {
        Self {
            season_from: "10-01".into(),
            season_to: "04-30".into(),
            authority_department_id: None,
            stop_level: 4,
            season_only: true,
        }
    }
}

/// (month, day) of an MM-DD text.
fn month_day(s: &str) -> Option<(i8, i8)> {
    let (m, d) = s.trim().split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (m, d): (i8, i8) = (m.parse().ok()?, d.parse().ok()?);
    jiff::civil::Date::new(2024, m, d).ok().map(|_| (m, d))
}

impl ForestConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = Errors::default();
        if month_day(&self.season_from).is_none() {
            errs.add("season_from", "森林防火期开始日期格式应为 MM-DD，如 10-01");
        }
        if month_day(&self.season_to).is_none() {
            errs.add("season_to", "森林防火期结束日期格式应为 MM-DD，如 04-30");
        }
        if !(1..=5).contains(&self.stop_level) {
            errs.add("stop_level", "停止野外用火的火险等级应为 1 至 5 级");
        }
        if let Some(d) = &self.authority_department_id
            && d.trim().is_empty()
        {
            errs.add("authority_department_id", "森林防火主管部门不能为空字符串");
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }

    /// Whether a day lies in the 防火期.
    pub fn in_season(&self, day: jiff::civil::Date) -> bool {
        let (Some(from), Some(to)) = (month_day(&self.season_from), month_day(&self.season_to))
        else {
            return false;
        };
        let md = (day.month(), day.day());
        if from <= to {
            from <= md && md <= to
        } else {
            md >= from || md <= to
        }
    }

    /// The 防火期 as people say it: 10月1日至次年4月30日.
    pub fn season_label(&self) -> String {
        match (month_day(&self.season_from), month_day(&self.season_to)) {
            (Some(f), Some(t)) => {
                let next = if t < f { "次年" } else { "" };
                format!("{}月{}日至{next}{}月{}日", f.0, f.1, t.0, t.1)
            }
            _ => String::new(),
        }
    }

    /// Whether a level stops field fire use.
    pub fn stops(&self, level: u8) -> bool {
        level >= self.stop_level
    }
}

/// 森林火险气象等级 (GB/T 36743-2018): (level, label, danger, colour).
pub const LEVELS: &[(u8, &str, &str, &str)] = &[
    (1, "一级", "低火险", "green"),
    (2, "二级", "较低火险", "blue"),
    (3, "三级", "较高火险", "yellow"),
    (4, "四级", "高火险", "orange"),
    (5, "五级", "极高火险", "red"),
];

pub fn level_label(level: u8) -> String {
    LEVELS
        .iter()
        .find(|l| l.0 == level)
        .map(|l| format!("{}（{}）", l.1, l.2))
        .unwrap_or_default()
}

pub fn level_colour(level: u8) -> &'static str {
    LEVELS
        .iter()
        .find(|l| l.0 == level)
        .map(|l| l.3)
        .unwrap_or("grey")
}

/// The level from a number or a word (四级, 4, 橙色).
pub fn parse_level(v: i64) -> Result<u8, String> {
    u8::try_from(v)
        .ok()
        .filter(|l| (1..=5).contains(l))
        .ok_or_else(|| format!("森林火险等级应为 1 至 5 级，而不是 {v}"))
}

/// A YYYY-MM-DD day.
pub fn parse_day(label: &str, s: &str) -> Result<jiff::civil::Date, String> {
    let t = s.trim();
    if t.len() != 10 {
        return Err(format!("{label}格式应为 YYYY-MM-DD，如 2026-03-15"));
    }
    t.parse::<jiff::civil::Date>()
        .map_err(|_| format!("{label}“{t}”不是有效日期，格式应为 YYYY-MM-DD"))
}

/// Hectares as written (`1234.5`, up to four decimals, not negative) in whole square metres.
pub fn parse_hectares(label: &str, s: &str) -> Result<i64, String> {
    let t = s.trim();
    let bad = || format!("{label}应为不小于0的数字（公顷，最多4位小数），而不是“{t}”");
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    if int.is_empty()
        || int.len() > 9
        || frac.len() > 4
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (t.contains('.') && frac.is_empty())
    {
        return Err(bad());
    }
    let whole: i64 = int.parse().map_err(|_| bad())?;
    let mut f = frac.to_string();
    while f.len() < 4 {
        f.push('0');
    }
    let part: i64 = f.parse().map_err(|_| bad())?;
    Ok(whole * M2_PER_HA + part)
}

/// Square metres as hectares, exactly, without trailing zeros (12345000 → "1234.5").
pub fn hectares(m2: i64) -> String {
    let sign = if m2 < 0 { "-" } else { "" };
    let a = m2.unsigned_abs();
    let (whole, frac) = (a / M2_PER_HA as u64, a % M2_PER_HA as u64);
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let f = format!("{frac:04}");
    format!("{sign}{whole}.{}", f.trim_end_matches('0'))
}

/// Checks an area's hectares: the forest area positive, the monitored part not more than it.
pub fn check_area_figures(errs: &mut Errors, area_ha: &str, covered_ha: &str) -> (i64, i64) {
    let area = errs.check("area_ha", parse_hectares("林区面积", area_ha));
    let covered = errs.check("covered_ha", parse_hectares("火险感知覆盖面积", covered_ha));
    if area == Some(0) {
        errs.add("area_ha", "林区面积应大于0公顷");
    }
    if let (Some(a), Some(c)) = (area, covered)
        && c > a
    {
        errs.add(
            "covered_ha",
            format!(
                "火险感知覆盖面积（{}公顷）不能大于林区面积（{}公顷）",
                hectares(c),
                hectares(a)
            ),
        );
    }
    (area.unwrap_or(0), covered.unwrap_or(0))
}

/// An indicator against its target, exact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ForestIndicator)]
pub struct Indicator {
    pub name: String,
    /// The value in its unit, as a decimal that never contradicts `met` (see [`ratio_text`]);
    /// None without any forest area.
    pub value: Option<String>,
    /// ‰ or %.
    pub unit: String,
    /// e.g. "≤ 0.3‰".
    pub target: String,
    pub met: Option<bool>,
    /// Numerator and denominator in hectares, exact.
    pub numerator_ha: String,
    pub denominator_ha: String,
}

/// `num / den × scale` as a decimal with `places` decimals, rounded half up — except where that
/// would read as the target (a value with at most `places` decimals, in units of 10^-places)
/// while the exact value is not: then it steps away from the target, so the text compares with
/// the target as the exact value does (a value just over 0.3‰ never reads "0.3").
pub fn ratio_text(num: i64, den: i64, scale: i64, places: u32, target_units: i128) -> String {
    let p = 10i128.pow(places);
    let n = i128::from(num) * i128::from(scale) * p;
    let d = i128::from(den.max(1));
    let (q, r) = (n / d, n % d);
    // q is floor (values are not negative). Round half up, unless that lands on the target while
    // the exact value is off it: then step away from the target, to the side the value is on.
    let half_up = if r * 2 >= d { q + 1 } else { q };
    let units = if r != 0 && half_up == target_units {
        if q >= target_units { q + 1 } else { q }
    } else {
        half_up
    };
    let whole = units / p;
    let frac = units % p;
    let text = format!("{whole}.{:0width$}", frac, width = places as usize);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// 森林火灾受害率: burnt forest area / forest area in ‰, target ≤ 0.3‰.
pub fn damage_rate(burnt_m2: i64, forest_m2: i64) -> Indicator {
    let has = forest_m2 > 0;
    Indicator {
        name: "森林火灾受害率".into(),
        // 0.3‰ = 3000 units of 10^-4.
        value: has.then(|| ratio_text(burnt_m2, forest_m2, 1000, 4, 3000)),
        unit: "‰".into(),
        target: "≤ 0.3‰".into(),
        met: has.then(|| i128::from(burnt_m2) * 10_000 <= i128::from(forest_m2) * 3),
        numerator_ha: hectares(burnt_m2),
        denominator_ha: hectares(forest_m2),
    }
}

/// 森林火险感知面积覆盖率: monitored area / forest area in %, target ≥ 55%.
pub fn coverage_rate(covered_m2: i64, forest_m2: i64) -> Indicator {
    let has = forest_m2 > 0;
    Indicator {
        name: "森林火险感知面积覆盖率".into(),
        // 55% = 550000 units of 10^-4.
        value: has.then(|| ratio_text(covered_m2, forest_m2, 100, 4, 550_000)),
        unit: "%".into(),
        target: "≥ 55%".into(),
        met: has.then(|| i128::from(covered_m2) * 100 >= i128::from(forest_m2) * 55),
        numerator_ha: hectares(covered_m2),
        denominator_ha: hectares(forest_m2),
    }
}

/// A forest area as entered (林区).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ForestAreaInput)]
pub struct AreaInput {
    pub name: String,
    /// The street (街道/乡镇) it lies in.
    pub street_code: String,
    /// GeoJSON Polygon or MultiPolygon.
    #[schema(value_type = Object)]
    pub outline: serde_json::Value,
    /// 林区面积 in hectares, exact decimal text, e.g. "1250.5".
    pub area_ha: String,
    /// 火险感知覆盖面积 (cameras, towers) in hectares; empty is 0.
    #[serde(default)]
    pub covered_ha: String,
}

/// A checked forest area.
#[derive(Debug, Clone)]
pub struct CheckedArea {
    pub name: String,
    pub street_code: String,
    /// MultiPolygon coordinates as stored.
    pub outline: String,
    pub area_m2: i64,
    pub covered_m2: i64,
}

/// A decimal text; empty is 0.
fn decimal_text(v: &str) -> &str {
    if v.trim().is_empty() { "0" } else { v }
}

/// Checks a forest area (the street is looked up by the caller: `street_known`).
pub fn check_area(input: &AreaInput, street_known: bool) -> Result<CheckedArea, Invalid> {
    let mut errs = Errors::default();
    let name = errs.check(
        "name",
        crate::kernel::validation::required_text("林区名称", &input.name, 100),
    );
    if !street_known {
        errs.add(
            "street_code",
            format!(
                "街道（乡镇）“{}”不存在或不在本辖区",
                input.street_code.trim()
            ),
        );
    }
    let outline = errs.check(
        "outline",
        crate::kernel::geo::parse_polygons(&input.outline).map_err(|m| format!("林区边界：{m}")),
    );
    let (area_m2, covered_m2) = check_area_figures(
        &mut errs,
        decimal_text(&input.area_ha),
        decimal_text(&input.covered_ha),
    );
    match (name, outline) {
        (Some(name), Some(outline)) if errs.is_empty() => Ok(CheckedArea {
            name,
            street_code: input.street_code.trim().into(),
            outline: serde_json::to_string(&outline).unwrap_or_default(),
            area_m2,
            covered_m2,
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// A day's level as entered.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ForestLevelInput)]
pub struct LevelInput {
    /// YYYY-MM-DD.
    pub day: String,
    /// 1 (一级) – 5 (五级).
    pub level: i64,
    #[serde(default)]
    pub note: Option<String>,
}

/// A checked level: (day, level, note). Days long past are refused (more than a year back).
pub fn check_level(
    input: &LevelInput,
    today: jiff::civil::Date,
) -> Result<(jiff::civil::Date, u8, Option<String>), Invalid> {
    let mut errs = Errors::default();
    let day = errs.check("day", parse_day("日期", &input.day));
    let level = errs.check("level", parse_level(input.level));
    let note = errs
        .check(
            "note",
            crate::kernel::validation::optional_text(
                "说明",
                input.note.as_deref().unwrap_or(""),
                500,
            ),
        )
        .flatten();
    if let Some(d) = day
        && (d < today.saturating_sub(jiff::Span::new().days(366))
            || d > today.saturating_add(jiff::Span::new().days(30)))
    {
        errs.add("day", "日期应在过去一年至未来30天之内");
    }
    match (day, level) {
        (Some(d), Some(l)) if errs.is_empty() => Ok((d, l, note)),
        _ => Err(errs.into_invalid()),
    }
}

/// Level entered (audit summary).
pub fn level_saved(district: &str, day: &str, level: u8) -> String {
    format!("{district} {day} 森林火险气象等级为{}", level_label(level))
}

/// Nobody but the forest authority, 局领导 and administrators keeps the forest registers.
pub const NOT_FOREST_STAFF: &str = "仅森林防火主管部门人员、局领导或系统管理员可操作";

/// A field error for a forest config under the district rules' `forest` key.
pub fn field(name: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(name, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hectares_are_exact() {
        assert_eq!(parse_hectares("x", "1234.5"), Ok(12_345_000));
        assert_eq!(parse_hectares("x", "0.0001"), Ok(1));
        assert!(parse_hectares("x", "-1").is_err());
        assert!(parse_hectares("x", "1.23456").is_err());
        assert!(parse_hectares("x", "1.").is_err());
        assert_eq!(hectares(12_345_000), "1234.5");
        assert_eq!(hectares(1), "0.0001");
    }

    #[test]
    fn season_wraps_the_new_year() {
        let c = ForestConfig::default();
        let d = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
        assert!(c.in_season(d("2026-03-15")));
        assert!(c.in_season(d("2026-12-01")));
        assert!(!c.in_season(d("2026-07-01")));
        assert_eq!(c.season_label(), "10月1日至次年4月30日");
    }

    #[test]
    fn rates_never_contradict_the_verdict() {
        // 0.30001‰ is over the target: it must not read 0.3.
        let r = damage_rate(30_001, 100_000_000);
        assert_eq!(r.met, Some(false));
        assert_eq!(r.value.as_deref(), Some("0.3001"));
        let ok = damage_rate(30_000, 100_000_000);
        assert_eq!((ok.met, ok.value.as_deref()), (Some(true), Some("0.3")));
        // 54.99999% is under 55%: it must not read 55.
        let c = coverage_rate(54_999_990, 100_000_000);
        assert_eq!(c.met, Some(false));
        assert_eq!(c.value.as_deref(), Some("54.9999"));
        let c = coverage_rate(1, 3);
        assert_eq!(c.value.as_deref(), Some("33.3333"));
        assert_eq!(coverage_rate(0, 0).value, None);
    }
}
