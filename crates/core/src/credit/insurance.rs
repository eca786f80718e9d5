//! 安全生产责任保险 (安责险): insurers (保险机构), their policies (保单) of enterprises, who may
//! keep them, and money as exact 分. An insurer's users see only its policyholders' records.

use crate::kernel::role::{Role, Scope};
use crate::kernel::validation::{self as v, Errors, Invalid};
use jiff::civil::Date;

/// Days before a policy ends from which it is flagged 即将到期.
pub const EXPIRING_DAYS: i64 = 30;

pub const NOT_AN_INSURANCE_READER: &str = "您无权查看安责险信息";
pub const NOT_AN_INSURANCE_WRITER: &str = "您无权登记安责险保单";
pub const NOT_AN_INSURER_MANAGER: &str = "仅系统管理员可以管理保险机构";
pub const POLICY_NOT_FOUND: &str = "保单不存在或不在您的管辖范围内";
pub const ENTERPRISE_NOT_FOUND: &str = "企业不存在或不在您的管辖范围内";
pub const INSURER_NOT_FOUND: &str = "保险机构不存在";
pub const INSURER_REQUIRED: &str = "请选择保险机构";
pub const ENTERPRISE_REQUIRED: &str = "请选择投保企业或填写其统一社会信用代码";

/// May read 安责险 records (each inside the caller's scope): the bureau, the departments, the
/// streets, the enterprises (their own) and the insurers (their policyholders').
pub fn may_read(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::DutyOfficer
            | Role::EnterpriseUser
            | Role::Inspector
            | Role::Insurer
    )
}

/// May enter or change a policy: the insurer for its policyholders, the enterprise its own,
/// the departments theirs, the bureau's leaders and the administrators.
pub fn may_write_policies(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DepartmentStaff
            | Role::EnterpriseUser
            | Role::Insurer
    )
}

/// May keep the list of insurers.
pub fn may_manage_insurers(role: Role) -> bool {
    role == Role::Admin
}

/// The insurer a policy written by the caller belongs to: an insurer's user writes only its
/// own (naming another is refused); anyone else names one.
pub fn owning_insurer(
    scope: &Scope,
    named: Option<&str>,
) -> Result<String, (&'static str, &'static str)> {
    let named = named.map(str::trim).filter(|s| !s.is_empty());
    match (scope, named) {
        (Scope::Insurer { insurer_id }, Some(n)) if n != insurer_id => {
            Err(("insurer_id", INSURER_NOT_FOUND))
        }
        (Scope::Insurer { insurer_id }, _) => Ok(insurer_id.clone()),
        (_, Some(n)) => Ok(n.to_string()),
        (_, None) => Err(("insurer_id", INSURER_REQUIRED)),
    }
}

/// 元 with at most two decimals as exact 分: "12000", "12,000.5", "0.05". Negative, more than
/// two decimals, or above 10 亿元 is an error naming `label`.
pub fn parse_fen(label: &str, text: &str) -> Result<i64, String> {
    let t: String = text.trim().chars().filter(|c| *c != ',').collect();
    let bad = || format!("{label}须为以元为单位的金额，最多两位小数，如 12000.50");
    if t.is_empty() {
        return Err(format!("请填写{label}"));
    }
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || frac.len() > 2
        || whole.len() > 10
    {
        return Err(bad());
    }
    let w: i64 = whole.parse().map_err(|_| bad())?;
    let f: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let fen = w * 100 + f;
    if fen > 100_000_000_000 {
        return Err(format!("{label}不能超过10亿元"));
    }
    Ok(fen)
}

/// 分 as 元 with two decimals: 1_200_050 → "12000.50".
pub fn fen_to_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

/// A day "YYYY-MM-DD" of a form field.
pub fn parse_day(label: &str, text: &str) -> Result<Date, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("请填写{label}"));
    }
    t.parse::<Date>()
        .map_err(|_| format!("{label}“{t}”不是有效日期，格式为 YYYY-MM-DD"))
}

/// 保险机构 as entered by the administrator.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct InsurerInput {
    pub name: String,
    pub credit_code: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedInsurer {
    pub name: String,
    pub credit_code: String,
}

