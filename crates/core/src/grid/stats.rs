//! 网格事件统计 (issue 24 item 7): who may read the statistics and how far they reach, the days a
//! request asks for, the street filter, the on-time rules of 签收/处置/反馈, the rates as exact
//! fractions with a display percent that never rounds a verdict the wrong way, and the hot-spot
//! cells. See docs/grid/stats.md.

use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid};
use crate::prevention::hazard::start_of_day_ms;
use jiff::civil::Date;

/// Who may not read the statistics is told so.
pub const NOT_A_STATS_READER: &str =
    "网格事件统计仅供局领导、值班员、管理员、部门人员和街道/社区人员查看";

/// How far a reader's statistics reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The bureau (局领导, 值班员, 管理员): the district's events (the administrator: all).
    District,
    /// 街道/社区人员: the events lying in their area or sent to their street.
    Street,
    /// 部门人员: the events sent to their own department.
    Unit,
}

/// How far `role` reads; `None`: may not read (403).
pub fn reach(role: Role) -> Option<Reach> {
    match role {
        Role::Admin | Role::Commander | Role::DutyOfficer => Some(Reach::District),
        Role::StreetStaff => Some(Reach::Street),
        Role::DepartmentStaff => Some(Reach::Unit),
        _ => None,
    }
}

/// The longest span one request may cover, in days.
pub const MAX_DAYS: i64 = 731;
/// The span when none is given: the last 30 days up to today.
pub const DEFAULT_DAYS: i64 = 30;

/// The days asked for, both included (Asia/Shanghai).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: Date,
    pub to: Date,
}

impl Span {
    /// The instants `[from 00:00, the day after to 00:00)`.
    pub fn range_ms(&self) -> (i64, i64) {
        let end = self.to.tomorrow().unwrap_or(self.to);
        (start_of_day_ms(self.from), start_of_day_ms(end))
    }

    /// 2026-07-01 至 2026-07-31.
    pub fn label(&self) -> String {
        format!("{} 至 {}", self.from, self.to)
    }
}

fn day(errs: &mut Errors, field: &str, label: &str, raw: Option<&str>) -> Option<Option<Date>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(None),
        Some(s) => match s.parse::<Date>() {
            Ok(d) if s.len() == 10 => Some(Some(d)),
            _ => {
                errs.add(
                    field,
                    format!("{label}（{field}）“{s}”格式不正确，应为 2026-07-01 这样的日期"),
                );
                None
            }
        },
    }
}

/// Checks `from` and `to` (`YYYY-MM-DD`, both optional: `to` defaults to today, `from` to 29
/// days before `to`); `from` after `to` or a span beyond [`MAX_DAYS`] is refused on `to`.
pub fn parse_span(from: Option<&str>, to: Option<&str>, today: Date) -> Result<Span, Invalid> {
    let mut errs = Errors::default();
    let f = day(&mut errs, "from", "开始日期", from);
    let t = day(&mut errs, "to", "结束日期", to);
    let (Some(f), Some(t)) = (f, t) else {
        return Err(errs.into_invalid());
    };
    let to = t.unwrap_or(today);
    let from = f.unwrap_or_else(|| {
        to.checked_sub(jiff::Span::new().days(DEFAULT_DAYS - 1))
            .unwrap_or(to)
    });
    if to < from {
        return Err(Invalid::one("to", "结束日期（to）不能早于开始日期（from）"));
    }
    if (to - from).get_days() >= MAX_DAYS as i32 {
        return Err(Invalid::one(
            "to",
            format!("统计范围最长 {MAX_DAYS} 天，请缩短开始日期（from）至结束日期（to）"),
        ));
    }
    Ok(Span { from, to })
}

/// Checks the street filter: a 9-digit street code within the caller's region prefix (the
/// administrator's prefix is empty).
pub fn check_street(street: Option<&str>, prefix: &str) -> Result<Option<String>, Invalid> {
    let Some(s) = street.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if s.len() != 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::one(
            "street",
            format!("街道（street）“{s}”无效，应为 9 位街道区划代码"),
        ));
    }
    if !(s.starts_with(prefix) || prefix.starts_with(s)) {
        return Err(Invalid::one(
            "street",
            format!("街道（street）“{s}”不在您的管辖范围内"),
        ));
    }
    Ok(Some(s.to_string()))
}

/// A rate as an exact fraction: `part` of `whole`, and how it reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rate {
    /// On time (or 满意).
    pub part: i64,
    /// Judged: done, or open past the deadline (or 回访ed with a verdict).
    pub whole: i64,
}

impl Rate {
    pub fn add(&mut self, o: &Rate) {
        self.part += o.part;
        self.whole += o.whole;
    }

    /// [`percent`] of the fraction.
    pub fn percent(&self) -> String {
        percent(self.part, self.whole)
    }
}

