//! 行政处罚案件 from 立案 to 结案 (issue 21): the states, who may take which step, the statutory
//! days (penalty::CaseDays, calendar days in Asia/Shanghai), the fine against the discretion
//! table (penalty::DiscretionTable) and the 行刑衔接 flag. Pure: the store applies the outcome.
//!
//! 行刑衔接 rule: a case is flagged for transfer to the public security organs when its accident
//! is 较大 or worse (such an accident meets the 重大责任事故罪 thresholds of 刑法 第一百三十四条 on
//! its own), or when the 法制审核员 or a manager flags it explicitly with a written reason.

use jiff::civil::Date;

pub use super::case_input::{
    NewCaseInput, check_new_case, filed_summary, overdue_note, step_summary,
};
use super::case_windows::{Windows, decision_hold, window_step};
use super::penalty::{AccidentGrade, CaseDays, DiscretionTable};
use crate::kernel::role::Role;
use crate::kernel::validation::Invalid;

/// The states of a case, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseState {
    Filed,
    Investigating,
    Reviewing,
    Notified,
    Decided,
    Executing,
    Closed,
}

impl CaseState {
    pub const ALL: [CaseState; 7] = [
        Self::Filed,
        Self::Investigating,
        Self::Reviewing,
        Self::Notified,
        Self::Decided,
        Self::Executing,
        Self::Closed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Filed => "filed",
            Self::Investigating => "investigating",
            Self::Reviewing => "reviewing",
            Self::Notified => "notified",
            Self::Decided => "decided",
            Self::Executing => "executing",
            Self::Closed => "closed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Filed => "立案",
            Self::Investigating => "调查取证",
            Self::Reviewing => "案件审理",
            Self::Notified => "告知",
            Self::Decided => "决定",
            Self::Executing => "执行",
            Self::Closed => "结案",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
    /// Still waiting for the decision (the 90 days run).
    pub fn before_decision(self) -> bool {
        self < Self::Decided
    }
}

/// Where a case comes from.
pub const SOURCES: [(&str, &str); 3] = [
    ("finding", "检查发现"),
    ("complaint", "投诉举报"),
    ("referral", "移送"),
];

/// Accident grades as stored, with the penalty module's grade.
pub const GRADES: [(&str, AccidentGrade); 4] = [
    ("general", AccidentGrade::General),
    ("large", AccidentGrade::Large),
    ("major", AccidentGrade::Major),
    ("extraordinary", AccidentGrade::Extraordinary),
];

pub fn parse_grade(s: &str) -> Option<AccidentGrade> {
    GRADES.iter().find(|(c, _)| *c == s).map(|(_, g)| *g)
}

/// The steps of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Investigate,
    SubmitReview,
    ReturnReview,
    Approve,
    Decide,
    Execute,
    Close,
    Extend,
    Transfer,
    Statement,
    HearingRequest,
    Hearing,
}

impl Step {
    pub const ALL: [Step; 12] = [
        Self::Investigate,
        Self::SubmitReview,
        Self::Approve,
        Self::ReturnReview,
        Self::Decide,
        Self::Execute,
        Self::Close,
        Self::Extend,
        Self::Transfer,
        Self::Statement,
        Self::HearingRequest,
        Self::Hearing,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Investigate => "investigate",
            Self::SubmitReview => "submit_review",
            Self::ReturnReview => "return_review",
            Self::Approve => "approve",
            Self::Decide => "decide",
            Self::Execute => "execute",
            Self::Close => "close",
            Self::Extend => "extend",
            Self::Transfer => "transfer",
            Self::Statement => "statement",
            Self::HearingRequest => "hearing_request",
            Self::Hearing => "hearing",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Investigate => "开始调查取证",
            Self::SubmitReview => "提交法制审核",
            Self::ReturnReview => "退回补充调查",
            Self::Approve => "法制审核通过并送达告知书",
            Self::Decide => "作出行政处罚决定",
            Self::Execute => "执行",
            Self::Close => "结案",
            Self::Extend => "延长办案期限",
            Self::Transfer => "行刑衔接移送",
            Self::Statement => "记录陈述申辩",
            Self::HearingRequest => "记录听证申请",
            Self::Hearing => "记录听证",
        }
    }
    pub fn parse(s: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| Invalid::one("step", format!("办案步骤“{s}”无效")))
    }
    /// The states the step may be taken in, and the state afterwards (`None`: unchanged).
    fn states(self) -> (&'static [CaseState], Option<CaseState>) {
        use CaseState::*;
        match self {
            Self::Investigate => (&[Filed], Some(Investigating)),
            Self::SubmitReview => (&[Investigating], Some(Reviewing)),
            Self::ReturnReview => (&[Reviewing], Some(Investigating)),
            Self::Approve => (&[Reviewing], Some(Notified)),
            Self::Decide => (&[Notified], Some(Decided)),
            Self::Execute => (&[Decided], Some(Executing)),
            Self::Close => (&[Executing], Some(Closed)),
            Self::Extend => (&[Filed, Investigating, Reviewing, Notified], None),
            Self::Statement | Self::HearingRequest | Self::Hearing => (&[Notified], None),
            Self::Transfer => (
                &[
                    Filed,
                    Investigating,
                    Reviewing,
                    Notified,
                    Decided,
                    Executing,
                ],
                None,
            ),
        }
    }
}

