//! The rules around the reports (disasters.md §1, §5 R01–R04): when the next report is due and
//! whether one came late; a jump between consecutive reports that needs a written explanation;
//! the 10 dead and missing that tell the higher levels at once; the figures a response plan's
//! triggers read.

use crate::disasters::processes::Status;
use crate::disasters::reports::ReportKind;
use crate::disasters::reports_figures::{FIGURES, Figure, Figures, show};
use crate::kernel::clock::shanghai;
use crate::response::incident::Casualties;
use crate::response::plan::TriggerFacts;
use jiff::civil::Date;

/// 初报 within 2 hours of the disaster [V].
pub const INITIAL_WITHIN_MS: i64 = 2 * 3_600_000;
/// 续报 at least every 7 days while the disaster goes on [M].
pub const UPDATE_EVERY_DAYS: i64 = 7;
/// A major disaster: a daily 续报 [M].
pub const UPDATE_EVERY_DAYS_MAJOR: i64 = 1;
/// 核报 within 5 days after the disaster is stable [M].
pub const FINAL_WITHIN_DAYS: i64 = 5;
/// 10 or more dead (incl. missing): the higher levels are told at once [V, 2008 version].
pub const HIGHER_LEVELS_AT: i64 = 10;

/// What the deadlines need to know of a process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub started_ms: i64,
    pub status: Status,
    pub stable_ms: Option<i64>,
    pub major: bool,
    /// The last report's kind and when it was filed.
    pub last: Option<(ReportKind, i64)>,
}

/// The next report due: its kind and the instant after which it is late. 初报 is due to the
/// minute; 续报 and 核报 by the end of their day (Asia/Shanghai).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub kind: ReportKind,
    pub due_ms: i64,
    /// The due day (YYYY-MM-DD) for 续报/核报; None for the 初报 (due to the minute).
    pub due_day: Option<Date>,
}

fn day_of(ms: i64) -> Date {
    crate::kernel::clock::today(ms)
}

/// The first instant after `day` (Asia/Shanghai).
pub fn day_end_ms(day: Date) -> i64 {
    day.tomorrow()
        .ok()
        .and_then(|d| d.to_zoned_datetime(shanghai()).ok())
        .map_or(0, |z| z.timestamp().as_millisecond())
}

fn plus_days(day: Date, n: i64) -> Date {
    day.checked_add(jiff::Span::new().days(n)).unwrap_or(day)
}

/// R01–R03: 初报 2 hours after the start; then a 续报 7 days (1 day when major) after the last
/// report while ongoing; once stable, the 核报 5 days after the stable day; nothing once 核报'd.
pub fn next_due(f: &Facts) -> Option<Due> {
    let Some((_, last_ms)) = f.last else {
        return Some(Due {
            kind: ReportKind::Initial,
            due_ms: f.started_ms + INITIAL_WITHIN_MS,
            due_day: None,
        });
    };
    let by_day = |kind, day: Date| Due {
        kind,
        due_ms: day_end_ms(day),
        due_day: Some(day),
    };
    match f.status {
        Status::Verified => None,
        Status::Stable => {
            let stable = day_of(f.stable_ms.unwrap_or(last_ms));
            Some(by_day(
                ReportKind::Final,
                plus_days(stable, FINAL_WITHIN_DAYS),
            ))
        }
        Status::Ongoing => {
            let every = if f.major {
                UPDATE_EVERY_DAYS_MAJOR
            } else {
                UPDATE_EVERY_DAYS
            };
            Some(by_day(
                ReportKind::Update,
                plus_days(day_of(last_ms), every),
            ))
        }
    }
}

/// Whether a report filed at `filed_ms` is late for `due` (a report of another kind than the
/// one due answers no deadline): "迟报 5 分钟", "迟报 1 天".
pub fn lateness(due: Option<&Due>, kind: ReportKind, filed_ms: i64) -> Option<String> {
    let due = due.filter(|d| d.kind == kind)?;
    // 初报 at 16:00 sharp is on time; a day's deadline ends at the next midnight.
    let on_time = match due.due_day {
        None => filed_ms <= due.due_ms,
        Some(_) => filed_ms < due.due_ms,
    };
    if on_time {
        return None;
    }
    Some(match due.due_day {
        None => {
            let minutes = (filed_ms - due.due_ms + 59_999) / 60_000;
            if minutes < 60 {
                format!("迟报 {minutes} 分钟")
            } else {
                format!("迟报 {} 小时 {} 分钟", minutes / 60, minutes % 60)
            }
        }
        Some(day) => {
            let days = (day_of(filed_ms) - day).get_days();
            format!("迟报 {days} 天")
        }
    })
}

/// How a jump between reports is judged: a change of more than `ratio_pct` percent and at
/// least `min` persons/households [I: 50 % and 10 by default, district configuration].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JumpRule {
    pub ratio_pct: i64,
    pub min: i64,
}

