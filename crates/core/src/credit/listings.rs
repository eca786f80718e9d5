//! The steps of a 严重失信主体名单 listing (应急管理部令第11号): proposed → 告知 → 陈述申辩 →
//! decision (listed or not) → published → 3 years' management → 信用修复 (early removal, no
//! earlier than 12 months after listing) or automatic removal at the end, and restoration when a
//! repair was obtained by fraud. Who may do what, the dates (Asia/Shanghai) and the wording.

use crate::kernel::role::Role;
use crate::kernel::validation::{optional_text, required_text};
use crate::{FieldError, Invalid};
use jiff::ToSpan;
use jiff::civil::Date;

/// Years a subject stays on the list.
pub const MANAGEMENT_YEARS: i16 = 3;
/// Months after listing before 信用修复 may be requested.
pub const REPAIR_AFTER_MONTHS: i8 = 12;
/// Default days of the 陈述申辩 window after the 告知.
pub const DEFAULT_STATEMENT_DAYS: i64 = 5;

pub const NOT_A_READER: &str = "严重失信主体名单仅供局领导、部门人员、管理员和企业本身查看";
pub const NOT_A_MANAGER: &str = "只有局领导、部门人员和管理员可以办理严重失信主体名单";
pub const NOT_FOUND: &str = "名单记录不存在或不在您的管辖范围内";
pub const NOT_THE_DECIDER: &str =
    "名单由作出行政处罚的部门决定（谁处罚、谁决定），其他部门不能办理";

/// May read listings (an enterprise user its own).
pub fn may_read(role: Role) -> bool {
    may_manage(role) || role == Role::EnterpriseUser
}

/// May enter qualifying records, propose and take the department's steps.
pub fn may_manage(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DepartmentStaff)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Proposed,
    Noticed,
    NotListed,
    Listed,
    RepairRequested,
    Removed,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Self::Proposed,
        Self::Noticed,
        Self::NotListed,
        Self::Listed,
        Self::RepairRequested,
        Self::Removed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Noticed => "noticed",
            Self::NotListed => "not_listed",
            Self::Listed => "listed",
            Self::RepairRequested => "repair_requested",
            Self::Removed => "removed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Proposed => "拟列入（待告知）",
            Self::Noticed => "已告知（陈述申辩）",
            Self::NotListed => "决定不予列入",
            Self::Listed => "已列入",
            Self::RepairRequested => "信用修复申请中",
            Self::Removed => "已移出",
        }
    }
    /// On the list (within its management period, unless removed).
    pub fn on_list(self) -> bool {
        matches!(self, Self::Listed | Self::RepairRequested)
    }
}

/// The dates a listing decision fixes (C05).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub listed_day: Date,
    /// The last day is the day before: removed automatically on this day.
    pub expires_day: Date,
    pub early_removal_eligible_day: Date,
}

/// `expires_day = listed_day + 3 years`, `early_removal_eligible_day = listed_day + 12 months`.
pub fn period(listed_day: Date) -> Period {
    Period {
        listed_day,
        expires_day: listed_day
            .checked_add(i64::from(MANAGEMENT_YEARS).years())
            .unwrap_or(listed_day),
        early_removal_eligible_day: listed_day
            .checked_add(i64::from(REPAIR_AFTER_MONTHS).months())
            .unwrap_or(listed_day),
    }
}

/// Within the management period on `today` (shown on the public page).
pub fn in_period(listed_day: Date, expires_day: Date, today: Date) -> bool {
    listed_day <= today && today < expires_day
}

/// A step on a listing, as the API takes it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct StepInput {
    pub step: String,
    pub number: Option<String>,
    pub day: Option<String>,
    pub statement_days: Option<i64>,
    pub text: Option<String>,
    pub listed: Option<bool>,
    pub approve: Option<bool>,
    pub reason: Option<String>,
}

/// A checked step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// 告知 with the notice's 文号 and date; the 陈述申辩 window ends `statement_until`.
    Notice {
        number: String,
        day: Date,
        statement_until: Date,
    },
    /// The subject's 陈述申辩.
    Statement { text: String },
    /// 列入 with the decision's 文号 and date.
    List { number: String, day: Date },
    /// 不予列入 with the reason.
    NotList { reason: String },
    /// Published on the public page.
    Publish,
    /// 信用修复 requested with the reasons.
    RequestRepair { reason: String },
    /// The repair decided: removed early, or refused, with reasons.
    DecideRepair { approve: bool, reason: String },
    /// The repair was obtained by fraud: listed again to the original end.
    Restore { reason: String },
}

