//! 有奖举报 (issue 24 item 5), following 安监总财〔2018〕19号《安全生产领域举报奖励办法》 第十一条:
//! a verified report of a 重大事故隐患 or of 违法生产经营建设 is rewarded with 15% of the fine
//! imposed, at least 3,000 元 and at most 300,000 元 (第一项); a verified report of a 瞒报/谎报
//! accident with, per verified hidden death, 30,000 / 40,000 / 50,000 / 60,000 元 by the
//! accident's final grade (一般 / 较大 / 重大 / 特别重大), at most 300,000 元 (第二项). The steps: 核查 (true or not) → 认定 (the row
//! of the table, the fine) → 奖励决定 (the amount from the table) → 发放 (date, method,
//! reference). Only the district's reward officers (and the administrator) take the steps and
//! see the reporter. Money is exact: integer 分, never floats.

use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use serde::{Deserialize, Serialize};

/// What was reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = GridRewardKind)]
pub enum RewardKind {
    /// 重大事故隐患.
    MajorHazard,
    /// 非法违法行为 (违法生产经营建设 …).
    Violation,
    /// 瞒报、谎报事故: rewarded per verified hidden death, by the accident's grade.
    ConcealedAccident,
}

impl RewardKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MajorHazard => "major_hazard",
            Self::Violation => "violation",
            Self::ConcealedAccident => "concealed_accident",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::MajorHazard => "重大事故隐患",
            Self::Violation => "非法违法行为",
            Self::ConcealedAccident => "瞒报谎报事故",
        }
    }
}

/// One row of the district's reward table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = GridRewardRow)]
pub struct RewardRow {
    pub code: String,
    pub kind: RewardKind,
    /// The gravity as the officer picks it (e.g. 重大事故隐患, 非法生产经营建设).
    pub name: String,
    /// The share of the fine, in percent, as an exact decimal ("15", "12.5"); empty for a
    /// 瞒报谎报事故 row.
    #[serde(default)]
    pub percent: String,
    /// 瞒报谎报事故: 元 per verified hidden death (the accident's grade); none for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_person_yuan: Option<i64>,
    /// At least this many 元 (also the amount when no fine was imposed).
    pub min_yuan: i64,
    /// At most this many 元.
    pub max_yuan: i64,
}

/// The district's 有奖举报 configuration (`DistrictRules.grid_rewards`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
#[schema(as = GridRewardConfig)]
pub struct RewardConfig {
    /// The reward officers' user ids (they see the reporters in full).
    pub officers: Vec<String>,
    pub rows: Vec<RewardRow>,
}

/// 19号 第十一条第一项: 15% of the fine, at least 3,000 元, at most 300,000 元.
fn row(code: &str, kind: RewardKind, name: &str) -> RewardRow {
    RewardRow {
        code: code.into(),
        kind,
        name: name.into(),
        percent: "15".into(),
        per_person_yuan: None,
        min_yuan: 3_000,
        max_yuan: 300_000,
    }
}

/// 19号 第十一条第二项: per verified hidden death by the accident's grade, at most 300,000 元
/// (the text sets no minimum; 认定 requires one death at least).
fn concealed(code: &str, grade: &str, per_person_yuan: i64) -> RewardRow {
    RewardRow {
        code: code.into(),
        kind: RewardKind::ConcealedAccident,
        name: format!("瞒报、谎报{grade}"),
        percent: String::new(),
        per_person_yuan: Some(per_person_yuan),
        min_yuan: 0,
        max_yuan: 300_000,
    }
}

impl Default for RewardConfig {
    /// 安监总财〔2018〕19号 第十一条, both items.
    fn default() -> Self {
        use RewardKind::*;
        Self {
            officers: Vec::new(),
            rows: vec![
                row("major_hazard", MajorHazard, "重大事故隐患"),
                row("illegal_operation", Violation, "违法生产经营建设"),
                concealed("concealed_general", "一般事故", 30_000),
                concealed("concealed_larger", "较大事故", 40_000),
                concealed("concealed_major", "重大事故", 50_000),
                concealed("concealed_grave", "特别重大事故", 60_000),
            ],
        }
    }
}