impl Default for JumpRule {
    fn default() -> Self {
        Self {
            ratio_pct: 50,
            min: 10,
        }
    }
}

impl JumpRule {
    pub fn is_jump(self, before: i64, after: i64) -> bool {
        let d = (after - before).abs();
        d >= self.min && d.saturating_mul(100) > self.ratio_pct.saturating_mul(before)
    }
}

/// The main figures that jumped between the previous report and this one, for each township
/// in both: (field path `rows[i].key`, message naming the township).
pub fn jumps(
    rule: JumpRule,
    previous: &[(String, Figures)],
    rows: &[(String, String, Figures)],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, (code, name, now)) in rows.iter().enumerate() {
        let Some((_, before)) = previous.iter().find(|p| &p.0 == code) else {
            continue;
        };
        for d in FIGURES.iter().filter(|d| d.main) {
            let (b, a) = (before.get(d.figure), now.get(d.figure));
            if rule.is_jump(b, a) {
                out.push((
                    format!("rows[{i}].{}", d.key),
                    format!(
                        "第{}行{name}的{}由{}变为{}（变化超过{}%且不少于{}），请填写变化说明",
                        i + 1,
                        d.label,
                        show(d.figure, b),
                        show(d.figure, a),
                        rule.ratio_pct,
                        rule.min
                    ),
                ));
            }
        }
    }
    out
}

/// R04: the report whose 死亡+失踪 first reaches 10 tells the higher levels at once.
pub fn tells_higher_levels(previous: Option<&Figures>, now: &Figures) -> bool {
    now.deaths_and_missing() >= HIGHER_LEVELS_AT
        && previous.is_none_or(|p| p.deaths_and_missing() < HIGHER_LEVELS_AT)
}

/// The facts a response plan's triggers read from the district totals: 死亡, 失踪, 疏散 =
/// 紧急转移安置 + 需紧急生活救助 (the national table's metric), 倒损房屋 = 倒塌 + 严重损坏 (间, 户).
pub fn trigger_facts(t: &Figures) -> TriggerFacts {
    TriggerFacts {
        casualties: Casualties {
            deaths: t.get(Figure::Deaths),
            missing: t.get(Figure::Missing),
            evacuated: t.get(Figure::Relocated) + t.get(Figure::NeedRelief),
            ..Casualties::default()
        },
        severity: None,
        houses_rooms: t.get(Figure::CollapsedRooms) + t.get(Figure::SevereRooms),
        houses_households: t.get(Figure::CollapsedHouseholds) + t.get(Figure::SevereHouseholds),
    }
}

/// An incident's own facts merged with its disaster process's: each figure the larger.
pub fn merge_facts(own: TriggerFacts, process: &TriggerFacts) -> TriggerFacts {
    let (a, b) = (own.casualties, process.casualties);
    TriggerFacts {
        casualties: Casualties {
            deaths: a.deaths.max(b.deaths),
            missing: a.missing.max(b.missing),
            evacuated: a.evacuated.max(b.evacuated),
            ..a
        },
        severity: own.severity,
        houses_rooms: own.houses_rooms.max(process.houses_rooms),
        houses_households: own.houses_households.max(process.houses_households),
    }
}

/// The wording of a missed deadline.
pub fn overdue_message(process: &str, due: &Due) -> (String, String) {
    let when = match due.due_day {
        Some(d) => d.to_string(),
        None => crate::kernel::clock::to_rfc3339(due.due_ms)
            .get(..16)
            .unwrap_or_default()
            .replace('T', " "),
    };
    (
        format!("灾情{}逾期：{process}", due.kind.label()),
        format!(
            "灾害过程“{process}”的{}应于{when}前报送，至今未报，请立即报送。",
            due.kind.label()
        ),
    )
}

/// The wording of R04's message to the higher levels.
pub fn higher_levels_message(
    district: &str,
    process: &str,
    kind: ReportKind,
    t: &Figures,
) -> (String, String) {
    (
        format!(
            "{district}灾情速报：{process}因灾死亡失踪{}人",
            t.deaths_and_missing()
        ),
        format!(
            "{district}“{process}”{}：因灾死亡{}人、失踪{}人，受灾人口{}人，紧急转移安置{}人。按《自然灾害情况统计调查制度》同时报告。",
            kind.label(),
            t.get(Figure::Deaths),
            t.get(Figure::Missing),
            t.get(Figure::AffectedPeople),
            t.get(Figure::Relocated)
        ),
    )
}

pub fn report_summary(process: &str, kind: ReportKind, late: Option<&str>) -> String {
    match late {
        Some(l) => format!("报送灾害过程“{process}”的{}（{l}）", kind.label()),
        None => format!("报送灾害过程“{process}”的{}", kind.label()),
    }
}
