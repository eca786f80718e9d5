//! The district's 灾情 summary over years: the figures of each process's latest report (its 核报
//! once verified), per year of the process's start (Asia/Shanghai), per kind and per township,
//! with the loss against the district's GDP where the year's GDP is configured (浔阳 专栏1).
//! The store groups the rows; this module reads the query, draws the year boundaries and folds.

use crate::disasters::processes::{KINDS, kind_label};
use crate::disasters::reports_figures::{Figure, Figures, parse_count, parse_hundredths};
use crate::kernel::clock::today;
use crate::kernel::role::Scope;
use crate::kernel::validation::{Errors, Invalid};

pub const NOT_A_YEARBOOK_EDITOR: &str =
    "只有局领导和系统管理员可以修改年度统计（地区生产总值、常住人口）";

/// At most this many years in one summary.
pub const MAX_YEARS: i32 = 20;

/// A checked summary query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryQuery {
    pub from_year: i32,
    pub to_year: i32,
    pub kind: Option<String>,
}

fn year(label: &str, raw: Option<&str>, default: i32) -> Result<i32, String> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => match s.parse::<i32>() {
            Ok(y) if (1949..=2200).contains(&y) => Ok(y),
            _ => Err(format!("{label}“{s}”不是有效的年份，应为四位数字，如 2026")),
        },
    }
}

/// Reads the query: the years default to the ten years up to this one.
pub fn parse_query(
    from: Option<&str>,
    to: Option<&str>,
    kind: Option<&str>,
    now_ms: i64,
) -> Result<SummaryQuery, Invalid> {
    let this_year = i32::from(today(now_ms).year());
    let mut errs = Errors::default();
    let to_year = errs.check("to_year", year("截止年份", to, this_year));
    let from_year = errs.check(
        "from_year",
        year("起始年份", from, to_year.unwrap_or(this_year) - 9),
    );
    if let (Some(f), Some(t)) = (from_year, to_year) {
        if f > t {
            errs.add("from_year", format!("起始年份 {f} 晚于截止年份 {t}"));
        } else if t - f + 1 > MAX_YEARS {
            errs.add(
                "from_year",
                format!("一次最多汇总 {MAX_YEARS} 年，{f}—{t} 年共 {} 年", t - f + 1),
            );
        }
    }
    let kind = kind.map(str::trim).filter(|s| !s.is_empty());
    if let Some(k) = kind
        && !KINDS.iter().any(|x| x.0 == k)
    {
        errs.add("kind", format!("灾害种类“{k}”不在灾害种类表中"));
    }
    match (errs.is_empty(), from_year, to_year) {
        (true, Some(from_year), Some(to_year)) => Ok(SummaryQuery {
            from_year,
            to_year,
            kind: kind.map(str::to_string),
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// The township a caller's summary is limited to: a street's or a grid's staff read their
/// township's rows (and get no indicators: the yearbook is the district's); None for the
/// district's (or a wider area's) staff, who read the district totals.
pub fn township_of(scope: &Scope) -> Option<&str> {
    match scope {
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } if prefix.len() > 6 => {
            Some(prefix.as_str())
        }
        _ => None,
    }
}

/// The year (Asia/Shanghai) a process started in: the year its figures count for.
pub fn year_of(started_ms: i64) -> i64 {
    i64::from(today(started_ms).year())
}

/// One grouped line from the store: the processes of one year bucket and kind, and their
/// figures (the district's totals, or a street's rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearKindLine {
    /// The year's index in the span (0: the first year).
    pub bucket: usize,
    pub kind: String,
    pub processes: i64,
    pub figures: Figures,
}

/// One grouped line from the store: a township's figures over the span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TownshipLine {
    pub region_code: String,
    pub region_name: String,
    /// Processes with a row for this township.
    pub processes: i64,
    pub figures: Figures,
}

/// A line of the summary: a key, its label, the processes and the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub key: String,
    pub label: String,
    pub processes: i64,
    pub figures: Figures,
}

/// The folded summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub query: SummaryQuery,
    pub total: Line,
    /// Every year of the span, in order, including years without a process.
    pub by_year: Vec<Line>,
    /// The kinds with a process, in the order of the kinds table.
    pub by_kind: Vec<Line>,
    /// The townships with figures, the most affected people first.
    pub by_township: Vec<Line>,
}