pub fn check_insurer(input: &InsurerInput) -> Result<CheckedInsurer, Invalid> {
    let mut e = Errors::default();
    let name = e.check("name", v::required_text("机构名称", &input.name, 100));
    let code = e.check(
        "credit_code",
        crate::directory::uscc::Uscc::parse(&input.credit_code).map(|u| u.as_str().to_string()),
    );
    match (name, code) {
        (Some(name), Some(credit_code)) if e.is_empty() => Ok(CheckedInsurer { name, credit_code }),
        _ => Err(e.into_invalid()),
    }
}

/// A policy as entered: amounts are 元 texts, days "YYYY-MM-DD".
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PolicyInput {
    pub enterprise_id: Option<String>,
    /// The enterprise by its 统一社会信用代码 (how an insurer knows its policyholder).
    pub enterprise_uscc: Option<String>,
    pub insurer_id: Option<String>,
    pub number: String,
    pub starts_day: String,
    pub ends_day: String,
    pub insured_persons: i64,
    pub premium: String,
    pub cover_per_person: String,
    /// active (default) or cancelled (退保).
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPolicy {
    pub number: String,
    pub starts_day: Date,
    pub ends_day: Date,
    pub insured_persons: i64,
    pub premium_fen: i64,
    pub cover_fen: i64,
    pub status: &'static str,
}

/// The stored statuses of a policy.
pub const STATUSES: &[(&str, &str)] = &[("active", "有效"), ("cancelled", "已退保")];

/// Checks a policy's own fields (the enterprise and the insurer are looked up by the caller).
pub fn check_policy(input: &PolicyInput) -> Result<CheckedPolicy, Invalid> {
    let mut e = Errors::default();
    let number = e.check("number", v::required_text("保单号", &input.number, 64));
    let starts = e.check("starts_day", parse_day("保险起期", &input.starts_day));
    let ends = e.check("ends_day", parse_day("保险止期", &input.ends_day));
    if let (Some(s), Some(t)) = (starts, ends)
        && t < s
    {
        e.add(
            "ends_day",
            format!("保险止期（{t}）不能早于保险起期（{s}）"),
        );
    }
    if !(1..=1_000_000).contains(&input.insured_persons) {
        e.add("insured_persons", "参保人数须为1至1000000之间的整数");
    }
    let premium = e.check("premium", parse_fen("保费", &input.premium));
    let cover = e.check(
        "cover_per_person",
        parse_fen("每人保额", &input.cover_per_person),
    );
    if cover == Some(0) {
        e.add("cover_per_person", "每人保额须大于0");
    }
    let status = match input.status.as_deref().map(str::trim).unwrap_or("active") {
        "" | "active" => "active",
        "cancelled" => "cancelled",
        other => {
            e.add("status", format!("保单状态“{other}”无效"));
            "active"
        }
    };
    match (number, starts, ends, premium, cover) {
        (Some(number), Some(starts_day), Some(ends_day), Some(premium_fen), Some(cover_fen))
            if e.is_empty() =>
        {
            Ok(CheckedPolicy {
                number,
                starts_day,
                ends_day,
                insured_persons: input.insured_persons,
                premium_fen,
                cover_fen,
                status,
            })
        }
        _ => Err(e.into_invalid()),
    }
}

/// Where a policy stands on a day: not_started, in_force, expiring (within
/// [`EXPIRING_DAYS`]), expired, or cancelled.
pub fn standing(status: &str, starts_day: &str, ends_day: &str, today: Date) -> &'static str {
    if status == "cancelled" {
        return "cancelled";
    }
    let (Ok(s), Ok(t)) = (starts_day.parse::<Date>(), ends_day.parse::<Date>()) else {
        return "expired";
    };
    if today < s {
        "not_started"
    } else if today > t {
        "expired"
    } else if t <= expiring_until(today) {
        "expiring"
    } else {
        "in_force"
    }
}

pub fn standing_label(standing: &str) -> &'static str {
    match standing {
        "not_started" => "未起保",
        "in_force" => "保障中",
        "expiring" => "即将到期",
        "expired" => "已到期",
        "cancelled" => "已退保",
        _ => "",
    }
}