/// The steps that may be taken in `state` (whoever the caller is).
pub fn steps_in(state: CaseState) -> Vec<Step> {
    Step::ALL
        .into_iter()
        .filter(|s| s.states().0.contains(&state))
        .collect()
}

/// The label of a timeline row's step code (`file`, `overdue` and the steps).
pub fn step_label(code: &str) -> &'static str {
    match code {
        "file" => "立案",
        "overdue" => "期限逾期",
        c => Step::parse(c).map(Step::label).unwrap_or(""),
    }
}

/// How the caller stands to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// 局领导, 部门人员, 管理员 of the case's department.
    Manager,
    /// A 执法人员 who is one of the case's 承办人.
    Investigator,
    /// A 法制审核员 of the case's department who did not investigate it.
    Reviewer,
    /// A 法制审核员 who is one of the case's 承办人.
    ReviewerWhoInvestigated,
    Other,
}

impl Standing {
    pub fn of(role: Role, user_id: &str, investigators: &[String]) -> Self {
        let investigated = investigators.iter().any(|i| i == user_id);
        match role {
            Role::Admin | Role::Commander | Role::DepartmentStaff => Self::Manager,
            Role::LegalReviewer if investigated => Self::ReviewerWhoInvestigated,
            Role::LegalReviewer => Self::Reviewer,
            Role::Inspector if investigated => Self::Investigator,
            _ => Self::Other,
        }
    }
}

/// How the store limits a list of cases for a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseView {
    /// The cases of the departments the caller may see (push_departments).
    Departments,
    /// A 法制审核员: their department's cases awaiting review and the ones they reviewed.
    Reviewer,
    /// An inspector: the cases they investigate.
    Investigator,
    /// An enterprise user: their enterprise's cases.
    Enterprise,
    None,
}

pub fn case_view(role: Role) -> CaseView {
    match role {
        Role::Admin | Role::Commander | Role::DepartmentStaff => CaseView::Departments,
        Role::LegalReviewer => CaseView::Reviewer,
        Role::Inspector => CaseView::Investigator,
        Role::EnterpriseUser => CaseView::Enterprise,
        _ => CaseView::None,
    }
}

/// May open a case (立案): the managers and the inspectors.
pub fn may_file(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Commander | Role::DepartmentStaff | Role::Inspector
    )
}

/// May be a case's 承办人: 执法人员, staff, or a 法制审核员 (who then may not review that case).
pub fn may_investigate(role: Role) -> bool {
    matches!(
        role,
        Role::Inspector | Role::DepartmentStaff | Role::LegalReviewer
    )
}

/// 执法人员不得少于两人 (行政处罚法 第四十二条).
pub const TOO_FEW_INVESTIGATORS: &str = "承办人不得少于两人，且须为本部门的执法人员或部门人员";

pub const NOT_A_CASE_READER: &str = "行政处罚案件仅供执法部门、承办人、法制审核员和当事企业查看";
pub const NOT_A_CASE_FILER: &str = "只有局领导、部门人员、执法人员和管理员可以立案";
pub const CASE_NOT_FOUND: &str = "案件不存在或不在您的管辖范围内";
pub const REVIEWER_INVESTIGATED: &str =
    "法制审核员不能审核自己参与调查的案件（审查与调查分离），请由未参与调查的法制审核员审核";

/// What a case's step depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub state: CaseState,
    pub filed: Date,
    pub decision_due: Date,
    pub extended_until: Option<Date>,
    pub accident_grade: Option<AccidentGrade>,
    pub aggravated: bool,
    pub proposed_fine: Option<i64>,
    /// The 陈述申辩 and 听证 windows after the 告知书.
    pub windows: Windows,
}

