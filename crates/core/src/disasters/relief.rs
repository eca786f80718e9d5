//! 救助 (disasters.md §2, 《自然灾害救助条例》): the relief registers of a disaster process per
//! phase — 应急救助, 过渡期生活救助, 遇难人员家属抚慰, 倒损住房恢复重建 (with its progress),
//! 冬春生活困难救助 — their entries (person, ID number with its GB 11643 check digit, household,
//! township and village, what was given, the card for 一卡通 checked by Luhn), the masks the
//! console and the public page show, and the 10-hour measure (浔阳 专栏1).

use crate::credit::insurance::parse_fen;
use crate::disasters::ledgers::check_id_number;
use crate::disasters::processes::{TOWNSHIP_OUTSIDE_SCOPE, covers};
use crate::kernel::validation::{Errors, Invalid, optional_text, phone, required_text};

/// The phases: (code, label).
pub const PHASES: &[(&str, &str)] = &[
    ("emergency", "应急救助"),
    ("transition", "过渡期生活救助"),
    ("condolence", "遇难人员家属抚慰"),
    ("rebuild", "倒损住房恢复重建"),
    ("winter", "冬春生活困难救助"),
];

/// What was given: (code, label).
pub const KINDS: &[(&str, &str)] = &[("cash", "资金"), ("goods", "物资"), ("shelter", "安置")];

/// The progress of a rebuilt house: (code, label).
pub const PROGRESS: &[(&str, &str)] = &[
    ("not_started", "未开工"),
    ("building", "在建"),
    ("completed", "竣工"),
    ("moved_in", "入住"),
];

pub const NOT_A_RELIEF_USER: &str = "只有应急管理局、部门和街道人员可以查看或登记救助";

/// May see and record relief (a street's staff for their street, the district's for the
/// district); grid workers and enterprises may not (ID and card numbers).
pub fn may_use(role: crate::kernel::role::Role) -> bool {
    crate::disasters::processes::may_manage(role)
}

pub fn label(list: &[(&str, &'static str)], code: &str) -> &'static str {
    list.iter().find(|x| x.0 == code).map_or("", |x| x.1)
}

/// A bank or social-security card number: 16–19 digits whose last is the Luhn check digit.
pub fn check_card_number(raw: &str) -> Result<String, String> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if !(16..=19).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err("银行卡（社保卡）号应为16至19位数字".into());
    }
    let sum: u32 = s
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2 == 1, d * 2) {
                (false, _) => d,
                (true, x) if x > 9 => x - 9,
                (true, x) => x,
            }
        })
        .sum();
    if !sum.is_multiple_of(10) {
        return Err(format!("银行卡（社保卡）号“{}”校验位不正确", mask_card(&s)));
    }
    Ok(s)
}

/// 6222********1234: the first four and the last four digits shown.
pub fn mask_card(s: &str) -> String {
    crate::disasters::ledgers::mask_id_number(s)
}

/// A name with its middle masked for the public list: 张* / 张*丰 / 欧**娜.
pub use crate::kernel::personal::mask_name;