/// The last day a policy may end on to be flagged 即将到期 today.
pub fn expiring_until(today: Date) -> Date {
    use jiff::ToSpan;
    today.checked_add(EXPIRING_DAYS.days()).unwrap_or(today)
}

/// `n` days after `day` (before, when negative).
pub fn days_after(day: Date, n: i64) -> Date {
    use jiff::ToSpan;
    day.checked_add(n.days()).unwrap_or(day)
}

/// The last day of a one-year policy starting on `starts`.
pub fn year_end(starts: Date) -> Date {
    use jiff::ToSpan;
    starts
        .checked_add(1.year())
        .and_then(|d| d.checked_sub(1.day()))
        .unwrap_or(starts)
}

pub fn policy_summary(enterprise: &str, number: &str) -> String {
    format!("登记{enterprise}安责险保单 {number}")
}
pub fn policy_updated(enterprise: &str, number: &str) -> String {
    format!("修改{enterprise}安责险保单 {number}")
}
pub fn insurer_summary(name: &str) -> String {
    format!("新增保险机构“{name}”")
}
pub fn duplicate_number(number: &str) -> String {
    format!("该保险机构已有保单号“{number}”的保单")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PolicyInput {
        PolicyInput {
            enterprise_id: Some("e1".into()),
            number: "PAAB2026360400000001".into(),
            starts_day: "2026-01-01".into(),
            ends_day: "2026-12-31".into(),
            insured_persons: 120,
            premium: "36,000.50".into(),
            cover_per_person: "800000".into(),
            ..Default::default()
        }
    }

    #[test]
    fn money_is_exact() {
        assert_eq!(parse_fen("保费", "0.05"), Ok(5));
        assert_eq!(parse_fen("保费", "12000.5"), Ok(1_200_050));
        assert_eq!(parse_fen("保费", "1,234"), Ok(123_400));
        assert!(parse_fen("保费", "1.234").unwrap_err().contains("保费"));
        assert!(parse_fen("保费", "-1").is_err());
        assert!(parse_fen("保费", "abc").is_err());
        assert!(parse_fen("保费", "").unwrap_err().contains("请填写保费"));
        assert_eq!(fen_to_yuan(1_200_050), "12000.50");
    }

    #[test]
    fn a_good_policy_passes() {
        let p = check_policy(&input()).unwrap();
        assert_eq!(p.premium_fen, 3_600_050);
        assert_eq!(p.cover_fen, 80_000_000);
        assert_eq!(p.status, "active");
    }

    #[test]
    fn ends_before_starts_names_the_field() {
        let mut i = input();
        i.ends_day = "2025-12-31".into();
        let e = check_policy(&i).unwrap_err();
        assert_eq!(e.0[0].field, "ends_day");
        assert!(e.0[0].message.contains("保险止期"));
        i.ends_day = "2026-02-30".into();
        assert_eq!(check_policy(&i).unwrap_err().0[0].field, "ends_day");
    }

    #[test]
    fn standings() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let (s, t) = ("2026-01-01", "2026-12-31");
        assert_eq!(standing("active", s, t, d("2025-12-31")), "not_started");
        assert_eq!(standing("active", s, t, d("2026-06-01")), "in_force");
        assert_eq!(standing("active", s, t, d("2026-12-01")), "expiring");
        assert_eq!(standing("active", s, t, d("2026-12-31")), "expiring");
        assert_eq!(standing("active", s, t, d("2027-01-01")), "expired");
        assert_eq!(standing("cancelled", s, t, d("2026-06-01")), "cancelled");
    }

    #[test]
    fn an_insurer_writes_only_its_own() {
        let s = Scope::Insurer {
            insurer_id: "i1".into(),
        };
        assert_eq!(owning_insurer(&s, None), Ok("i1".into()));
        assert!(owning_insurer(&s, Some("i2")).is_err());
        assert_eq!(owning_insurer(&Scope::All, Some("i2")), Ok("i2".into()));
        assert!(owning_insurer(&Scope::All, None).is_err());
    }
}
