//! Public disclosure: the 重大安全风险 a department decides to publish (title, place, what the
//! public should do, the period), checked here; the public page shows those in their period and
//! the 严重失信主体 within their management period.

use crate::Invalid;
use crate::kernel::validation::{Errors, required_text};
use jiff::civil::Date;

pub const RISK_NOT_FOUND: &str = "公开的重大安全风险不存在或不在您的管辖范围内";

/// A risk to publish, as the API takes it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RiskInput {
    pub title: String,
    pub place: String,
    pub advice: String,
    pub from_day: String,
    pub until_day: String,
    pub department_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRisk {
    pub title: String,
    pub place: String,
    pub advice: String,
    pub from_day: Date,
    pub until_day: Date,
}

fn day(errors: &mut Errors, field: &str, label: &str, v: &str) -> Option<Date> {
    let v = v.trim();
    let parsed = v.parse::<Date>().ok().filter(|_| v.len() == 10);
    errors.check(field, parsed.ok_or(format!("{label}格式应为 YYYY-MM-DD")))
}

/// Checks a risk to publish: every field, and the period (until not before from, at most 3 years).
pub fn check_risk(input: &RiskInput) -> Result<CheckedRisk, Invalid> {
    let mut e = Errors::default();
    let title = e.check("title", required_text("风险名称", &input.title, 100));
    let place = e.check("place", required_text("风险所在位置", &input.place, 200));
    let advice = e.check(
        "advice",
        required_text("公众防范应对措施", &input.advice, 1000),
    );
    let from = day(&mut e, "from_day", "公开开始日期", &input.from_day);
    let until = day(&mut e, "until_day", "公开截止日期", &input.until_day);
    if let (Some(f), Some(u)) = (from, until) {
        if u < f {
            e.add("until_day", "公开截止日期不能早于开始日期");
        } else if (u - f).get_days() > 366 * 3 || f.until(u).is_err() {
            e.add("until_day", "公开期限最长三年");
        }
    }
    match (title, place, advice, from, until) {
        (Some(title), Some(place), Some(advice), Some(from_day), Some(until_day))
            if e.is_empty() =>
        {
            Ok(CheckedRisk {
                title,
                place,
                advice,
                from_day,
                until_day,
            })
        }
        _ => Err(e.into_invalid()),
    }
}

/// A published risk shows on the public page from its first to its last day.
pub fn risk_shown(from_day: Date, until_day: Date, today: Date) -> bool {
    from_day <= today && today <= until_day
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_risk_is_checked_field_by_field() {
        let e = check_risk(&RiskInput {
            from_day: "2025-05-01".into(),
            until_day: "2025-04-01".into(),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["title", "place", "advice", "until_day"]);
        let ok = check_risk(&RiskInput {
            title: "化工园区液氯储罐区".into(),
            place: "XX路1号".into(),
            advice: "闻到刺激性气味向上风向撤离".into(),
            from_day: "2025-05-01".into(),
            until_day: "2025-12-31".into(),
            department_id: None,
        })
        .unwrap();
        assert!(risk_shown(
            ok.from_day,
            ok.until_day,
            "2025-12-31".parse().unwrap()
        ));
        assert!(!risk_shown(
            ok.from_day,
            ok.until_day,
            "2026-01-01".parse().unwrap()
        ));
    }
}