/// The most hidden deaths one 认定 takes.
pub const MAX_DEATHS: i64 = 1_000;

/// Parses a decimal with at most `places` decimals into an integer scaled by 10^places.
fn exact(v: &str, places: u32) -> Option<i64> {
    let v = v.trim();
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || whole.len() > 12 || !digits(whole) || !digits(frac) {
        return None;
    }
    if frac.len() > places as usize {
        return None;
    }
    let scale = 10_i64.pow(places);
    let frac_val: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse::<i64>().ok()? * 10_i64.pow(places - frac.len() as u32)
    };
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(scale)?
        .checked_add(frac_val)
}

/// 元 as entered ("12000", "12000.50") into 分; `None` when not an exact amount.
pub fn parse_yuan(v: &str) -> Option<i64> {
    exact(v, 2)
}

/// A percent as entered ("15", "12.5") into hundredths of a percent.
pub fn parse_percent(v: &str) -> Option<i64> {
    exact(v, 2).filter(|&p| p > 0 && p <= 10_000)
}

impl RewardConfig {
    pub fn row(&self, code: &str) -> Option<&RewardRow> {
        self.rows.iter().find(|r| r.code == code)
    }
    pub fn is_officer(&self, user_id: &str) -> bool {
        self.officers.iter().any(|o| o == user_id)
    }
    /// Every error names its row (`rows[2].percent`, "第 3 行：…").
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = Errors::default();
        let mut seen = std::collections::HashSet::new();
        for (i, r) in self.rows.iter().enumerate() {
            let at = |f: &str| format!("rows[{i}].{f}");
            let n = i + 1;
            if r.code.trim().is_empty() || !seen.insert(r.code.trim()) {
                errs.add(&at("code"), format!("第 {n} 行：编码为空或重复"));
            }
            if r.name.trim().is_empty() || r.name.chars().count() > 40 {
                errs.add(&at("name"), format!("第 {n} 行：名称应为 1–40 个字"));
            }
            if r.kind == RewardKind::ConcealedAccident {
                if r.per_person_yuan.is_none_or(|v| v <= 0) {
                    errs.add(
                        &at("per_person_yuan"),
                        format!(
                            "第 {n} 行：瞒报谎报事故应填每查实 1 人的奖励金额（大于 0 的整数元）"
                        ),
                    );
                }
            } else if r.per_person_yuan.is_some() {
                errs.add(
                    &at("per_person_yuan"),
                    format!("第 {n} 行：只有瞒报谎报事故按人数计奖，其他类别不填每人金额"),
                );
            } else if parse_percent(&r.percent).is_none() {
                errs.add(
                    &at("percent"),
                    format!("第 {n} 行：奖励比例应为大于 0、不超过 100 的数（最多两位小数）"),
                );
            }
            if r.min_yuan < 0 || r.max_yuan <= 0 || r.min_yuan > r.max_yuan {
                errs.add(
                    &at("max_yuan"),
                    format!("第 {n} 行：最高奖励应大于 0 且不低于最低奖励"),
                );
            }
        }
        for (i, o) in self.officers.iter().enumerate() {
            if o.trim().is_empty() {
                errs.add(&format!("officers[{i}]"), "奖励专员不能为空");
            }
        }
        errs.into_result()
    }
}

/// What 认定 determined: the fine imposed (分), or the verified hidden deaths (瞒报谎报事故).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Basis {
    pub fine_fen: Option<i64>,
    pub deaths: Option<i64>,
}