impl Step {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Notice { .. } => "notice",
            Self::Statement { .. } => "statement",
            Self::List { .. } | Self::NotList { .. } => "decide",
            Self::Publish => "publish",
            Self::RequestRepair { .. } => "request_repair",
            Self::DecideRepair { .. } => "decide_repair",
            Self::Restore { .. } => "restore",
        }
    }
    /// The subject's own steps (an enterprise user may take these on its listing).
    pub fn by_subject(&self) -> bool {
        matches!(self, Self::Statement { .. } | Self::RequestRepair { .. })
    }
    pub fn label(&self) -> &'static str {
        match self {
            Self::Notice { .. } => "告知",
            Self::Statement { .. } => "陈述申辩",
            Self::List { .. } => "决定列入",
            Self::NotList { .. } => "决定不予列入",
            Self::Publish => "公开",
            Self::RequestRepair { .. } => "申请信用修复",
            Self::DecideRepair { approve: true, .. } => "准予信用修复（提前移出）",
            Self::DecideRepair { approve: false, .. } => "不予信用修复",
            Self::Restore { .. } => "撤销信用修复，恢复列入",
        }
    }
}

fn day_field(field: &str, label: &str, v: Option<&str>, today: Date) -> Result<Date, FieldError> {
    let v = v.map(str::trim).unwrap_or_default();
    let d: Date = v
        .parse()
        .ok()
        .filter(|_| v.len() == 10)
        .ok_or_else(|| FieldError::new(field, format!("{label}格式应为 YYYY-MM-DD")))?;
    if d > today {
        return Err(FieldError::new(field, format!("{label}不能晚于今天")));
    }
    Ok(d)
}

fn text(field: &str, label: &str, v: Option<&str>, max: usize) -> Result<String, FieldError> {
    required_text(label, v.unwrap_or_default(), max).map_err(|m| FieldError::new(field, m))
}

/// Checks a step's input (its fields only; [`transition`] checks it against the listing).
pub fn check_step(input: &StepInput, today: Date) -> Result<Step, Invalid> {
    let one = |e: FieldError| Invalid(vec![e]);
    let number = || text("number", "文书编号", input.number.as_deref(), 60);
    let reason = |label| text("reason", label, input.reason.as_deref(), 1000);
    let day = |label| day_field("day", label, input.day.as_deref(), today);
    Ok(match input.step.as_str() {
        "notice" => {
            let days = input.statement_days.unwrap_or(DEFAULT_STATEMENT_DAYS);
            if !(1..=30).contains(&days) {
                return Err(Invalid::one("statement_days", "陈述申辩期限应为1至30天"));
            }
            let day = day("告知日期").map_err(one)?;
            Step::Notice {
                number: number().map_err(one)?,
                statement_until: day.checked_add(days.days()).unwrap_or(day),
                day,
            }
        }
        "statement" => Step::Statement {
            text: text("text", "陈述申辩内容", input.text.as_deref(), 2000).map_err(one)?,
        },
        "decide" => match input.listed {
            Some(true) => Step::List {
                number: number().map_err(one)?,
                day: day("决定日期").map_err(one)?,
            },
            Some(false) => Step::NotList {
                reason: reason("不予列入的理由").map_err(one)?,
            },
            None => return Err(Invalid::one("listed", "请选择是否列入")),
        },
        "publish" => Step::Publish,
        "request_repair" => Step::RequestRepair {
            reason: reason("信用修复申请理由").map_err(one)?,
        },
        "decide_repair" => Step::DecideRepair {
            approve: input
                .approve
                .ok_or_else(|| Invalid::one("approve", "请选择是否准予信用修复"))?,
            reason: reason("信用修复决定理由").map_err(one)?,
        },
        "restore" => Step::Restore {
            reason: reason("恢复列入的理由（修复申请存在弄虚作假）").map_err(one)?,
        },
        _ => return Err(Invalid::one("step", "办理步骤无效")),
    })
}