impl CaseFacts {
    /// The day the decision is due, with an approved extension.
    pub fn effective_due(&self) -> Date {
        self.extended_until.unwrap_or(self.decision_due)
    }
}

/// A step's input (fields unused by a step are ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepInput {
    pub note: Option<String>,
    pub accident_grade: Option<String>,
    pub aggravated: bool,
    pub amount_yuan: Option<i64>,
    pub fine_reason: Option<String>,
    pub extend_until: Option<String>,
    pub paid: bool,
    pub compulsory: bool,
    pub transfer_reason: Option<String>,
    /// statement: the party waived 陈述申辩 (放弃陈述申辩).
    pub waived: bool,
}

/// What a step changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepOutcome {
    pub to: Option<CaseState>,
    pub accident_grade: Option<String>,
    pub aggravated: Option<bool>,
    pub proposed_fine: Option<i64>,
    pub decided_fine: Option<i64>,
    pub fine_reason: Option<String>,
    pub set_reviewer: bool,
    pub statement_until: Option<Date>,
    pub hearing_until: Option<Date>,
    pub decided_day: Option<Date>,
    pub payment_due: Option<Date>,
    pub extended_until: Option<Date>,
    pub extension_reason: Option<String>,
    pub paid: Option<bool>,
    pub compulsory: Option<bool>,
    pub transfer_reason: Option<String>,
    /// statement: `waived` or `made`; hearing_request, hearing: `requested`, `held`.
    pub statement: Option<String>,
    pub hearing: Option<String>,
    /// The timeline note a window step records when the caller wrote none.
    pub window_note: Option<String>,
    /// A deadline timer to schedule: (kind, the day it runs to).
    pub deadline: Option<(Deadline, Date)>,
}

/// The deadlines that count down on the durable timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// The decision, 90 days from 立案 (or the extension).
    Decision,
    /// Paying the fine, 15 days from the decision.
    Payment,
}

impl Deadline {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Decision => "decision",
            Self::Payment => "payment",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Decision, Self::Payment]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Decision => "作出处罚决定",
            Self::Payment => "缴纳罚款",
        }
    }
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Forbidden(String),
    /// A step in the wrong state (409, naming `step`).
    WrongState(String),
    Invalid(Invalid),
}

impl From<Invalid> for Refusal {
    fn from(i: Invalid) -> Self {
        Self::Invalid(i)
    }
}

/// The wrong-state message.
pub fn wrong_state(state: CaseState, step: Step) -> String {
    format!("案件处于“{}”阶段，不能“{}”", state.label(), step.label())
}

fn may_take(step: Step, s: Standing) -> Result<(), Refusal> {
    use Standing::*;
    let ok = match step {
        Step::ReturnReview | Step::Approve => s == Reviewer,
        Step::Decide | Step::Extend => s == Manager,
        Step::Transfer => matches!(s, Manager | Reviewer),
        _ => matches!(s, Manager | Investigator),
    };
    if ok {
        return Ok(());
    }
    Err(Refusal::Forbidden(match (step, s) {
        (Step::ReturnReview | Step::Approve, ReviewerWhoInvestigated) => {
            REVIEWER_INVESTIGATED.into()
        }
        (Step::ReturnReview | Step::Approve, _) => "法制审核须由未参与调查的法制审核员进行".into(),
        (Step::Decide | Step::Extend, _) => {
            format!("“{}”须由局领导、部门负责人批准", step.label())
        }
        _ => format!("只有本案承办人和执法部门可以“{}”", step.label()),
    }))
}