/// The amount (分) a row gives: `percent` of the fine, within [min, max], the minimum when no
/// fine was imposed, rounded down to the 分; for 瞒报谎报事故 the per-person amount times the
/// verified hidden deaths, within [min, max].
pub fn amount_fen(r: &RewardRow, b: Basis) -> i64 {
    let min = r.min_yuan.saturating_mul(100);
    let max = r.max_yuan.saturating_mul(100).max(min);
    let share = if let Some(per) = r.per_person_yuan {
        per.saturating_mul(100)
            .saturating_mul(b.deaths.unwrap_or(0).max(0))
    } else {
        match (b.fine_fen, parse_percent(&r.percent)) {
            (Some(f), Some(p)) => {
                i64::try_from(i128::from(f) * i128::from(p) / 10_000).unwrap_or(max)
            }
            _ => 0,
        }
    };
    share.clamp(min, max)
}

/// 认定's basis for a row: a 瞒报谎报事故 row takes the verified hidden deaths (1–1000) and no
/// fine; the others an optional fine (元, exact) and no deaths.
pub fn check_basis(
    kind: RewardKind,
    fine_yuan: Option<&str>,
    deaths: Option<i64>,
) -> Result<Basis, Invalid> {
    let fine = fine_yuan.map(str::trim).filter(|v| !v.is_empty());
    if kind == RewardKind::ConcealedAccident {
        if fine.is_some() {
            return Err(Invalid::one(
                "fine_yuan",
                "瞒报谎报事故按查实的死亡人数计奖，不填罚款金额",
            ));
        }
        return match deaths {
            Some(d) if (1..=MAX_DEATHS).contains(&d) => Ok(Basis {
                fine_fen: None,
                deaths: Some(d),
            }),
            _ => Err(Invalid::one(
                "deaths",
                "请填写查实的瞒报谎报死亡人数（1–1000 的整数）",
            )),
        };
    }
    if deaths.is_some() {
        return Err(Invalid::one("deaths", "只有瞒报谎报事故填写死亡人数"));
    }
    let fine_fen = match fine {
        None => None,
        Some(v) => Some(parse_yuan(v).ok_or_else(|| {
            Invalid::one(
                "fine_yuan",
                "罚款金额应为不小于 0 的金额（元，最多两位小数）",
            )
        })?),
    };
    Ok(Basis {
        fine_fen,
        deaths: None,
    })
}

/// The states of a reward.
pub mod status {
    pub const VERIFIED: &str = "verified";
    pub const REJECTED: &str = "rejected";
    pub const IDENTIFIED: &str = "identified";
    pub const DECIDED: &str = "decided";
    pub const PAID: &str = "paid";
    pub fn label(s: &str) -> &'static str {
        match s {
            VERIFIED => "已核查属实",
            REJECTED => "核查不属实",
            IDENTIFIED => "已认定",
            DECIDED => "已决定奖励",
            PAID => "已发放",
            _ => "待核查",
        }
    }
}

pub const NOT_AN_OFFICER: &str = "只有本区的举报奖励专员和系统管理员可以办理举报奖励";
pub const NOT_PUBLIC: &str = "只有群众随手拍举报的事件可以给予举报奖励";
pub const WRONG_STEP: &str = "举报奖励的办理步骤不对，请刷新后重试";
pub const CLAIM_WRONG: &str = "查询码或手机号不正确";
pub const CLAIM_LOCKED: &str = "错误次数过多，该查询码已暂停领取 1 小时，请稍后再试";
pub const CLAIM_NONE: &str = "该举报尚未决定奖励，请耐心等待核查结果";

/// Wrong claims on one tracking code before it locks, and for how long.
pub const CLAIM_TRIES: i64 = 5;
pub const CLAIM_LOCK_MS: i64 = 3_600_000;

/// Who takes the steps and sees the reporter: the district's officers and the administrator.
pub fn may_act(role: Role, officer: bool) -> bool {
    officer || role == Role::Admin
}

