//! 野外用火审批: an application from the public (no login) for one or more days, decided by the
//! forest authority, and suspended when the day's 森林火险等级 reaches the stop level (R05).
//! The rules here are pure: the checks of the public form, the decision, the wording of the
//! messages the applicant is sent.

use super::forest::{ForestConfig, level_label, parse_day};
use crate::kernel::validation::{Errors, Invalid, optional_text, phone, required_text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// 用火目的.
pub const PURPOSES: &[(&str, &str)] = &[
    ("burning", "烧荒"),
    ("farming", "农事用火"),
    ("worship", "祭祀"),
    ("construction", "施工"),
    ("other", "其他"),
];

/// The longest an application may run.
pub const MAX_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = FireUseStatus)]
pub enum Status {
    Pending,
    Approved,
    Refused,
    /// Approved, then stopped because a day's level reached the stop level.
    Suspended,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Self::Pending,
        Self::Approved,
        Self::Refused,
        Self::Suspended,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Refused => "refused",
            Self::Suspended => "suspended",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "待审批",
            Self::Approved => "已批准",
            Self::Refused => "不予批准",
            Self::Suspended => "已暂停（火险等级过高）",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// The public form.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FireUseInput)]
pub struct ApplicationInput {
    pub applicant_name: String,
    /// A mobile number (the decision is texted to it) or a fixed line.
    pub applicant_phone: String,
    /// The forest area (林区) of the fire, or a point (`lon`, `lat`) with `place`.
    #[serde(default)]
    pub area_id: Option<String>,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// 用火地点 in words.
    #[serde(default)]
    pub place: String,
    /// First day, YYYY-MM-DD.
    pub day_from: String,
    /// Last day (default: the first), at most [`MAX_DAYS`] days in all.
    #[serde(default)]
    pub day_to: Option<String>,
    /// See [`PURPOSES`].
    pub purpose: String,
    /// 防火措施 (隔离带, 扑火工具, 看守人员 …).
    pub measures: String,
}

/// A checked application.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub applicant_name: String,
    pub applicant_phone: String,
    pub area_id: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub place: String,
    pub day_from: Date,
    pub day_to: Date,
    pub purpose: String,
    pub measures: String,
}

pub fn purpose_label(code: &str) -> &'static str {
    PURPOSES
        .iter()
        .find(|p| p.0 == code)
        .map(|p| p.1)
        .unwrap_or("")
}

/// The days of the application, first to last.
pub fn days(from: Date, to: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = from;
    while d <= to && out.len() <= MAX_DAYS as usize {
        out.push(d);
        d = d.tomorrow().unwrap_or(d);
        if out.last() == Some(&d) {
            break;
        }
    }
    out
}