fn text(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Checks a step and answers what it changes. `today` is the day in Asia/Shanghai.
pub fn check_step(
    facts: &CaseFacts,
    standing: Standing,
    step: Step,
    input: &StepInput,
    today: Date,
) -> Result<StepOutcome, Refusal> {
    may_take(step, standing)?;
    let (from, to) = step.states();
    if !from.contains(&facts.state) {
        return Err(Refusal::WrongState(wrong_state(facts.state, step)));
    }
    let days = CaseDays::default();
    let mut out = StepOutcome {
        to,
        ..Default::default()
    };
    match step {
        Step::SubmitReview => fine(facts, input, &mut out, false)?,
        Step::Approve => {
            out.set_reviewer = true;
            out.statement_until = Some(add(today, days.statement));
            out.hearing_until = Some(days.hearing_request_until(today));
        }
        Step::Statement | Step::HearingRequest | Step::Hearing => {
            window_step(&facts.windows, step, input, today, &mut out)?;
        }
        Step::Decide => {
            // The input's faults first (400), then the windows (409).
            fine(facts, input, &mut out, true)?;
            decision_hold(&facts.windows, today)?;
            out.decided_day = Some(today);
            let due = add(today, days.payment);
            out.payment_due = Some(due);
            out.deadline = Some((Deadline::Payment, due));
        }
        Step::Execute => {
            if !input.paid && !input.compulsory {
                return Err(
                    Invalid::one("paid", "请选择罚款已缴纳，或已申请人民法院强制执行").into(),
                );
            }
            out.paid = Some(input.paid);
            out.compulsory = Some(input.compulsory);
        }
        Step::Extend => extend(facts, input, &mut out)?,
        Step::Transfer => {
            out.transfer_reason = Some(text(&input.transfer_reason).ok_or_else(|| {
                Invalid::one("transfer_reason", "请填写移送公安机关（行刑衔接）的理由")
            })?);
        }
        _ => {}
    }
    Ok(out)
}

/// The proposed (or decided) fine against the discretion table.
fn fine(
    facts: &CaseFacts,
    input: &StepInput,
    out: &mut StepOutcome,
    deciding: bool,
) -> Result<(), Refusal> {
    let amount = match (input.amount_yuan, deciding) {
        (Some(a), _) => a,
        (None, true) => facts.proposed_fine.unwrap_or(0),
        (None, false) => return Err(Invalid::one("amount_yuan", "请填写建议罚款金额（元）").into()),
    };
    if amount < 0 {
        return Err(Invalid::one("amount_yuan", "罚款金额不能为负数").into());
    }
    let grade = match text(&input.accident_grade) {
        Some(g) => Some(
            parse_grade(&g)
                .ok_or_else(|| Invalid::one("accident_grade", format!("事故等级“{g}”无效")))?,
        ),
        None if deciding => facts.accident_grade,
        None => None,
    };
    let aggravated = input.aggravated || (deciding && facts.aggravated);
    let reason = text(&input.fine_reason);
    if let Some(g) = grade {
        DiscretionTable::default().check_enterprise_fine(
            g,
            amount,
            aggravated,
            reason.as_deref(),
        )?;
        out.accident_grade = GRADES
            .iter()
            .find(|(_, x)| *x == g)
            .map(|(c, _)| c.to_string());
        if g != AccidentGrade::General {
            out.transfer_reason = Some(auto_transfer_reason(g));
        }
    }
    out.aggravated = Some(aggravated);
    out.fine_reason = reason;
    if deciding {
        out.decided_fine = Some(amount);
    } else {
        out.proposed_fine = Some(amount);
    }
    Ok(())
}

/// The reason recorded when a case is flagged for 行刑衔接 by its accident's grade.
pub fn auto_transfer_reason(g: AccidentGrade) -> String {
    format!(
        "{}达到刑事追诉标准，依法移送公安机关（行刑衔接）",
        g.label()
    )
}

fn extend(facts: &CaseFacts, input: &StepInput, out: &mut StepOutcome) -> Result<(), Refusal> {
    let raw = text(&input.extend_until)
        .ok_or_else(|| Invalid::one("extend_until", "请填写延长后的办案期限"))?;
    let until: Date = raw
        .parse()
        .map_err(|_| Invalid::one("extend_until", format!("日期“{raw}”无效，应为 YYYY-MM-DD")))?;
    if until <= facts.effective_due() {
        return Err(Invalid::one(
            "extend_until",
            format!("延长后的期限应晚于现在的期限 {}", facts.effective_due()),
        )
        .into());
    }
    out.extension_reason = Some(
        text(&input.note)
            .ok_or_else(|| Invalid::one("note", "请填写延长办案期限的理由和批准情况"))?,
    );
    out.extended_until = Some(until);
    out.deadline = Some((Deadline::Decision, until));
    Ok(())
}

fn add(d: Date, n: i64) -> Date {
    use jiff::ToSpan;
    d.checked_add(n.days()).unwrap_or(d)
}

/// The instant a deadline day has passed: 00:00 the next day in Asia/Shanghai (hazards' rule).
pub use crate::prevention::hazard::overdue_from_ms as day_end_ms;

/// Whole days left until `due` (negative when overdue).
pub fn days_left(due: Date, today: Date) -> i64 {
    i64::from((due - today).get_days())
}

#[cfg(test)]
#[path = "case_tests.rs"]
mod tests;
