//! 事故隐患: levels, sources, the major-hazard criteria lists, and the closed loop as a state
//! machine (shared/reference/cn-standards.md §5, vectors §9.8). Whether a transition is allowed
//! is decided here, from the hazard's state and who is asking; the store only records it.

use crate::Invalid;
use crate::kernel::clock::shanghai;
use crate::kernel::role::Role;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardLevel {
    General,
    Major,
}

impl HazardLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Major => "major",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::General => "一般隐患",
            Self::Major => "重大隐患",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "general" | "一般" | "一般隐患" => Ok(Self::General),
            "major" | "重大" | "重大隐患" => Ok(Self::Major),
            _ => Err(format!(
                "隐患等级“{s}”无效，应为 general（一般）或 major（重大）"
            )),
        }
    }
}

/// Where a hazard was found.
pub const SOURCES: &[(&str, &str)] = &[
    ("self_check", "企业自查"),
    ("inspection", "执法检查"),
    ("grid_patrol", "网格巡查"),
    ("public_report", "群众举报"),
    ("monitoring", "监测预警"),
    ("accident_investigation", "事故调查"),
];

/// 隐患类别.
pub const CATEGORIES: &[(&str, &str)] = &[
    ("management", "安全管理"),
    ("equipment", "设备设施"),
    ("site", "作业场所"),
    ("behaviour", "人员行为"),
    ("fire", "消防安全"),
    ("electrical", "电气安全"),
    ("hazchem", "危险化学品"),
    ("special_equipment", "特种设备"),
    ("public_facility", "公共设施"),
    ("natural", "自然灾害"),
    ("other", "其他"),
];

pub fn label_of(list: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已登记, waiting to be graded (定级).
    Registered,
    /// 整改中.
    Rectifying,
    /// 待验收 (一般) / 待审核销号 (重大).
    PendingAcceptance,
    /// 已验收销号.
    Closed,
    /// 不予立案 (a report that is not a hazard).
    Dismissed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Self::Registered,
        Self::Rectifying,
        Self::PendingAcceptance,
        Self::Closed,
        Self::Dismissed,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Rectifying => "rectifying",
            Self::PendingAcceptance => "pending_acceptance",
            Self::Closed => "closed",
            Self::Dismissed => "dismissed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Registered => "待定级",
            Self::Rectifying => "整改中",
            Self::PendingAcceptance => "待验收",
            Self::Closed => "已验收销号",
            Self::Dismissed => "不予立案",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| format!("隐患状态“{s}”无效"))
    }
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Registered | Self::Rectifying | Self::PendingAcceptance
        )
    }
}

/// What a user asks the loop to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Grade,
    SubmitPlan,
    Evaluate,
    SubmitRectification,
    Accept,
    Reject,
    RequestExtension,
    DecideExtension,
    Escalate,
    Transfer,
    Dismiss,
    List,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Self::Grade,
        Self::SubmitPlan,
        Self::Evaluate,
        Self::SubmitRectification,
        Self::Accept,
        Self::Reject,
        Self::RequestExtension,
        Self::DecideExtension,
        Self::Escalate,
        Self::Transfer,
        Self::Dismiss,
        Self::List,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Grade => "grade",
            Self::SubmitPlan => "submit_plan",
            Self::Evaluate => "evaluate",
            Self::SubmitRectification => "submit_rectification",
            Self::Accept => "accept",
            Self::Reject => "reject",
            Self::RequestExtension => "request_extension",
            Self::DecideExtension => "decide_extension",
            Self::Escalate => "escalate",
            Self::Transfer => "transfer",
            Self::Dismiss => "dismiss",
            Self::List => "list",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Grade => "定级",
            Self::SubmitPlan => "提交治理方案",
            Self::Evaluate => "治理评估",
            Self::SubmitRectification => "整改完成，申请验收",
            Self::Accept => "验收销号",
            Self::Reject => "验收驳回",
            Self::RequestExtension => "申请延期",
            Self::DecideExtension => "审批延期",
            Self::Escalate => "升级为重大隐患",
            Self::Transfer => "转办",
            Self::Dismiss => "不予立案",
            Self::List => "挂牌督办",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| format!("操作“{s}”无效"))
    }
}