/// Checks the public form against today (Asia/Shanghai) and the district's configuration; the
/// area named is looked up by the caller (`area_known`: None when no area was named).
// Long because: one check per field of the form, each with its own message.
pub fn check(
    input: &ApplicationInput,
    today: Date,
    config: &ForestConfig,
    area_known: Option<bool>,
) -> Result<Checked, Invalid> {
    let mut errs = Errors::default();
    let name = errs.check(
        "applicant_name",
        required_text("申请人姓名", &input.applicant_name, 50),
    );
    let tel = match phone("联系电话", &input.applicant_phone) {
        Ok(Some(t)) => Some(t),
        Ok(None) => {
            errs.add("applicant_phone", "请填写联系电话");
            None
        }
        Err(m) => {
            errs.add("applicant_phone", m);
            None
        }
    };
    let place = errs
        .check("place", optional_text("用火地点", &input.place, 200))
        .map(Option::unwrap_or_default);
    match (area_known, input.lon, input.lat) {
        (Some(false), _, _) => errs.add("area_id", "所选林区不存在"),
        (None, Some(_), Some(_)) => {
            crate::kernel::validation::coordinates(&mut errs, input.lon, input.lat)
        }
        (None, _, _) => errs.add("area_id", "请选择林区或在地图上标出用火地点"),
        _ => {}
    }
    let from = errs.check("day_from", parse_day("用火日期", &input.day_from));
    let to = match input.day_to.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => errs.check("day_to", parse_day("用火截止日期", s)),
        None => from,
    };
    if let Some(f) = from
        && f < today
    {
        errs.add(
            "day_from",
            format!("用火日期 {f} 已过（今天是 {today}），请选择今天或以后的日期"),
        );
    }
    if let (Some(f), Some(t)) = (from, to) {
        let span = (t - f).get_days();
        if t < f {
            errs.add("day_to", "用火截止日期不能早于开始日期");
        } else if i64::from(span) >= MAX_DAYS {
            errs.add("day_to", format!("一次申请最多 {MAX_DAYS} 天，请分次申请"));
        } else if config.season_only
            && let Some(out) = days(f, t).into_iter().find(|d| !config.in_season(*d))
        {
            errs.add(
                "day_from",
                format!(
                    "{out} 不在森林防火期（{}）内，防火期外野外用火无需审批",
                    config.season_label()
                ),
            );
        }
    }
    if purpose_label(&input.purpose).is_empty() {
        errs.add(
            "purpose",
            format!(
                "用火目的“{}”无效，应为烧荒、农事用火、祭祀、施工或其他",
                input.purpose
            ),
        );
    }
    let measures = errs.check("measures", required_text("防火措施", &input.measures, 1000));
    match (name, tel, place, from, to, measures) {
        (Some(n), Some(t), Some(p), Some(f), Some(to), Some(m)) if errs.is_empty() => Ok(Checked {
            applicant_name: n,
            applicant_phone: t,
            area_id: input.area_id.clone().filter(|a| !a.trim().is_empty()),
            lon: input.lon,
            lat: input.lat,
            place: p,
            day_from: f,
            day_to: to,
            purpose: input.purpose.clone(),
            measures: m,
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// The authority's decision.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FireUseDecisionInput)]
pub struct DecisionInput {
    pub approve: bool,
    /// Required when refusing; shown to the applicant.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A day of the application whose level stops fire use: (day, level).
pub type Blocked = (Date, u8);

/// Checks a decision on an application in `status` for days ending `last_day`: only pending ones,
/// not after its last day, a refusal with a reason, no approval while a day's level stops fire
/// use. Answers (the new status, the reason).
pub fn decide(
    status: Status,
    last_day: Date,
    today: Date,
    blocked: Option<Blocked>,
    input: &DecisionInput,
) -> Result<(Status, Option<String>), Invalid> {
    if status != Status::Pending {
        return Err(Invalid::one(
            "approve",
            format!("该申请{}，不能再审批", status.label()),
        ));
    }
    let reason = optional_text("理由", input.reason.as_deref().unwrap_or(""), 500)
        .map_err(|m| Invalid::one("reason", m))?;
    if !input.approve {
        let reason = reason.ok_or_else(|| Invalid::one("reason", "不予批准须填写理由"))?;
        return Ok((Status::Refused, Some(reason)));
    }
    if last_day < today {
        return Err(Invalid::one(
            "approve",
            format!("用火日期已过（最后一天 {last_day}），不能再批准"),
        ));
    }
    if let Some((d, l)) = blocked {
        return Err(Invalid::one(
            "approve",
            format!(
                "{d} 森林火险等级为{}，已达到停止野外用火的等级，不能批准",
                level_label(l)
            ),
        ));
    }
    Ok((Status::Approved, reason))
}

/// The text message to the applicant about a decision or a suspension.
pub fn message(code: &str, status: Status, reason: Option<&str>, day: Option<Date>) -> String {
    match status {
        Status::Approved => format!(
            "您的野外用火申请（{code}）已批准。请严格落实防火措施，用火结束后彻底熄灭余火。"
        ),
        Status::Refused => format!(
            "您的野外用火申请（{code}）不予批准，理由：{}。",
            reason.unwrap_or("")
        ),
        Status::Suspended => format!(
            "因{}森林火险等级达到停止野外用火的等级，您的野外用火申请（{code}）已暂停，请勿用火。",
            day.map(|d| d.to_string()).unwrap_or_default()
        ),
        Status::Pending => format!("您的野外用火申请（{code}）已受理，请等待审批。"),
    }
}

/// The audit summary of a step.
pub fn summary(code: &str, status: Status) -> String {
    format!("野外用火申请 {code}：{}", status.label())
}

/// The first day in `days` whose level (from `levels`, day → level) stops fire use.
pub fn first_blocked(
    config: &ForestConfig,
    from: Date,
    to: Date,
    levels: &[(Date, u8)],
) -> Option<Blocked> {
    days(from, to).into_iter().find_map(|d| {
        levels
            .iter()
            .find(|(ld, l)| *ld == d && config.stops(*l))
            .copied()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn form() -> ApplicationInput {
        ApplicationInput {
            applicant_name: "张三".into(),
            applicant_phone: "13800138000".into(),
            area_id: Some("a1".into()),
            day_from: "2026-03-15".into(),
            purpose: "worship".into(),
            measures: "开设隔离带，备扑火工具".into(),
            ..Default::default()
        }
    }

    #[test]
    fn past_days_and_bad_phones_are_refused() {
        let c = ForestConfig::default();
        assert!(check(&form(), d("2026-03-10"), &c, Some(true)).is_ok());
        let e = check(&form(), d("2026-03-16"), &c, Some(true)).unwrap_err();
        assert_eq!(e.0[0].field, "day_from");
        let mut bad = form();
        bad.applicant_phone = "12345".into();
        let e = check(&bad, d("2026-03-10"), &c, Some(true)).unwrap_err();
        assert_eq!(e.0[0].field, "applicant_phone");
        let e = check(&form(), d("2026-03-10"), &c, Some(false)).unwrap_err();
        assert_eq!(e.0[0].field, "area_id");
        let mut summer = form();
        summer.day_from = "2026-07-01".into();
        let e = check(&summer, d("2026-03-10"), &c, Some(true)).unwrap_err();
        assert_eq!(e.0[0].field, "day_from");
    }

    #[test]
    fn r05_a_stopped_day_is_not_approved() {
        let c = ForestConfig::default();
        let yes = DecisionInput {
            approve: true,
            reason: None,
        };
        let blocked = first_blocked(
            &c,
            d("2026-03-15"),
            d("2026-03-15"),
            &[(d("2026-03-15"), 4)],
        );
        assert_eq!(blocked, Some((d("2026-03-15"), 4)));
        assert!(
            decide(
                Status::Pending,
                d("2026-03-15"),
                d("2026-03-10"),
                blocked,
                &yes
            )
            .is_err()
        );
        assert!(
            first_blocked(
                &c,
                d("2026-03-15"),
                d("2026-03-15"),
                &[(d("2026-03-15"), 3)]
            )
            .is_none()
        );
        let no = DecisionInput {
            approve: false,
            reason: None,
        };
        let e = decide(Status::Pending, d("2026-03-15"), d("2026-03-10"), None, &no).unwrap_err();
        assert_eq!(e.0[0].field, "reason");
    }
}