/// 核查's note (2–500 characters).
pub fn check_note(field: &str, label: &str, v: &str) -> Result<String, Invalid> {
    let t = required_text(label, v, 500).map_err(|m| Invalid::one(field, m))?;
    if t.chars().count() < 2 {
        return Err(Invalid::one(field, format!("{label}至少 2 个字")));
    }
    Ok(t)
}

/// A payment as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub paid_on: String,
    pub method: String,
    pub reference: Option<String>,
}

pub const METHODS: [&str; 3] = ["银行转账", "现金", "其他"];

pub fn check_payment(paid_on: &str, method: &str, reference: &str) -> Result<Payment, Invalid> {
    let mut errs = Errors::default();
    let date = paid_on.trim();
    if date.len() != 10 || date.parse::<jiff::civil::Date>().is_err() {
        errs.add("paid_on", "发放日期应为 YYYY-MM-DD");
    }
    if !METHODS.contains(&method.trim()) {
        errs.add("method", "发放方式应为银行转账、现金或其他");
    }
    let reference = errs
        .check("reference", optional_text("凭证号", reference, 60))
        .flatten();
    errs.into_result()?;
    Ok(Payment {
        paid_on: date.into(),
        method: method.trim().into(),
        reference,
    })
}

/// What the reporter is told at the claim: the amount and how to collect it.
pub fn claim_message(status: &str, amount: &str, paid_on: Option<&str>) -> String {
    match (status, paid_on) {
        (status::PAID, Some(d)) => format!("您的举报奖励 {amount} 元已于 {d} 发放。"),
        _ => format!(
            "您的举报经核查属实，奖励 {amount} 元。请在 30 日内携带本人身份证件和查询码到区应急管理局举报奖励窗口领取（也可提供本人银行账户转账）。"
        ),
    }
}

// --- wording (audit summaries) ---

pub fn verified_summary(code: &str, truthful: bool) -> String {
    let v = if truthful { "属实" } else { "不属实" };
    format!("核查举报（事件 {code}）：{v}")
}

pub fn identified_summary(code: &str, row: &str) -> String {
    format!("认定举报（事件 {code}）为“{row}”")
}

pub fn decided_summary(code: &str, amount: &str) -> String {
    format!("决定举报奖励（事件 {code}）：{amount} 元")
}

pub fn paid_summary(code: &str, amount: &str, method: &str) -> String {
    format!("发放举报奖励（事件 {code}）{amount} 元，{method}")
}