/// How the caller stands to one hazard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// 负有监管职责的部门 and bureau leadership (admin, commander, department staff, inspector).
    Regulator,
    /// 属地: street and community staff.
    Local,
    /// A user of the enterprise the hazard belongs to.
    OwnEnterprise,
    /// 专家: may record an evaluation.
    Expert,
    /// Anyone else who can see it (grid workers, duty officers): may only report and read.
    Observer,
}

impl Standing {
    pub fn of(role: Role, own_enterprise: bool) -> Self {
        match role {
            Role::Admin | Role::Commander | Role::DepartmentStaff | Role::Inspector => {
                Self::Regulator
            }
            Role::StreetStaff => Self::Local,
            Role::EnterpriseUser if own_enterprise => Self::OwnEnterprise,
            Role::Expert => Self::Expert,
            _ => Self::Observer,
        }
    }
    fn is_government(self) -> bool {
        matches!(self, Self::Regulator | Self::Local)
    }
}

/// The facts about a hazard a transition depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct HazardFacts {
    pub status: Status,
    pub level: HazardLevel,
    /// Whether the hazard belongs to an enterprise (else a place such as a street or a bridge).
    pub has_enterprise: bool,
    pub reporter_id: Option<String>,
    /// Who submitted the rectification (for the acceptor rule).
    pub rectifier_id: Option<String>,
    pub has_plan: bool,
    pub has_evaluation: bool,
    pub extension_pending: bool,
    pub listed: bool,
}

/// Per-district rules of the loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct HazardConfig {
    /// 验收人不得为整改人 (the reference's recommendation).
    pub acceptor_differs_from_rectifier: bool,
    /// 验收人不得为上报人.
    pub acceptor_differs_from_reporter: bool,
    /// 挂牌督办 escalation after the listing deadline.
    pub escalation_steps: Vec<EscalationStep>,
}