/// An entry as entered (amounts as text: exact decimal yuan).
#[derive(Debug, Clone, Default)]
pub struct EntryInput {
    pub phase: String,
    pub township: String,
    pub village: String,
    pub name: String,
    pub id_number: String,
    pub household: i64,
    pub phone: Option<String>,
    pub kind: String,
    pub amount: String,
    pub items: Option<String>,
    /// RFC 3339 or `2026-07-10 14:00`; empty: now.
    pub given_at: Option<String>,
    pub card_number: Option<String>,
    /// 倒损住房恢复重建 only.
    pub progress: Option<String>,
    pub percent: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedEntry {
    pub phase: String,
    pub township: String,
    pub village: String,
    pub name: String,
    pub id_number: String,
    pub household: i64,
    pub phone: Option<String>,
    pub kind: String,
    pub amount_fen: i64,
    pub items: Option<String>,
    pub given_ms: i64,
    pub card_number: Option<String>,
    pub progress: Option<String>,
    pub percent: Option<i64>,
}

fn township(errs: &mut Errors, code: &str, affected: &[(String, String)], prefix: Option<&str>) {
    match affected.iter().find(|t| t.0 == code.trim()) {
        None => errs.add(
            "township",
            format!("乡镇（街道）“{code}”不在该灾害过程的受灾乡镇（街道）中"),
        ),
        Some(t) if !covers(prefix, &t.0) => {
            errs.add("township", format!("{}：{TOWNSHIP_OUTSIDE_SCOPE}", t.1))
        }
        Some(_) => {}
    }
}

/// The progress and percent of a rebuilt house (both or neither; only in 倒损住房恢复重建).
pub fn check_progress(
    errs: &mut Errors,
    phase: &str,
    progress: Option<&str>,
    percent: Option<i64>,
) -> (Option<String>, Option<i64>) {
    let progress = progress.map(str::trim).filter(|s| !s.is_empty());
    if phase != "rebuild" {
        if progress.is_some() || percent.is_some() {
            errs.add("progress", "只有倒损住房恢复重建登记建设进度");
        }
        return (None, None);
    }
    let p = progress.unwrap_or("not_started");
    if label(PROGRESS, p).is_empty() {
        errs.add("progress", "建设进度应为未开工、在建、竣工或入住");
    }
    let pct = percent.unwrap_or(match p {
        "completed" | "moved_in" => 100,
        _ => 0,
    });
    if !(0..=100).contains(&pct) {
        errs.add("percent", "完成比例应为 0 至 100 的整数");
    }
    (Some(p.to_string()), Some(pct))
}

// Long because: one check per field of the entry, every error collected.
/// Checks an entry of a process whose townships are `affected`; `now_ms` bounds the time given.
pub fn check_entry(
    e: &EntryInput,
    affected: &[(String, String)],
    prefix: Option<&str>,
    now_ms: i64,
) -> Result<CheckedEntry, Invalid> {
    let mut errs = Errors::default();
    if label(PHASES, e.phase.trim()).is_empty() {
        errs.add(
            "phase",
            "救助阶段应为应急救助、过渡期生活救助、遇难人员家属抚慰、倒损住房恢复重建或冬春生活困难救助",
        );
    }
    township(&mut errs, &e.township, affected, prefix);
    let village = errs.check("village", required_text("村（社区）", &e.village, 100));
    let name = errs.check("name", required_text("姓名", &e.name, 50));
    let id = errs.check("id_number", check_id_number(&e.id_number));
    if !(1..=50).contains(&e.household) {
        errs.add("household", "家庭人口应为 1 至 50 的整数");
    }
    let ph = errs.check("phone", phone("联系电话", e.phone.as_deref().unwrap_or("")));
    let kind = e.kind.trim();
    if label(KINDS, kind).is_empty() {
        errs.add("kind", "救助方式应为资金、物资或安置");
    }
    let amount = errs.check("amount", parse_fen("救助金额", &e.amount));
    if kind == "cash" && amount == Some(0) {
        errs.add("amount", "资金救助的金额应大于 0");
    }
    let items = errs.check(
        "items",
        optional_text("物资明细", e.items.as_deref().unwrap_or(""), 500),
    );
    if kind != "cash" && matches!(items, Some(None)) {
        errs.add("items", "物资或安置救助请填写物资明细（安置地点）");
    }
    let given_ms = match e
        .given_at
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Some(now_ms),
        Some(s) => match crate::kernel::clock::parse_instant(s) {
            Ok(ms) if ms > now_ms => {
                errs.add("given_at", "发放时间不能晚于现在");
                None
            }
            Ok(ms) => Some(ms),
            Err(_) => {
                errs.add(
                    "given_at",
                    format!("发放时间“{s}”格式不正确，应为 2026-07-10 14:00"),
                );
                None
            }
        },
    };
    let card = match e
        .card_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Some(None),
        Some(c) => errs.check("card_number", check_card_number(c)).map(Some),
    };
    let (progress, percent) =
        check_progress(&mut errs, e.phase.trim(), e.progress.as_deref(), e.percent);
    match (
        errs.is_empty(),
        village,
        name,
        id,
        ph,
        amount,
        items,
        given_ms,
        card,
    ) {
        (
            true,
            Some(village),
            Some(name),
            Some(id_number),
            Some(phone),
            Some(amount_fen),
            Some(items),
            Some(given_ms),
            Some(card_number),
        ) => Ok(CheckedEntry {
            phase: e.phase.trim().into(),
            township: e.township.trim().into(),
            village,
            name,
            id_number,
            household: e.household,
            phone,
            kind: kind.into(),
            amount_fen,
            items,
            given_ms,
            card_number,
            progress,
            percent,
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// The phase an entry made from a 台账 belongs to: a family of the 死亡失踪台账 is comforted, a
/// household of the 倒损住房台账 rebuilds.
pub fn phase_of_ledger(ledger: &str) -> Option<&'static str> {
    match ledger {
        "person" => Some("condolence"),
        "house" => Some("rebuild"),
        _ => None,
    }
}

/// The 10-hour target (浔阳 专栏1): basic living relief within 10 hours of the 初报.
pub const TARGET_MS: i64 = 10 * 3_600_000;

/// The verdict of one township.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// ≤ 10 h.
    Met,
    /// Relief came later than 10 h.
    Late,
    /// No relief yet (elapsed counted on the clock); late once 10 h have passed.
    Pending { late: bool },
    /// No 初报 yet: nothing to measure from.
    NoReport,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::Late => "late",
            Self::Pending { late: false } => "pending",
            Self::Pending { late: true } => "pending_late",
            Self::NoReport => "no_report",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Met => "达标",
            Self::Late => "超时",
            Self::Pending { late: false } => "尚未救助",
            Self::Pending { late: true } => "尚未救助（已超时）",
            Self::NoReport => "尚无初报",
        }
    }
}

