//! 许可证照: the kinds, the input's check (valid until not before valid from), the expiry status
//! (90 / 30 days, expired) in Asia/Shanghai days, the reminders' days, who may propose, edit and
//! decide, and the wording.

use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use jiff::civil::Date;
use serde::Serialize;

/// The kinds of licences and certificates (code, 名称).
pub const KINDS: &[(&str, &str)] = &[
    ("safety_production", "安全生产许可证"),
    ("hazchem_operation", "危险化学品经营许可证"),
    ("hazchem_use", "危险化学品使用许可证"),
    ("hazchem_registration", "危险化学品登记证"),
    ("fireworks_operation", "烟花爆竹经营许可证"),
    ("non_coal_mine", "非煤矿山安全生产许可证"),
    ("other", "其他许可证照"),
];

/// The name of a kind; an unknown code reads as itself.
pub fn kind_label(code: &str) -> String {
    KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| (*l).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// A licence as entered (by the enterprise as a proposal, or by the department directly).
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, utoipa::ToSchema)]
pub struct LicenceInput {
    pub kind: String,
    pub number: String,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    pub valid_from: String,
    pub valid_until: String,
}

/// A licence that passed [`check_licence`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedLicence {
    pub kind: String,
    pub number: String,
    pub scope: Option<String>,
    pub issuer: Option<String>,
    pub valid_from: Date,
    pub valid_until: Date,
}

/// A day written YYYY-MM-DD, or a message naming the field.
pub fn day(label: &str, raw: &str) -> Result<Date, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(format!("请填写{label}"));
    }
    let ok = raw.len() == 10 && raw.as_bytes()[4] == b'-' && raw.as_bytes()[7] == b'-';
    ok.then(|| raw.parse::<Date>().ok())
        .flatten()
        .ok_or_else(|| format!("{label}“{raw}”格式不正确，应为 2026-11-24"))
}

/// Kind from the list, number (≤ 64), scope (≤ 500), issuer (≤ 100), valid from and until, the
/// latter not before the former.
pub fn check_licence(input: &LicenceInput) -> Result<CheckedLicence, Invalid> {
    let mut errs = Errors::default();
    if !KINDS.iter().any(|(c, _)| *c == input.kind) {
        errs.add("kind", format!("证照类型“{}”无效", input.kind));
    }
    let number = errs.check("number", required_text("证照编号", &input.number, 64));
    let scope = errs.check(
        "scope",
        optional_text("许可范围", input.scope.as_deref().unwrap_or(""), 500),
    );
    let issuer = errs.check(
        "issuer",
        optional_text("发证机关", input.issuer.as_deref().unwrap_or(""), 100),
    );
    let from = errs.check("valid_from", day("有效期起", &input.valid_from));
    let until = errs.check("valid_until", day("有效期至", &input.valid_until));
    if let (Some(f), Some(u)) = (from, until)
        && u < f
    {
        errs.add(
            "valid_until",
            format!("有效期至（{u}）不能早于有效期起（{f}）"),
        );
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedLicence {
        kind: input.kind.clone(),
        number: number.unwrap_or_default(),
        scope: scope.flatten(),
        issuer: issuer.flatten(),
        valid_from: from.unwrap_or_default(),
        valid_until: until.unwrap_or_default(),
    })
}

/// How near a validity's end is, as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expiry {
    Valid,
    /// 90 days or fewer left.
    Within90,
    /// 30 days or fewer left.
    Within30,
    /// Past its last valid day.
    Expired,
}

impl Expiry {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Within90 => "within_90",
            Self::Within30 => "within_30",
            Self::Expired => "expired",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Valid => "有效",
            Self::Within90 => "90天内到期",
            Self::Within30 => "30天内到期",
            Self::Expired => "已过期",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Valid, Self::Within90, Self::Within30, Self::Expired]
            .into_iter()
            .find(|e| e.as_str() == s)
    }
}