fn add(into: &mut Figures, f: &Figures) {
    *into = Figures::sum([&*into, f]);
}

fn line(key: String, label: String) -> Line {
    Line {
        key,
        label,
        processes: 0,
        figures: Figures::default(),
    }
}

/// Folds the store's grouped lines into the summary.
pub fn fold(q: &SummaryQuery, year_kinds: &[YearKindLine], townships: &[TownshipLine]) -> Summary {
    let mut total = line("total".into(), "合计".into());
    let mut by_year: Vec<Line> = (q.from_year..=q.to_year)
        .map(|y| line(y.to_string(), format!("{y}年")))
        .collect();
    let mut by_kind: Vec<Line> = KINDS.iter().map(|k| line(k.0.into(), k.1.into())).collect();
    for c in year_kinds {
        total.processes += c.processes;
        add(&mut total.figures, &c.figures);
        if let Some(y) = by_year.get_mut(c.bucket) {
            y.processes += c.processes;
            add(&mut y.figures, &c.figures);
        }
        if let Some(k) = by_kind.iter_mut().find(|k| k.key == c.kind) {
            k.processes += c.processes;
            add(&mut k.figures, &c.figures);
        }
    }
    by_kind.retain(|k| k.processes > 0);
    let mut by_township: Vec<Line> = townships
        .iter()
        .map(|t| Line {
            key: t.region_code.clone(),
            label: t.region_name.clone(),
            processes: t.processes,
            figures: t.figures,
        })
        .collect();
    by_township.sort_by(|a, b| {
        b.figures
            .get(Figure::AffectedPeople)
            .cmp(&a.figures.get(Figure::AffectedPeople))
            .then_with(|| a.key.cmp(&b.key))
    });
    Summary {
        query: q.clone(),
        total,
        by_year,
        by_kind,
        by_township,
    }
}

/// `num / den × scale` shown with three decimals, rounded down so the text never contradicts a
/// `<` verdict against a target with at most three decimals; a positive value below 0.001 shows
/// as "<0.001". `None` without a denominator.
pub fn ratio_text(num: i128, den: i128, scale: i128) -> Option<String> {
    if den <= 0 || num < 0 {
        return None;
    }
    let thousandths = num * scale * 1000 / den;
    if thousandths == 0 && num > 0 {
        return Some("<0.001".into());
    }
    Some(format!("{}.{:03}", thousandths / 1000, thousandths % 1000))
}

/// One of the plan's 防灾减灾 indicators over the years of the span that have yearbook figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub key: &'static str,
    pub label: &'static str,
    /// The value as shown (see [`ratio_text`]) with its unit, or None without yearbook figures.
    pub value: Option<String>,
    /// The plan's target, e.g. "<1%".
    pub target: &'static str,
    pub met: Option<bool>,
    /// The years of the span that have yearbook figures.
    pub years: Vec<i32>,
}

/// The district's GDP (hundredths of 万元) and resident population of one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearFigures {
    pub year: i32,
    pub gdp_hundredths: i64,
    pub population: i64,
}

/// The three indicators of 浔阳 专栏1 (the plan's targets as the defaults): 年均因自然灾害直接经济
/// 损失占地区生产总值比例 < 1%, 年均每百万人口因自然灾害死亡率 < 1, 年均每十万人受灾人次 < 15000.
/// Each averages over the span's years with yearbook figures: the years' sum over the years' sum.
pub fn indicators(s: &Summary, book: &[YearFigures]) -> Vec<Indicator> {
    let (mut loss, mut gdp, mut dm, mut affected, mut pop) = (0i128, 0i128, 0i128, 0i128, 0i128);
    let mut years = Vec::new();
    for (i, y) in (s.query.from_year..=s.query.to_year).enumerate() {
        let (Some(b), Some(line)) = (book.iter().find(|b| b.year == y), s.by_year.get(i)) else {
            continue;
        };
        years.push(y);
        loss += i128::from(line.figures.get(Figure::Loss));
        gdp += i128::from(b.gdp_hundredths);
        dm += i128::from(line.figures.deaths_and_missing());
        affected += i128::from(line.figures.get(Figure::AffectedPeople));
        pop += i128::from(b.population);
    }
    let one = |key, label, num: i128, den: i128, scale: i128, unit: &str, target, limit: i128| {
        // met: num × scale < limit × den (exact), the value below `limit` in the unit.
        let value = ratio_text(num, den, scale).map(|v| format!("{v}{unit}"));
        Indicator {
            key,
            label,
            met: (den > 0).then(|| num * scale < limit * den),
            value,
            target,
            years: years.clone(),
        }
    };
    vec![
        one(
            "loss_share",
            "年均因自然灾害直接经济损失占地区生产总值比例",
            loss,
            gdp,
            100,
            "%",
            "<1%",
            1,
        ),
        one(
            "deaths_per_million",
            "年均每百万人口因自然灾害死亡率",
            dm,
            pop,
            1_000_000,
            "",
            "<1",
            1,
        ),
        one(
            "affected_per_100k",
            "年均每十万人受灾人次",
            affected,
            pop,
            100_000,
            "",
            "<15000",
            15_000,
        ),
    ]
}