/// A listing's state as a step sees it.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub status: Option<Status>,
    pub notice_day: Option<Date>,
    pub statement_until: Option<Date>,
    pub has_statement: bool,
    pub listed_day: Option<Date>,
    pub expires_day: Option<Date>,
    pub published: bool,
    /// Removed early by a 信用修复 (not at the end of the period).
    pub repaired: bool,
}

/// Whether `step` may be taken on a listing in `f` on `today`; the status it leads to, or a
/// Chinese message naming the field (409 for the wrong state, 400 for a date).
pub fn transition(f: &Facts, step: &Step, today: Date) -> Result<Status, (bool, FieldError)> {
    use Status as S;
    let state = f.status.unwrap_or(S::Proposed);
    let wrong = |need: &str| {
        Err((
            true,
            FieldError::new("step", format!("当前状态为“{}”，{}", state.label(), need)),
        ))
    };
    let bad = |field: &str, m: String| Err((false, FieldError::new(field, m)));
    match step {
        Step::Notice { .. } if state != S::Proposed => wrong("只有拟列入的记录可以告知"),
        Step::Notice { .. } => Ok(S::Noticed),
        Step::Statement { .. } if state != S::Noticed => {
            wrong("只能在告知后的陈述申辩期内陈述申辩")
        }
        Step::Statement { .. } => match f.statement_until {
            Some(until) if today > until => bad("text", format!("陈述申辩期限已于{until}届满")),
            _ => Ok(S::Noticed),
        },
        Step::List { .. } | Step::NotList { .. } if state != S::Noticed => {
            wrong("须先告知并听取陈述申辩后方可作出决定")
        }
        Step::List { day, .. } if f.notice_day.is_some_and(|n| *day < n) => {
            bad("day", "决定日期不能早于告知日期".into())
        }
        Step::List { .. } | Step::NotList { .. } => match f.statement_until {
            Some(until) if !f.has_statement && today <= until => bad(
                "step",
                format!("陈述申辩期限至{until}，期满或收到陈述申辩后方可作出决定"),
            ),
            _ if matches!(step, Step::List { .. }) => Ok(S::Listed),
            _ => Ok(S::NotListed),
        },
        Step::Publish if state != S::Listed || f.published => {
            wrong("只有已列入且未公开的名单可以公开")
        }
        Step::Publish => Ok(S::Listed),
        Step::RequestRepair { .. } if state != S::Listed => {
            wrong("只有已列入的主体可以申请信用修复")
        }
        Step::RequestRepair { .. } => {
            let eligible = f.listed_day.map(|d| period(d).early_removal_eligible_day);
            match eligible {
                Some(e) if today < e => bad(
                    "step",
                    format!("列入名单满12个月后方可申请信用修复（提前移出），最早可于{e}申请"),
                ),
                _ => Ok(S::RepairRequested),
            }
        }
        Step::DecideRepair { .. } if state != S::RepairRequested => {
            wrong("没有待决定的信用修复申请")
        }
        Step::DecideRepair { approve, .. } => Ok(if *approve { S::Removed } else { S::Listed }),
        Step::Restore { .. } if state != S::Removed || !f.repaired => {
            wrong("只有经信用修复提前移出的主体可以恢复列入")
        }
        Step::Restore { .. } => match f.expires_day {
            Some(e) if today >= e => bad("step", format!("管理期限已于{e}届满，无需恢复列入")),
            _ => Ok(S::Listed),
        },
    }
}

/// Who may take a step: the deciding department's staff (or the bureau's leaders over it, or an
/// administrator) every step; the subject (an enterprise user on its own listing) its statement
/// and its repair request.
pub fn may_take(role: Role, step: &Step, decider: bool) -> Result<(), &'static str> {
    match role {
        Role::EnterpriseUser if step.by_subject() => Ok(()),
        Role::EnterpriseUser => Err(NOT_A_MANAGER),
        r if may_manage(r) && decider => Ok(()),
        r if may_manage(r) => Err(NOT_THE_DECIDER),
        _ => Err(NOT_A_MANAGER),
    }
}

/// Wording of a step for the audit log and the timeline.
pub fn step_summary(subject: &str, step: &Step) -> String {
    match step {
        Step::Notice {
            number,
            statement_until,
            ..
        } => {
            format!(
                "{subject}：告知拟列入严重失信主体名单（{number}），陈述申辩至{statement_until}"
            )
        }
        Step::List { number, day } => {
            let p = period(*day);
            format!(
                "{subject}：决定列入严重失信主体名单（{number}），管理期限{day}至{}",
                p.expires_day
            )
        }
        other => format!("{subject}：{}", other.label()),
    }
}