/// Days from `today` to the last valid day (negative once expired).
pub fn days_left(valid_until: Date, today: Date) -> i64 {
    i64::from((valid_until - today).get_days())
}

/// The expiry status of a validity ending on `valid_until` (inclusive), as of `today`.
pub fn expiry(valid_until: Date, today: Date) -> Expiry {
    match days_left(valid_until, today) {
        d if d < 0 => Expiry::Expired,
        d if d <= 30 => Expiry::Within30,
        d if d <= 90 => Expiry::Within90,
        _ => Expiry::Valid,
    }
}

/// The last valid day of the window an expiry filter selects, as of `today`: licences with
/// `valid_until` at most this day (and, for 90/30, not yet expired).
pub fn filter_bounds(filter: Expiry, today: Date) -> (Option<Date>, Option<Date>) {
    let plus = |n: i64| today.checked_add(jiff::Span::new().days(n)).ok();
    let yesterday = today.yesterday().ok();
    match filter {
        Expiry::Valid => (plus(91), None),
        Expiry::Within90 => (Some(today), plus(90)),
        Expiry::Within30 => (Some(today), plus(30)),
        Expiry::Expired => (None, yesterday),
    }
}

/// A reminder stage of a licence: 90 days before, 30 days before, the day after the last valid day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Days90,
    Days30,
    Expired,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Self::Days90, Self::Days30, Self::Expired];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Days90 => "d90",
            Self::Days30 => "d30",
            Self::Expired => "expired",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
    /// The day (00:00 Asia/Shanghai) the reminder is due.
    pub fn day(self, valid_until: Date) -> Option<Date> {
        let n = match self {
            Self::Days90 => -90,
            Self::Days30 => -30,
            Self::Expired => 1,
        };
        valid_until.checked_add(jiff::Span::new().days(n)).ok()
    }
}

/// 00:00 of a day in Asia/Shanghai, in ms.
pub fn day_start_ms(d: Date) -> i64 {
    crate::prevention::hazard::start_of_day_ms(d)
}

/// The reminders still to come after `today`: (stage, day).
pub fn reminders(valid_until: Date, today: Date) -> Vec<(Stage, Date)> {
    Stage::ALL
        .into_iter()
        .filter_map(|s| s.day(valid_until).map(|d| (s, d)))
        .filter(|(_, d)| *d > today)
        .collect()
}

/// The title and body of a reminder.
pub fn reminder_text(
    stage: Stage,
    enterprise: &str,
    kind: &str,
    number: &str,
    until: &str,
) -> (String, String) {
    let what = format!("{enterprise}的{}（{number}）", kind_label(kind));
    match stage {
        Stage::Days90 => (
            format!("证照将于90天内到期：{enterprise}"),
            format!("{what}有效期至{until}，请在到期前办理延续。"),
        ),
        Stage::Days30 => (
            format!("证照将于30天内到期：{enterprise}"),
            format!("{what}有效期至{until}，距到期不足30天，请尽快办理延续。"),
        ),
        Stage::Expired => (
            format!("证照已过期：{enterprise}"),
            format!("{what}已于{until}到期，过期证照不得作为生产经营依据。"),
        ),
    }
}

/// May propose its own licences and 标准化 grade (the enterprise user).
pub fn may_propose(role: Role) -> bool {
    role == Role::EnterpriseUser
}

/// May write licences directly and confirm or reject proposals: the supervising departments and
/// the administrators.
pub fn may_decide(role: Role) -> bool {
    matches!(role, Role::Admin | Role::DepartmentStaff)
}

/// Refused to whoever may neither propose nor edit.
pub const NOT_A_LICENCE_KEEPER: &str = "只有企业用户（申请）和监管部门人员可以维护证照信息";
/// Refused to whoever may not decide a proposal.
pub const ONLY_SUPERVISORS: &str = "证照信息变更须由监管部门确认";
/// A proposal already decided.
pub const NOT_PENDING: &str = "该申请已处理，不能重复确认或驳回";