/// The measure of one township: the verdict and the time counted (ms).
pub fn measure(
    initial_ms: Option<i64>,
    first_relief_ms: Option<i64>,
    now_ms: i64,
) -> (Verdict, Option<i64>) {
    let Some(start) = initial_ms else {
        return (Verdict::NoReport, None);
    };
    match first_relief_ms {
        Some(t) => {
            let d = (t - start).max(0);
            (
                if d <= TARGET_MS {
                    Verdict::Met
                } else {
                    Verdict::Late
                },
                Some(d),
            )
        }
        None => {
            let d = (now_ms - start).max(0);
            (
                Verdict::Pending {
                    late: d > TARGET_MS,
                },
                Some(d),
            )
        }
    }
}

/// Hours with one decimal: 9 h 30 min → "9.5".
pub fn hours(ms: i64) -> String {
    let tenths = (ms + 180_000) / 360_000;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_and_masks() {
        assert_eq!(
            check_card_number("4111 1111 1111 1111").unwrap(),
            "4111111111111111"
        );
        assert!(check_card_number("4111111111111112").is_err());
        assert!(check_card_number("411111111111").is_err());
        assert_eq!(mask_card("4111111111111111"), "4111********1111");
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("张三丰"), "张*丰");
        assert_eq!(mask_name("欧阳娜娜"), "欧**娜");
    }

    #[test]
    fn ten_hours() {
        let h = 3_600_000;
        assert_eq!(measure(Some(0), Some(10 * h), 0).0, Verdict::Met);
        assert_eq!(measure(Some(0), Some(10 * h + 1), 0).0, Verdict::Late);
        assert_eq!(
            measure(Some(0), None, 11 * h).0,
            Verdict::Pending { late: true }
        );
        assert_eq!(measure(None, None, 0).0, Verdict::NoReport);
        assert_eq!(hours(9 * h + 30 * 60_000), "9.5");
    }
}