/// Wording of the automatic removal at the end of the period.
pub fn expiry_summary(subject: &str, expires_day: Date) -> String {
    format!("{subject}：管理期限届满，于{expires_day}自动移出严重失信主体名单")
}

/// Wording of a refused proposal: no qualifying record.
pub const NO_QUALIFYING_RECORD: &str = "该企业没有符合应急管理部令第11号列入条件的记录（特别重大/重大事故、12个月内2起以上较大事故，或部门录入的瞒报谎报、无证经营、拒不执行处罚等），不能提出列入";

/// Check the optional 主要负责人 ID number of a proposal.
pub fn check_person_code(v: Option<&str>) -> Result<Option<String>, Invalid> {
    optional_text("主要负责人身份证号", v.unwrap_or_default(), 18)
        .map_err(|m| Invalid::one("principal_code", m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn c05_period_and_early_removal_before_12_months_refused() {
        let p = period(d("2024-01-10"));
        assert_eq!(p.early_removal_eligible_day, d("2025-01-10"));
        assert_eq!(p.expires_day, d("2027-01-10"));
        let f = Facts {
            status: Some(Status::Listed),
            listed_day: Some(d("2024-01-10")),
            ..Facts::default()
        };
        let req = Step::RequestRepair {
            reason: "已整改".into(),
        };
        let (conflict, e) = transition(&f, &req, d("2024-12-01")).unwrap_err();
        assert!(!conflict);
        assert!(e.message.contains("2025-01-10"), "{}", e.message);
        assert_eq!(
            transition(&f, &req, d("2025-01-10")),
            Ok(Status::RepairRequested)
        );
    }

    #[test]
    fn in_period_ends_on_the_expiry_day() {
        let p = period(d("2024-01-10"));
        assert!(in_period(p.listed_day, p.expires_day, d("2027-01-09")));
        assert!(!in_period(p.listed_day, p.expires_day, d("2027-01-10")));
        assert!(!in_period(p.listed_day, p.expires_day, d("2024-01-09")));
    }

    #[test]
    fn a_decision_waits_for_the_statement_window() {
        let f = Facts {
            status: Some(Status::Noticed),
            notice_day: Some(d("2025-03-01")),
            statement_until: Some(d("2025-03-06")),
            ..Facts::default()
        };
        let list = Step::List {
            number: "X".into(),
            day: d("2025-03-05"),
        };
        assert!(transition(&f, &list, d("2025-03-05")).is_err());
        assert_eq!(transition(&f, &list, d("2025-03-07")), Ok(Status::Listed));
        let heard = Facts {
            has_statement: true,
            ..f
        };
        assert_eq!(
            transition(&heard, &list, d("2025-03-05")),
            Ok(Status::Listed)
        );
    }

    #[test]
    fn restore_only_after_a_repair_and_within_the_period() {
        let f = Facts {
            status: Some(Status::Removed),
            repaired: true,
            expires_day: Some(d("2027-01-10")),
            ..Facts::default()
        };
        let r = Step::Restore {
            reason: "材料造假".into(),
        };
        assert_eq!(transition(&f, &r, d("2025-06-01")), Ok(Status::Listed));
        assert!(transition(&f, &r, d("2027-01-10")).is_err());
        let expired = Facts {
            repaired: false,
            ..f
        };
        assert!(transition(&expired, &r, d("2025-06-01")).unwrap_err().0);
    }

    #[test]
    fn step_input_checked_in_chinese() {
        let today = d("2025-03-01");
        let bad = StepInput {
            step: "notice".into(),
            day: Some("2025-3-1".into()),
            ..Default::default()
        };
        let e = check_step(&bad, today).unwrap_err();
        assert_eq!(e.0[0].field, "day");
        let ok = StepInput {
            step: "notice".into(),
            day: Some("2025-03-01".into()),
            number: Some("X应急告〔2025〕1号".into()),
            ..Default::default()
        };
        match check_step(&ok, today).unwrap() {
            Step::Notice {
                statement_until, ..
            } => assert_eq!(statement_until, d("2025-03-06")),
            s => panic!("{s:?}"),
        }
    }
}