/// One yearbook line as written: year, GDP (万元, two decimals at most), resident population.
#[derive(Debug, Clone, Default)]
pub struct YearbookInput {
    pub year: String,
    pub gdp_wan_yuan: String,
    pub population: String,
}

/// Checks the yearbook lines: (year, GDP in hundredths of 万元, population), each year once,
/// GDP and population above zero; errors name the line (`years[i].field`, 第 i+1 行).
pub fn parse_yearbook(lines: &[YearbookInput]) -> Result<Vec<(i64, i64, i64)>, Invalid> {
    let mut errs = Errors::default();
    let mut out: Vec<(i64, i64, i64)> = Vec::new();
    let mut seen: Vec<i64> = Vec::new();
    if lines.len() > 200 {
        errs.add("years", "年度统计最多 200 行");
        return Err(errs.into_invalid());
    }
    for (i, l) in lines.iter().enumerate() {
        let row = format!("第 {} 行", i + 1);
        let y = errs.check(
            &format!("years[{i}].year"),
            year(&format!("{row}年份"), Some(&l.year), 0).and_then(|y| match y {
                0 => Err(format!("{row}年份不能为空")),
                y => Ok(i64::from(y)),
            }),
        );
        if let Some(y) = y {
            if seen.contains(&y) {
                errs.add(&format!("years[{i}].year"), format!("{row}年份 {y} 重复"));
            }
            seen.push(y);
        }
        let positive = |r: Result<i64, String>, what: &str| {
            r.and_then(|v| {
                if v > 0 {
                    Ok(v)
                } else {
                    Err(format!("{row}{what}应大于 0"))
                }
            })
        };
        let gdp = errs.check(
            &format!("years[{i}].gdp_wan_yuan"),
            positive(
                parse_hundredths(&format!("{row}地区生产总值（万元）"), &l.gdp_wan_yuan),
                "地区生产总值",
            ),
        );
        let pop = errs.check(
            &format!("years[{i}].population"),
            positive(
                parse_count(&format!("{row}常住人口（人）"), &l.population),
                "常住人口",
            ),
        );
        if let (Some(y), Some(g), Some(p)) = (y, gdp, pop) {
            out.push((y, g, p));
        }
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    out.sort_unstable();
    Ok(out)
}

/// The kind's label, or the raw key for a kind no longer in the table.
pub fn label_of_kind(kind: &str) -> String {
    match kind_label(kind) {
        "" => kind.to_string(),
        l => l.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_796_000_000_000; // 2026-12

    #[test]
    fn query_defaults_and_refusals() {
        let q = parse_query(None, None, None, NOW).unwrap();
        assert_eq!((q.from_year, q.to_year), (2017, 2026));
        let e = parse_query(Some("2026"), Some("2020"), Some("meteor"), NOW).unwrap_err();
        let s = e.summary();
        assert!(s.contains("起始年份 2026 晚于截止年份 2020"), "{s}");
        assert!(s.contains("灾害种类“meteor”"), "{s}");
        let e = parse_query(Some("2000"), Some("2026"), None, NOW).unwrap_err();
        assert!(e.summary().contains("一次最多汇总 20 年"));
        assert!(parse_query(Some("二〇二六"), None, None, NOW).is_err());
    }

    #[test]
    fn a_process_counts_for_its_shanghai_year() {
        // 2024-12-31T16:30Z is 2025-01-01 00:30 in Shanghai.
        assert_eq!(year_of(1_735_662_600_000), 2025);
        assert_eq!(year_of(1_735_660_799_000), 2024);
    }

    #[test]
    fn folds_years_kinds_and_townships() {
        let q = parse_query(Some("2025"), Some("2026"), None, NOW).unwrap();
        let mut f = Figures::default();
        f.0[Figure::AffectedPeople.index()] = 100;
        f.0[Figure::Loss.index()] = 12_345;
        let yk = |bucket, kind: &str| YearKindLine {
            bucket,
            kind: kind.into(),
            processes: 1,
            figures: f,
        };
        let t = |code: &str, n| TownshipLine {
            region_code: code.into(),
            region_name: format!("镇{code}"),
            processes: n,
            figures: Figures::sum([&f; 1]),
        };
        let s = fold(
            &q,
            &[yk(1, "flood"), yk(1, "flood"), yk(1, "drought")],
            &[t("b", 1), t("a", 2)],
        );
        assert_eq!(s.total.processes, 3);
        assert_eq!(s.total.figures.get(Figure::AffectedPeople), 300);
        assert_eq!(s.by_year.len(), 2);
        assert_eq!(s.by_year[0].processes, 0);
        assert_eq!(s.by_year[1].figures.get(Figure::Loss), 37_035);
        assert_eq!(s.by_kind.len(), 2);
        assert_eq!(s.by_kind[0].label, "洪涝");
        assert_eq!(s.by_township[0].key, "a", "ties by code");
    }

    #[test]
    fn indicators_never_round_against_the_verdict() {
        assert_eq!(
            ratio_text(123_456, 500_000_000, 100).as_deref(),
            Some("0.024")
        );
        assert_eq!(ratio_text(1, 500_000_000, 100).as_deref(), Some("<0.001"));
        assert_eq!(ratio_text(0, 5, 100).as_deref(), Some("0.000"));
        assert_eq!(ratio_text(1, 0, 100), None);
        // 0.99999 % shows 0.999 %, below the target as the verdict says.
        assert_eq!(
            ratio_text(99_999, 10_000_000, 100).as_deref(),
            Some("0.999")
        );
        let q = parse_query(Some("2025"), Some("2026"), None, NOW).unwrap();
        let mut f = Figures::default();
        f.0[Figure::Loss.index()] = 99_999; // 999.99 万元
        f.0[Figure::Deaths.index()] = 1;
        f.0[Figure::AffectedPeople.index()] = 150_000;
        let row = YearKindLine {
            bucket: 1,
            kind: "flood".into(),
            processes: 1,
            figures: f,
        };
        let s = fold(&q, &[row], &[]);
        let book = [YearFigures {
            year: 2026,
            gdp_hundredths: 10_000_000,
            population: 1_000_000,
        }];
        let ind = indicators(&s, &book);
        assert_eq!(ind[0].value.as_deref(), Some("0.999%"));
        assert_eq!(ind[0].met, Some(true));
        assert_eq!(ind[1].value.as_deref(), Some("1.000"));
        assert_eq!(ind[1].met, Some(false));
        assert_eq!(ind[2].value.as_deref(), Some("15000.000"));
        assert_eq!(ind[2].met, Some(false));
        assert_eq!(ind[0].years, vec![2026]);
        assert_eq!(indicators(&s, &[])[0].met, None);
    }

    #[test]
    fn yearbook_lines_name_their_row() {
        let l = |y: &str, g: &str, p: &str| YearbookInput {
            year: y.into(),
            gdp_wan_yuan: g.into(),
            population: p.into(),
        };
        let ok = parse_yearbook(&[
            l("2026", "5000000.5", "420000"),
            l("2025", "4800000", "418000"),
        ])
        .unwrap();
        assert_eq!(ok[0], (2025, 480_000_000, 418_000));
        let e = parse_yearbook(&[l("2026", "-1", "0"), l("2026", "1.234", "3.5")]).unwrap_err();
        let s = e.summary();
        assert!(s.contains("第 1 行地区生产总值（万元）不能为负数"), "{s}");
        assert!(s.contains("第 1 行常住人口应大于 0"), "{s}");
        assert!(s.contains("第 2 行年份 2026 重复"), "{s}");
        assert!(s.contains("第 2 行常住人口（人）应为非负整数"), "{s}");
    }
}
