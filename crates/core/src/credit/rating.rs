//! The rating engine: `rate(scheme, facts, as_of)` scores an enterprise from the records of the
//! scheme's window ending on `as_of` (replayable: the same facts give the same rating of a past
//! day) and names, for every point taken or given, the record it comes from.

use super::facts::Facts;
use super::scheme::{CreditScheme, SCORE_MAX, SCORE_MIN};
use crate::kernel::clock::Date;
use crate::response::incident::Severity;
use jiff::ToSpan;
use serde::{Deserialize, Serialize};

/// Why the score moved: one record, its day, its words and its points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reason {
    /// The record's day, YYYY-MM-DD (empty for the base score).
    pub day: String,
    /// accident, penalty, major_hazard_overdue, refused_rectification, missed_commitment,
    /// standardisation, insurance, listing, adjustment or base.
    pub kind: String,
    /// The record's id (incident, case, hazard …).
    pub record_id: Option<String>,
    /// "2026-05-03 行政处罚决定 〔2026〕… 扣 10 分".
    pub text: String,
    pub points: i32,
}

/// An enterprise's rating as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub tier: String,
    pub score: i32,
    pub reasons: Vec<Reason>,
}

fn points_text(points: i32) -> String {
    if points < 0 {
        format!("扣 {} 分", -points)
    } else {
        format!("加 {points} 分")
    }
}

fn reason(day: Date, kind: &str, id: &str, what: String, points: i32) -> Reason {
    Reason {
        day: day.to_string(),
        kind: kind.into(),
        record_id: Some(id.to_string()),
        text: format!("{day} {what} {}", points_text(points)),
        points,
    }
}

/// The scheme's points for an accident of `severity`.
fn accident_points(scheme: &CreditScheme, s: Severity) -> i32 {
    let r = &scheme.rules;
    match s {
        Severity::General => r.accident_general,
        Severity::Larger => r.accident_larger,
        Severity::Major => r.accident_major,
        Severity::ExtraMajor => r.accident_extra_major,
    }
}

/// Rates the enterprise of `facts` under `scheme` as of `as_of`.
// Long because: one pass over every kind of record, each with its words, in the order read.
pub fn rate(scheme: &CreditScheme, facts: &Facts, as_of: Date) -> Rating {
    let r = &scheme.rules;
    let from = as_of
        .checked_sub(i64::from(r.window_months).months())
        .unwrap_or(Date::MIN);
    let within = |d: Date| from < d && d <= as_of;
    let mut reasons = Vec::new();
    for a in facts.accidents.iter().filter(|a| within(a.day)) {
        let what = format!("发生{}生产安全事故“{}”", a.severity.label(), a.title);
        let p = accident_points(scheme, a.severity);
        reasons.push(reason(a.day, "accident", &a.id, what, p));
    }
    for p in facts.penalties.iter().filter(|p| within(p.day)) {
        let what = match &p.number {
            Some(n) => format!("行政处罚决定 {n}（{}）", p.title),
            None => format!("行政处罚决定（{}）", p.title),
        };
        reasons.push(reason(
            p.day,
            "penalty",
            &p.case_id,
            what,
            r.penalty_decision,
        ));
    }
    let dated = [
        (
            "major_hazard_overdue",
            &facts.overdue_major_hazards,
            r.major_hazard_overdue,
        ),
        (
            "refused_rectification",
            &facts.refused_rectifications,
            r.refused_rectification,
        ),
        (
            "missed_commitment",
            &facts.missed_commitments,
            r.missed_commitment,
        ),
    ];
    for (kind, list, points) in dated {
        for f in list.iter().filter(|f| within(f.day)) {
            reasons.push(reason(f.day, kind, &f.id, f.text.clone(), points));
        }
    }
    if let Some(s) = facts
        .standardisations
        .iter()
        .filter(|s| s.covers(as_of) && (1..=3).contains(&s.grade))
        .min_by_key(|s| s.grade)
    {
        let p = [
            r.standardisation_1,
            r.standardisation_2,
            r.standardisation_3,
        ][usize::from(s.grade) - 1];
        let what = format!(
            "安全生产标准化{}级（有效期内）",
            ["一", "二", "三"][usize::from(s.grade) - 1]
        );
        reasons.push(reason(s.from, "standardisation", &s.id, what, p));
    }
    if let Some(i) = facts.insurance.iter().find(|i| i.covers(as_of)) {
        reasons.push(reason(
            i.from,
            "insurance",
            &i.id,
            "投保安全生产责任保险".into(),
            r.insured,
        ));
    }
    for a in facts.adjustments.iter().filter(|a| within(a.day)) {
        let what = format!("部门调整：{}", a.reason);
        reasons.push(reason(a.day, "adjustment", &a.id, what, a.points));
    }
    reasons.retain(|x| x.points != 0);
    reasons.sort_by(|a, b| a.day.cmp(&b.day).then(a.kind.cmp(&b.kind)));
    let raw: i32 = r.base_score + reasons.iter().map(|x| x.points).sum::<i32>();
    let score = raw.clamp(SCORE_MIN, SCORE_MAX);
    let listed = facts.listings.iter().find(|l| l.covers(as_of));
    let tier = match listed {
        Some(l) if r.listed_lowest_tier => {
            let lowest = scheme.lowest();
            reasons.push(Reason {
                day: l.from.to_string(),
                kind: "listing".into(),
                record_id: Some(l.id.clone()),
                text: format!("{} 列入安全生产严重失信主体名单 → {}", l.from, lowest.code),
                points: 0,
            });
            lowest.code.clone()
        }
        _ => scheme.tier_of(score).code.clone(),
    };
    reasons.insert(
        0,
        Reason {
            day: String::new(),
            kind: "base".into(),
            record_id: None,
            text: format!(
                "基础分 {} 分（评价周期 {} 个月）",
                r.base_score, r.window_months
            ),
            points: r.base_score,
        },
    );
    Rating {
        tier,
        score,
        reasons,
    }
}