/// The status of a licence (the agreed column): its label.
pub fn status_label(s: &str) -> &'static str {
    match s {
        "pending" => "待确认",
        "confirmed" => "有效登记",
        "rejected" => "已驳回",
        "revoked" => "已吊销",
        "suspended" => "暂扣",
        _ => "其他",
    }
}

/// The decision on a proposal: confirm, or reject with a reason.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct LicenceDecisionInput {
    /// confirm (确认) / reject (驳回)
    pub action: String,
    pub reason: Option<String>,
}

/// confirm, or reject with a reason of at most 500 characters (required).
pub fn check_decision(input: &LicenceDecisionInput) -> Result<(bool, Option<String>), Invalid> {
    let reason = optional_text("驳回理由", input.reason.as_deref().unwrap_or(""), 500)
        .map_err(|m| Invalid::one("reason", m))?;
    match input.action.as_str() {
        "confirm" => Ok((true, reason)),
        "reject" if reason.is_none() => Err(Invalid::one("reason", "驳回时请填写驳回理由")),
        "reject" => Ok((false, reason)),
        _ => Err(Invalid::one(
            "action",
            "操作应为 confirm（确认）或 reject（驳回）",
        )),
    }
}

/// The audit summary of a proposal, a decision or a direct edit.
pub fn summary(verb: &str, enterprise: &str, what: &str) -> String {
    format!("{verb}：{enterprise} {what}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn until_before_from_is_refused_naming_the_field() {
        let input = LicenceInput {
            kind: "safety_production".into(),
            number: "（赣）WH安许证字〔2024〕001".into(),
            valid_from: "2026-05-01".into(),
            valid_until: "2026-04-30".into(),
            ..Default::default()
        };
        let e = check_licence(&input).unwrap_err();
        assert_eq!(e.0[0].field, "valid_until");
        assert!(e.0[0].message.contains("有效期至"), "{e}");
        let ok = LicenceInput {
            valid_until: "2026-05-01".into(),
            ..input
        };
        assert!(check_licence(&ok).is_ok());
    }

    #[test]
    fn bad_kind_and_days_are_named() {
        let e = check_licence(&LicenceInput {
            kind: "x".into(),
            valid_from: "2026/01/01".into(),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kind", "number", "valid_from", "valid_until"]);
    }

    #[test]
    fn expiry_by_days_left() {
        let t = d("2026-05-28");
        assert_eq!(expiry(d("2026-08-27"), t), Expiry::Valid);
        assert_eq!(expiry(d("2026-08-26"), t), Expiry::Within90);
        assert_eq!(expiry(d("2026-06-27"), t), Expiry::Within30);
        assert_eq!(expiry(d("2026-05-28"), t), Expiry::Within30);
        assert_eq!(expiry(d("2026-05-27"), t), Expiry::Expired);
    }

    #[test]
    fn reminders_still_to_come() {
        let r = reminders(d("2026-07-07"), d("2026-05-28"));
        assert_eq!(
            r,
            vec![
                (Stage::Days30, d("2026-06-07")),
                (Stage::Expired, d("2026-07-08"))
            ]
        );
    }

    #[test]
    fn reject_needs_a_reason() {
        let no = LicenceDecisionInput {
            action: "reject".into(),
            reason: None,
        };
        assert_eq!(check_decision(&no).unwrap_err().0[0].field, "reason");
        let yes = LicenceDecisionInput {
            action: "confirm".into(),
            reason: None,
        };
        assert_eq!(check_decision(&yes).unwrap(), (true, None));
    }

    #[test]
    fn roles() {
        for r in Role::ALL {
            assert_eq!(may_propose(r), r == Role::EnterpriseUser);
            assert_eq!(
                may_decide(r),
                matches!(r, Role::Admin | Role::DepartmentStaff)
            );
        }
    }
}