pub fn claimed_summary(code: &str) -> String {
    format!("举报人凭查询码查询奖励（事件 {code}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fine(v: &str) -> Basis {
        Basis {
            fine_fen: parse_yuan(v),
            deaths: None,
        }
    }
    fn dead(n: i64) -> Basis {
        Basis {
            fine_fen: None,
            deaths: Some(n),
        }
    }

    #[test]
    fn amounts_follow_the_table_exactly() {
        let c = RewardConfig::default();
        let r = c.row("major_hazard").unwrap();
        assert_eq!(amount_fen(r, Basis::default()), 300_000);
        assert_eq!(amount_fen(r, fine("50000")), 750_000);
        assert_eq!(amount_fen(r, fine("10000")), 300_000);
        assert_eq!(amount_fen(r, fine("3000000")), 30_000_000);
        assert_eq!(amount_fen(r, fine("33333.33")), 499_999);
        assert_eq!(parse_yuan("1.234"), None);
        assert_eq!(parse_yuan("-1"), None);
        assert_eq!(parse_percent("12.5"), Some(1_250));
        assert_eq!(parse_percent("0"), None);
    }

    /// 安监总财〔2018〕19号 第十一条: (一) 重大事故隐患、违法生产经营建设: 15% of the fine, at
    /// least 3,000 元, at most 300,000 元; (二) 瞒报谎报事故: per verified hidden death 3万 (一般),
    /// 4万 (较大), 5万 (重大), 6万 (特别重大) 元, at most 30万 元.
    #[test]
    fn the_default_table_is_article_11() {
        let c = RewardConfig::default();
        assert_eq!(c.validate(), Ok(()));
        for code in ["major_hazard", "illegal_operation"] {
            let r = c.row(code).unwrap();
            assert_eq!(
                (r.percent.as_str(), r.min_yuan, r.max_yuan),
                ("15", 3_000, 300_000)
            );
            // 15% of a 2,000,000 元 fine is exactly the cap.
            assert_eq!(amount_fen(r, fine("2000000")), 30_000_000);
            assert_eq!(amount_fen(r, fine("2000000.01")), 30_000_000);
            assert_eq!(amount_fen(r, fine("1999999.99")), 29_999_999);
            // 3,000 元 is 15% of 20,000 元.
            assert_eq!(amount_fen(r, fine("19999.99")), 300_000);
            assert_eq!(amount_fen(r, fine("20000.07")), 300_001);
        }
        let grades = [
            ("concealed_general", 30_000),
            ("concealed_larger", 40_000),
            ("concealed_major", 50_000),
            ("concealed_grave", 60_000),
        ];
        for (code, per) in grades {
            let r = c.row(code).unwrap();
            assert_eq!(r.kind, RewardKind::ConcealedAccident);
            assert_eq!((r.per_person_yuan, r.max_yuan), (Some(per), 300_000));
            assert_eq!(amount_fen(r, dead(1)), per * 100);
            assert_eq!(amount_fen(r, dead(2)), 2 * per * 100);
            assert_eq!(amount_fen(r, dead(10)), 30_000_000);
        }
        // 一般事故 5 人 = 15万, 较大 7 人 = 28万, 重大 6 人 = 30万 (cap), 特别重大 5 人 = 30万.
        let at = |code: &str, n| amount_fen(c.row(code).unwrap(), dead(n));
        assert_eq!(at("concealed_general", 5), 15_000_000);
        assert_eq!(at("concealed_larger", 7), 28_000_000);
        assert_eq!(at("concealed_major", 6), 30_000_000);
        assert_eq!(at("concealed_grave", 5), 30_000_000);
    }

    #[test]
    fn the_basis_fits_the_row() {
        use RewardKind::*;
        let field = |r: Result<Basis, Invalid>| r.unwrap_err().0[0].field.clone();
        assert_eq!(check_basis(ConcealedAccident, None, Some(3)), Ok(dead(3)));
        assert_eq!(field(check_basis(ConcealedAccident, None, None)), "deaths");
        assert_eq!(
            field(check_basis(ConcealedAccident, None, Some(0))),
            "deaths"
        );
        assert_eq!(
            field(check_basis(ConcealedAccident, Some("100"), Some(1))),
            "fine_yuan"
        );
        assert_eq!(
            check_basis(MajorHazard, Some(" 50000 "), None),
            Ok(fine("50000"))
        );
        assert_eq!(check_basis(Violation, Some(""), None), Ok(Basis::default()));
        assert_eq!(
            field(check_basis(Violation, Some("1.234"), None)),
            "fine_yuan"
        );
        assert_eq!(field(check_basis(MajorHazard, None, Some(1))), "deaths");
    }

    #[test]
    fn concealed_rows_need_their_amount() {
        let mut c = RewardConfig::default();
        c.rows[2].per_person_yuan = None;
        c.rows[0].per_person_yuan = Some(10);
        let e = c.validate().unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["rows[0].per_person_yuan", "rows[2].per_person_yuan"]
        );
    }

    #[test]
    fn bad_rows_are_named() {
        let mut c = RewardConfig::default();
        c.rows[1].percent = "abc".into();
        c.rows[2].code = "major_hazard".into();
        let e = c.validate().unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["rows[1].percent", "rows[2].code"]);
        assert!(e.0[0].message.starts_with("第 2 行"));
    }
}