/// The explanation of a change: "2026-05-03 行政处罚决定 〔2026〕… 扣 10 分 → C".
pub fn change_explanation(cause: &str, old: Option<&str>, new: &str) -> String {
    match old {
        Some(o) if o != new => format!("{cause}（{o} → {new}）"),
        Some(_) => format!("{cause}（仍为 {new}）"),
        None => format!("{cause}（首次评定为 {new}）"),
    }
}

/// The cause of a change that the last reason of a rating explains best: the newest record.
pub fn newest_reason(rating: &Rating) -> Option<&Reason> {
    rating
        .reasons
        .iter()
        .filter(|r| r.kind != "base")
        .max_by(|a, b| a.day.cmp(&b.day))
}

/// Who may adjust a rating or answer an objection: the bureau's leaders and department staff
/// (each within the enterprises they supervise), and the administrator.
pub fn may_adjust(role: crate::kernel::role::Role) -> bool {
    use crate::kernel::role::Role;
    matches!(role, Role::Admin | Role::Commander | Role::DepartmentStaff)
}

pub const NOT_AN_ADJUSTER: &str = "只有部门人员、局领导可以调整信用等级或答复异议";
pub const NOT_AN_OBJECTOR: &str = "只有企业用户可以对本企业的信用等级提出异议";
pub const OBJECTION_ANSWERED: &str = "该异议已答复，不能再次答复";

/// Checks a department adjustment: points in −100…100 (not 0) and a written reason.
pub fn check_adjustment(points: i32, reason: &str) -> Result<(), crate::Invalid> {
    let mut errs = crate::kernel::validation::Errors::default();
    if points == 0 || !(-100..=100).contains(&points) {
        errs.add("points", "调整分值应为 -100 至 100 之间的非零整数");
    }
    let n = reason.trim().chars().count();
    if !(5..=500).contains(&n) {
        errs.add("reason", "请填写调整理由（5 至 500 个字）");
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.into_invalid())
    }
}

/// The audit summary of an adjustment.
pub fn adjustment_summary(points: i32, reason: &str) -> String {
    format!("调整信用评分 {points:+} 分：{}", reason.trim())
}

/// The audit summary of an answer to an objection.
pub fn answer_summary(upheld: bool, answer: &str) -> String {
    let what = if upheld {
        "异议成立"
    } else {
        "异议不成立"
    };
    format!("答复信用异议：{what}，{}", answer.trim())
}

/// Checks an objection's text.
pub fn check_objection(text: &str) -> Result<(), crate::Invalid> {
    let n = text.trim().chars().count();
    if !(5..=1000).contains(&n) {
        return Err(crate::Invalid::one(
            "text",
            "请填写异议内容（5 至 1000 个字）",
        ));
    }
    Ok(())
}

/// Checks an answer: its text, and for an upheld objection the points that correct the rating.
pub fn check_answer(upheld: bool, answer: &str, points: Option<i32>) -> Result<(), crate::Invalid> {
    let mut errs = crate::kernel::validation::Errors::default();
    let n = answer.trim().chars().count();
    if !(2..=500).contains(&n) {
        errs.add("answer", "请填写答复意见（2 至 500 个字）");
    }
    match (upheld, points) {
        (true, Some(p)) if p != 0 && (-100..=100).contains(&p) => {}
        (true, _) => errs.add(
            "points",
            "异议成立时请填写调整分值（-100 至 100 之间的非零整数）",
        ),
        (false, Some(_)) => errs.add("points", "异议不成立时不调整分值"),
        (false, None) => {}
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.into_invalid())
    }
}

/// The reason code of the 重点检查 list that a tier's minimum puts an enterprise on:
/// `credit_tier:<code>:<times>`.
pub fn plan_reason(tier: &str, times: u32) -> String {
    format!("credit_tier:{tier}:{times}")
}

/// The least inspections a year of a `plan_reason` code (0 for other codes).
pub fn plan_minimum(reason: &str) -> u32 {
    reason
        .strip_prefix("credit_tier:")
        .and_then(|r| r.rsplit_once(':'))
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(0)
}

/// The words of a `plan_reason` code: 信用等级 D（每年至少检查 4 次）.
pub fn plan_reason_label(reason: &str) -> Option<String> {
    let rest = reason.strip_prefix("credit_tier:")?;
    let (tier, n) = rest.rsplit_once(':')?;
    Some(format!("信用等级 {tier}（每年至少检查 {n} 次）"))
}

/// Who the nightly refresh acts as.
pub const REFRESH_ACTOR: &str = "信用评定（每日重算）";

/// When the nightly refresh after `now_ms` runs: 02:00 Asia/Shanghai of the next day.
pub fn next_refresh_ms(now_ms: i64) -> i64 {
    let tomorrow_start =
        crate::prevention::hazard::overdue_from_ms(crate::kernel::clock::today(now_ms));
    tomorrow_start + 2 * 3_600_000
}

#[cfg(test)]
#[path = "rating_tests.rs"]
mod tests;