/// `part/whole` as a percentage with one decimal, rounded **down**, so that 100.0% means every
/// one and a rate below a line never reads as reaching it; a non-zero part too small to show
/// reads `<0.1%` (never 0.0%). `—` for an empty whole.
pub fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "—".into();
    }
    let part = part.clamp(0, whole);
    let tenths = part * 1000 / whole;
    if tenths == 0 && part > 0 {
        return "<0.1%".into();
    }
    format!("{}.{}%", tenths / 10, tenths % 10)
}

/// What a line of the statistics adds up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Events filed (merged duplicates apart).
    pub events: i64,
    /// of which 已办结.
    pub closed: i64,
    /// 签收 by its deadline.
    pub accept: Rate,
    /// 处置 by its deadline.
    pub handle: Rate,
    /// 反馈 by its deadline.
    pub feedback: Rate,
    /// 满意 of those 回访ed with a verdict.
    pub satisfaction: Rate,
}

impl Tally {
    pub fn add(&mut self, o: &Tally) {
        self.events += o.events;
        self.closed += o.closed;
        self.accept.add(&o.accept);
        self.handle.add(&o.handle);
        self.feedback.add(&o.feedback);
        self.satisfaction.add(&o.satisfaction);
    }
}

/// The three deadlines an event runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Accept,
    Handle,
    Feedback,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Self::Accept, Self::Handle, Self::Feedback];
    pub fn label(self) -> &'static str {
        match self {
            Self::Accept => "签收",
            Self::Handle => "处置",
            Self::Feedback => "反馈",
        }
    }
}

/// Whether a stage was met: `None` not judged yet (open and not yet due, or no deadline),
/// `Some(true)` done by the deadline, `Some(false)` done late or open past the deadline.
pub fn on_time(done_ms: Option<i64>, due_ms: Option<i64>, now_ms: i64) -> Option<bool> {
    let due = due_ms?;
    match done_ms {
        Some(done) => Some(done <= due),
        None if due < now_ms => Some(false),
        None => None,
    }
}

/// 是 / 否 / empty (not judged yet), as the events sheet prints a stage.
pub fn on_time_label(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "按时",
        Some(false) => "超时",
        None => "",
    }
}

/// 满意 / 不满意 / empty.
pub fn satisfied_label(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "满意",
        Some(false) => "不满意",
        None => "",
    }
}

/// A hot spot's cell: 1/1000 of a degree (about 100 m north–south, 96 m east–west at 30°N).
pub const CELL_PER_DEGREE: i64 = 1000;
/// A place is a hot spot from this many events.
pub const MIN_REPEATS: i64 = 2;
/// The most hot spots answered.
pub const TOP_SPOTS: i64 = 20;

/// The name of the workbook the export downloads as.
pub fn export_file_name(span: &Span) -> String {
    format!("网格事件统计-{}至{}.xlsx", span.from, span.to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn percent_never_rounds_a_verdict_the_wrong_way() {
        assert_eq!(percent(1999, 2000), "99.9%");
        assert_eq!(percent(2000, 2000), "100.0%");
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(2, 3), "66.6%");
        assert_eq!(percent(1, 5000), "<0.1%");
        assert_eq!(percent(0, 5), "0.0%");
        assert_eq!(percent(0, 0), "—");
    }

    #[test]
    fn spans_are_checked_and_named() {
        let today = d("2026-07-31");
        let s = parse_span(None, None, today).unwrap();
        assert_eq!((s.from, s.to), (d("2026-07-02"), today));
        let s = parse_span(Some("2026-07-01"), Some("2026-07-01"), today).unwrap();
        let (a, b) = s.range_ms();
        assert_eq!(b - a, 86_400_000);
        for (f, t, field) in [
            (Some("2026-7-1"), None, "from"),
            (None, Some("x"), "to"),
            (Some("2026-07-02"), Some("2026-07-01"), "to"),
            (Some("2020-01-01"), Some("2026-07-01"), "to"),
        ] {
            let e = parse_span(f, t, today).unwrap_err();
            assert!(format!("{e:?}").contains(field), "{f:?} {t:?}: {e:?}");
        }
    }

    #[test]
    fn stages_are_judged() {
        assert_eq!(on_time(Some(10), Some(10), 50), Some(true));
        assert_eq!(on_time(Some(11), Some(10), 50), Some(false));
        assert_eq!(on_time(None, Some(10), 50), Some(false));
        assert_eq!(on_time(None, Some(60), 50), None);
        assert_eq!(on_time(Some(1), None, 50), None);
    }

    #[test]
    fn streets_are_checked() {
        assert_eq!(
            check_street(Some("360403001"), "360403").unwrap(),
            Some("360403001".into())
        );
        assert!(check_street(Some("36040300"), "360403").is_err());
        assert!(check_street(Some("360404001"), "360403").is_err());
        assert_eq!(check_street(Some(" "), "").unwrap(), None);
    }
}