impl Default for HazardConfig {
    fn default() -> Self {
        Self {
            acceptor_differs_from_rectifier: true,
            acceptor_differs_from_reporter: false,
            escalation_steps: vec![
                EscalationStep::new("letter", "函告", 1),
                EscalationStep::new("notice", "通报", 7),
                EscalationStep::new("interview", "约谈", 15),
            ],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationStep {
    pub code: String,
    pub label: String,
    /// Fires at 00:00 (Asia/Shanghai) this many days after the listing deadline.
    pub days_after_deadline: i64,
}

impl EscalationStep {
    pub fn new(code: &str, label: &str, days: i64) -> Self {
        Self {
            code: code.into(),
            label: label.into(),
            days_after_deadline: days,
        }
    }
}

impl HazardConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = crate::kernel::validation::Errors::default();
        let mut last = 0;
        for (i, s) in self.escalation_steps.iter().enumerate() {
            if s.code.trim().is_empty() || s.label.trim().is_empty() {
                errs.add(
                    &format!("escalation_steps[{i}]"),
                    "督办升级步骤的代码和名称不能为空",
                );
            }
            if s.days_after_deadline < 1 || s.days_after_deadline > 365 {
                errs.add(
                    &format!("escalation_steps[{i}].days_after_deadline"),
                    "督办升级步骤的天数应为 1 至 365",
                );
            } else if s.days_after_deadline <= last {
                errs.add(
                    &format!("escalation_steps[{i}].days_after_deadline"),
                    "督办升级步骤的天数应逐级递增",
                );
            }
            last = s.days_after_deadline;
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }
}

/// Checks that `actor` in `standing` may apply `action` now; returns the status afterwards.
/// The error is the Chinese reason the API returns with 409 (or 403 for a role problem).
pub fn transition(
    facts: &HazardFacts,
    action: Action,
    standing: Standing,
    actor_id: &str,
    cfg: &HazardConfig,
) -> Result<Status, Refusal> {
    use Action::*;
    use Status::*;
    let s = facts.status;
    let rectifier_side = match standing {
        Standing::OwnEnterprise => true,
        Standing::Regulator | Standing::Local => !facts.has_enterprise,
        _ => false,
    };
    let forbid = |who: &str| Err(Refusal::Forbidden(format!("{who}才能{}", action.label())));
    let conflict = |why: String| Err(Refusal::Conflict(why));
    let wrong_state = || {
        Err(Refusal::Conflict(format!(
            "隐患当前为“{}”，不能{}",
            s.label(),
            action.label()
        )))
    };
    match action {
        Grade => {
            if s != Registered {
                return wrong_state();
            }
            if !(standing.is_government() || standing == Standing::OwnEnterprise) {
                return forbid("监管部门、属地人员或本企业");
            }
            Ok(Rectifying)
        }
        SubmitPlan | Evaluate => {
            if s != Rectifying {
                return wrong_state();
            }
            if facts.level != HazardLevel::Major {
                return conflict("治理方案和治理评估只用于重大隐患".into());
            }
            let may = rectifier_side || (action == Evaluate && standing == Standing::Expert);
            if !may {
                return forbid(if action == Evaluate {
                    "整改责任方或专家"
                } else {
                    "整改责任方"
                });
            }
            if action == Evaluate && !facts.has_plan {
                return conflict("请先提交治理方案，再进行治理评估".into());
            }
            Ok(Rectifying)
        }
        SubmitRectification => {
            if s != Rectifying {
                return wrong_state();
            }
            if !rectifier_side {
                return forbid("整改责任方");
            }
            if facts.level == HazardLevel::Major && !(facts.has_plan && facts.has_evaluation) {
                return conflict(
                    "重大隐患须先提交治理方案（六项内容）并完成治理评估，才能申请销号".into(),
                );
            }
            Ok(PendingAcceptance)
        }
        Accept | Reject => {
            if s != PendingAcceptance {
                return wrong_state();
            }
            if facts.level == HazardLevel::Major {
                if standing != Standing::Regulator {
                    return forbid("负有监管职责的部门审核后");
                }
            } else if !(standing.is_government() || standing == Standing::OwnEnterprise) {
                return forbid("监管部门、属地人员或本企业");
            }
            if action == Accept {
                if cfg.acceptor_differs_from_rectifier
                    && facts.rectifier_id.as_deref() == Some(actor_id)
                {
                    return conflict("验收人不能是整改人，请由其他人员验收".into());
                }
                if cfg.acceptor_differs_from_reporter
                    && facts.reporter_id.as_deref() == Some(actor_id)
                {
                    return conflict("验收人不能是上报人，请由其他人员验收".into());
                }
                Ok(Closed)
            } else {
                Ok(Rectifying)
            }
        }
        RequestExtension => {
            if s != Rectifying {
                return wrong_state();
            }
            if !rectifier_side {
                return forbid("整改责任方");
            }
            if facts.extension_pending {
                return conflict("已有待审批的延期申请".into());
            }
            Ok(Rectifying)
        }
        DecideExtension => {
            if !facts.extension_pending {
                return conflict("没有待审批的延期申请".into());
            }
            let may = standing == Standing::Regulator
                || (standing == Standing::Local && facts.level == HazardLevel::General);
            if !may {
                return forbid("监管部门");
            }
            Ok(s)
        }
        Escalate => {
            if !s.is_open() {
                return wrong_state();
            }
            if facts.level == HazardLevel::Major {
                return conflict("该隐患已是重大隐患".into());
            }
            if !standing.is_government() {
                return forbid("监管部门或属地人员");
            }
            Ok(s)
        }
        Transfer => {
            if !s.is_open() {
                return wrong_state();
            }
            if !standing.is_government() {
                return forbid("监管部门或属地人员");
            }
            Ok(s)
        }
        Dismiss => {
            if s != Registered {
                return wrong_state();
            }
            if !standing.is_government() {
                return forbid("监管部门或属地人员");
            }
            Ok(Dismissed)
        }
        List => {
            if !matches!(s, Rectifying | PendingAcceptance) {
                return conflict(format!(
                    "隐患当前为“{}”，须定级后、销号前才能挂牌督办",
                    s.label()
                ));
            }
            if facts.level != HazardLevel::Major {
                return conflict("只有重大隐患才能挂牌督办".into());
            }
            if facts.listed {
                return conflict("该隐患已挂牌督办".into());
            }
            if standing != Standing::Regulator {
                return forbid("区应急局或负有监管职责的部门");
            }
            Ok(s)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The role may not do this (403).
    Forbidden(String),
    /// The state does not allow it (409).
    Conflict(String),
}

/// Today's date in Asia/Shanghai.
pub fn today(now_ms: i64) -> Date {
    jiff::Timestamp::from_millisecond(now_ms)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(shanghai())
        .date()
}

/// 00:00 Asia/Shanghai at the start of `date`, in epoch milliseconds.
pub fn start_of_day_ms(date: Date) -> i64 {
    date.to_zoned_datetime(shanghai())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(0)
}

/// When a deadline (a date, the last day allowed) has passed: 00:00 the next day.
pub fn overdue_from_ms(deadline: Date) -> i64 {
    start_of_day_ms(deadline.tomorrow().unwrap_or(deadline))
}

/// 逾期: still being rectified (or not yet graded) after the deadline day.
pub fn is_overdue(status: Status, deadline: Option<Date>, now_ms: i64) -> bool {
    matches!(status, Status::Registered | Status::Rectifying)
        && deadline.is_some_and(|d| now_ms >= overdue_from_ms(d))
}

/// When an escalation step fires: 00:00 `days` after the deadline.
pub fn step_due_ms(deadline: Date, days: i64) -> i64 {
    let d = deadline
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(deadline);
    start_of_day_ms(d)
}

/// A deadline set now must be today or later.
pub fn parse_deadline(field: &str, label: &str, raw: &str, now_ms: i64) -> Result<Date, Invalid> {
    let d: Date = raw
        .trim()
        .parse()
        .map_err(|_| Invalid::one(field, format!("{label}“{raw}”格式不正确，应为 2026-07-01")))?;
    if d < today(now_ms) {
        return Err(Invalid::one(
            field,
            format!("{label}{d}早于今天（{}），不能设在过去", today(now_ms)),
        ));
    }
    Ok(d)
}

/// One item of a major-hazard criteria list (判定标准).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Criterion {
    pub code: String,
    pub list: String,
    pub industry: String,
    pub article: String,
    pub text: String,
    #[serde(default)]
    pub verified: bool,
    /// An item met only above a count, e.g. "作业人员数量超过9人".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numeric: Option<NumericRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NumericRule {
    pub label: String,
    pub greater_than: String,
    /// The item's other, non-numeric branch ("或者…"), met by ticking it.
    #[serde(default)]
    pub alternative: Option<String>,
}

/// A ticked criterion, with the observed count where the item has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub code: String,
    /// The observed number for a numeric item; absent means its non-numeric branch was seen.
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CriteriaFile {
    pub lists: Vec<serde_json::Value>,
    pub items: Vec<Criterion>,
}

/// The shipped lists (data/hazard-criteria/criteria.json); a district edits its copy in the database.
pub fn shipped_criteria() -> CriteriaFile {
    serde_json::from_str(include_str!(
        "../../../../data/hazard-criteria/criteria.json"
    ))
    .unwrap_or(CriteriaFile {
        lists: vec![],
        items: vec![],
    })
}

/// Whether a finding meets its criterion. A numeric item compares exactly (decimal hundredths).
pub fn criterion_met(c: &Criterion, f: &Finding) -> Result<bool, String> {
    match (
        &c.numeric,
        f.value.as_deref().map(str::trim).filter(|v| !v.is_empty()),
    ) {
        (Some(rule), Some(v)) => {
            let value = crate::prevention::risk::Hundredths::parse(v)
                .ok_or_else(|| format!("{}应为数字，收到“{v}”", rule.label))?;
            let limit = crate::prevention::risk::Hundredths::parse(&rule.greater_than)
                .unwrap_or(crate::prevention::risk::Hundredths(0));
            Ok(value > limit)
        }
        (Some(rule), None) => Ok(rule.alternative.is_some()),
        (None, Some(_)) => Err(format!("判定标准{}没有数值项", c.code)),
        (None, None) => Ok(true),
    }
}

/// The level findings force: 重大 when any ticked item is met, whatever the reporter chose.
pub fn level_from_findings(
    chosen: HazardLevel,
    criteria: &[Criterion],
    findings: &[Finding],
) -> Result<(HazardLevel, Vec<String>), Invalid> {
    let mut errs = crate::kernel::validation::Errors::default();
    let mut met = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        match criteria.iter().find(|c| c.code == f.code) {
            None => errs.add(
                &format!("findings[{i}].code"),
                format!("重大隐患判定标准条款“{}”不存在或已停用", f.code),
            ),
            Some(c) => match criterion_met(c, f) {
                Ok(true) => met.push(c.code.clone()),
                Ok(false) => {}
                Err(m) => errs.add(&format!("findings[{i}].value"), m),
            },
        }
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    let level = if met.is_empty() {
        chosen
    } else {
        HazardLevel::Major
    };
    Ok((level, met))
}

/// The six items of a 重大隐患治理方案 (§5.1).
pub const PLAN_ITEMS: &[(&str, &str)] = &[
    ("goal", "治理的目标和任务"),
    ("methods", "采取的方法和措施"),
    ("funds_materials", "经费和物资的落实"),
    ("organisation", "负责治理的机构和人员"),
    ("timeline", "治理的时限和要求"),
    ("safety_measures", "安全措施和应急预案"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(status: Status, level: HazardLevel) -> HazardFacts {
        HazardFacts {
            status,
            level,
            has_enterprise: true,
            reporter_id: Some("reporter".into()),
            rectifier_id: Some("rectifier".into()),
            has_plan: false,
            has_evaluation: false,
            extension_pending: false,
            listed: false,
        }
    }

    fn criteria() -> Vec<Criterion> {
        shipped_criteria().items
    }

    fn finding(code: &str, value: Option<&str>) -> Finding {
        Finding {
            code: code.into(),
            value: value.map(str::to_string),
        }
    }

    #[test]
    fn shipped_lists_have_20_chemical_items() {
        let c = criteria();
        assert_eq!(c.iter().filter(|c| c.list == "HG-2017").count(), 20);
        assert!(c.iter().any(|c| c.list == "GM-2023"));
    }

    #[test]
    fn shipped_criteria_lists_are_well_formed() {
        let file = shipped_criteria();
        let c = &file.items;
        // Every list named in `lists` has its items, every item belongs to a listed list with
        // the list's industry, names its article and has text; codes are unique.
        let lists: Vec<(&str, &str)> = file
            .lists
            .iter()
            .map(|l| {
                (
                    l["code"].as_str().expect("list code"),
                    l["industry"].as_str().expect("list industry"),
                )
            })
            .collect();
        let mut codes = std::collections::HashSet::new();
        for i in c {
            assert!(codes.insert(i.code.as_str()), "duplicate code {}", i.code);
            assert!(i.code.starts_with(&format!("{}-", i.list)), "{}", i.code);
            let industry = lists
                .iter()
                .find(|(l, _)| *l == i.list)
                .map(|(_, ind)| *ind);
            assert_eq!(industry, Some(i.industry.as_str()), "{}", i.code);
            assert!(!i.article.trim().is_empty(), "{} names no article", i.code);
            assert!(!i.text.trim().is_empty(), "{} has no text", i.code);
        }
        for l in &file.lists {
            for key in ["code", "name", "document", "industry"] {
                assert!(l[key].as_str().is_some_and(|v| !v.is_empty()), "{l}: {key}");
            }
        }
        // Industries are the enterprise categories (a criterion list applies to enterprises
        // of that category); "chemical" is the key HG-2017 has always carried.
        for (code, industry) in &lists {
            assert!(
                *industry == "chemical"
                    || crate::directory::enterprise::CATEGORIES
                        .iter()
                        .any(|k| k.code == *industry),
                "{code}: unknown industry {industry}"
            );
        }
        let count = |list: &str| c.iter().filter(|i| i.list == list).count();
        let expected = [
            ("HG-2017", 20),
            ("YH-2017", 20),
            ("GM-2023", 58),
            ("JZ-2022", 34),
            ("RQ-2023", 15),
            ("DY-2023", 6),
            ("KS-2022", 7),
            ("HZ-35181", 10),
        ];
        for (list, n) in expected {
            assert_eq!(count(list), n, "{list}");
        }
        assert_eq!(lists.len(), expected.len());
        assert_eq!(c.len(), expected.iter().map(|(_, n)| n).sum::<usize>());
    }

    #[test]
    fn h01_h02_chemical_criteria_make_major() {
        let c = criteria();
        let (level, met) =
            level_from_findings(HazardLevel::General, &c, &[finding("HG-2017-02", None)]).unwrap();
        assert_eq!(
            (level, met),
            (HazardLevel::Major, vec!["HG-2017-02".to_string()])
        );
        let (level, _) =
            level_from_findings(HazardLevel::General, &c, &[finding("HG-2017-05", None)]).unwrap();
        assert_eq!(level, HazardLevel::Major);
        let (level, _) = level_from_findings(HazardLevel::General, &c, &[]).unwrap();
        assert_eq!(level, HazardLevel::General);
    }

    #[test]
    fn h03_quick_freezer_headcount() {
        let c = criteria();
        let ten = level_from_findings(
            HazardLevel::General,
            &c,
            &[finding("GM-2023-12-02", Some("10"))],
        )
        .unwrap();
        assert_eq!(ten.0, HazardLevel::Major);
        let nine = level_from_findings(
            HazardLevel::General,
            &c,
            &[finding("GM-2023-12-02", Some("9"))],
        )
        .unwrap();
        assert_eq!(nine.0, HazardLevel::General);
        let bad = level_from_findings(
            HazardLevel::General,
            &c,
            &[finding("GM-2023-12-02", Some("九"))],
        );
        assert_eq!(bad.unwrap_err().0[0].field, "findings[0].value");
        assert!(level_from_findings(HazardLevel::General, &c, &[finding("NOPE", None)]).is_err());
    }

    #[test]
    fn h04_major_cannot_close_without_plan_evaluation_and_review() {
        let cfg = HazardConfig::default();
        let mut f = facts(Status::Rectifying, HazardLevel::Major);
        let r = transition(
            &f,
            Action::SubmitRectification,
            Standing::OwnEnterprise,
            "x",
            &cfg,
        );
        assert!(matches!(r, Err(Refusal::Conflict(m)) if m.contains("治理方案")));
        let r = transition(&f, Action::Accept, Standing::Regulator, "boss", &cfg);
        assert!(matches!(r, Err(Refusal::Conflict(_))));
        f.has_plan = true;
        f.has_evaluation = true;
        assert_eq!(
            transition(
                &f,
                Action::SubmitRectification,
                Standing::OwnEnterprise,
                "x",
                &cfg
            ),
            Ok(Status::PendingAcceptance)
        );
        f.status = Status::PendingAcceptance;
        // Only the regulator's review closes a 重大 hazard.
        assert!(matches!(
            transition(&f, Action::Accept, Standing::OwnEnterprise, "boss", &cfg),
            Err(Refusal::Forbidden(_))
        ));
        assert_eq!(
            transition(&f, Action::Accept, Standing::Regulator, "regulator", &cfg),
            Ok(Status::Closed)
        );
    }

    #[test]
    fn h04_rectifier_cannot_accept_own_work() {
        let cfg = HazardConfig::default();
        let f = facts(Status::PendingAcceptance, HazardLevel::General);
        let r = transition(
            &f,
            Action::Accept,
            Standing::OwnEnterprise,
            "rectifier",
            &cfg,
        );
        assert!(matches!(r, Err(Refusal::Conflict(m)) if m.contains("整改人")));
        assert_eq!(
            transition(&f, Action::Accept, Standing::OwnEnterprise, "manager", &cfg),
            Ok(Status::Closed)
        );
        let lax = HazardConfig {
            acceptor_differs_from_rectifier: false,
            ..HazardConfig::default()
        };
        assert!(
            transition(
                &f,
                Action::Accept,
                Standing::OwnEnterprise,
                "rectifier",
                &lax
            )
            .is_ok()
        );
    }

    #[test]
    fn h05_overdue_in_shanghai() {
        let deadline: Date = "2024-06-30".parse().unwrap();
        let at = |s: &str| crate::kernel::clock::parse_instant(s).unwrap();
        assert!(!is_overdue(
            Status::Rectifying,
            Some(deadline),
            at("2024-06-30T23:59:59+08:00")
        ));
        assert!(is_overdue(
            Status::Rectifying,
            Some(deadline),
            at("2024-07-01T00:00:00+08:00")
        ));
        // 2024-06-30T16:00Z is already 07-01 in Shanghai.
        assert!(is_overdue(
            Status::Rectifying,
            Some(deadline),
            at("2024-06-30T16:00:00Z")
        ));
        assert!(!is_overdue(
            Status::Closed,
            Some(deadline),
            at("2024-07-01T10:00:00+08:00")
        ));
    }

    #[test]
    fn steps_fire_at_shanghai_midnight() {
        let deadline: Date = "2026-01-31".parse().unwrap();
        assert_eq!(
            crate::kernel::clock::to_rfc3339(step_due_ms(deadline, 1)),
            "2026-02-01T00:00:00+08:00"
        );
        assert_eq!(
            crate::kernel::clock::to_rfc3339(step_due_ms(deadline, 7)),
            "2026-02-07T00:00:00+08:00"
        );
    }

    #[test]
    fn deadline_in_the_past_is_refused() {
        let now = crate::kernel::clock::parse_instant("2026-11-23T10:00:00+08:00").unwrap();
        assert!(parse_deadline("deadline", "整改期限", "2026-11-23", now).is_ok());
        let e = parse_deadline("deadline", "整改期限", "2026-11-22", now).unwrap_err();
        assert!(e.0[0].message.contains("不能设在过去"));
        assert!(parse_deadline("deadline", "整改期限", "明天", now).is_err());
    }

    #[test]
    fn wrong_state_and_roles() {
        let cfg = HazardConfig::default();
        let f = facts(Status::Registered, HazardLevel::General);
        assert!(matches!(
            transition(&f, Action::Accept, Standing::Regulator, "a", &cfg),
            Err(Refusal::Conflict(_))
        ));
        assert!(matches!(
            transition(&f, Action::Grade, Standing::Observer, "a", &cfg),
            Err(Refusal::Forbidden(_))
        ));
        let mut major = facts(Status::Rectifying, HazardLevel::Major);
        assert!(transition(&major, Action::List, Standing::Regulator, "a", &cfg).is_ok());
        assert!(matches!(
            transition(&major, Action::List, Standing::Local, "a", &cfg),
            Err(Refusal::Forbidden(_))
        ));
        major.listed = true;
        assert!(transition(&major, Action::List, Standing::Regulator, "a", &cfg).is_err());
        let general = facts(Status::Rectifying, HazardLevel::General);
        assert!(transition(&general, Action::List, Standing::Regulator, "a", &cfg).is_err());
        assert!(transition(&general, Action::Escalate, Standing::Local, "a", &cfg).is_ok());
    }

    #[test]
    fn config_validation() {
        assert!(HazardConfig::default().validate().is_ok());
        let bad = HazardConfig {
            escalation_steps: vec![
                EscalationStep::new("a", "函告", 5),
                EscalationStep::new("b", "通报", 3),
            ],
            ..HazardConfig::default()
        };
        assert!(bad.validate().is_err());
    }
}
