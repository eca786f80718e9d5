//! 工作台 and 大屏: which 待办 each role has, which figures its cards show, and who may watch the
//! 综合态势 screen. Pure decisions; the app asks each capability's store for the caller's scoped
//! lists and counts of what is chosen here.

use crate::kernel::role::Role;

/// One kind of 待办: something the caller must do, with its list on the page that does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Todo {
    /// 隐患待定级 (registered, not yet graded).
    GradeHazards,
    /// 隐患待整改: rectifications the caller's enterprise owes.
    RectifyHazards,
    /// 重大隐患待评估 (experts).
    EvaluateHazards,
    /// 隐患待验收.
    AcceptHazards,
    /// 整改逾期.
    OverdueHazards,
    /// 我上报的隐患 still open (grid workers follow what they reported).
    ReportedHazards,
    /// 响应工单待叫应.
    AnswerWorkOrders,
    /// 报警待确认.
    AckAlarms,
    /// 快报/续报 due on open incidents.
    IncidentReports,
    /// 调拨单待审批.
    ApproveAllocations,
    /// 预警待审批 (a second person approves).
    ApproveWarnings,
    /// 企业变更待确认.
    ReviewEnterpriseChanges,
    /// 执法文书待签收: documents served on the caller's enterprise without a 送达回执.
    SignDocuments,
    /// 执法检查问题待整改: the caller's enterprise's inspection findings not rectified yet.
    RectifyFindings,
    /// 案件待法制审核: a 法制审核员's department's cases in 案件审理 they did not investigate.
    ReviewCases,
    /// 承办案件临近期限: a 承办人's open cases whose decision is due within CASES_DUE_DAYS.
    CasesDueSoon,
    /// 严重失信名单待办理: a department's proposals to notify and decide (proposed, noticed).
    DecideListings,
    /// 陈述申辩期将届满: noticed listings whose statement window ends within 3 days.
    ListingStatementsEnding,
    /// 信用修复待决定: repair requests awaiting the department's decision.
    DecideListingRepairs,
    /// 今日安全承诺未提交: the enterprise user's enterprise must commit today and has not.
    CommitToday,
    /// 安全承诺逾期未交: today's misses (recorded at the deadline, still not submitted) in scope.
    MissedCommitments,
    /// 履职报告待提交: the enterprise's report of the period just ended (missing) and its
    /// returned reports.
    SubmitDutyReports,
    /// 履职报告待审核: submitted reports of the enterprises the department supervises.
    ReviewDutyReports,
    /// 会商任务待完成: open 会商研判 actions the caller or the caller's department owns,
    /// overdue first.
    ConsultationActions,
    /// 野外用火待审批: pending applications, for the forest authority.
    ApproveFireUse,
    /// 灾情报告待报送: processes whose next 初报/续报/核报 is due, the earliest first.
    DisasterReportsDue,
    /// 网格事件待分拨: events no rule decided or a unit returned (the duty room).
    DispatchGridEvents,
    /// 网格事件待办理: events sent to the caller's department or street, to 签收, 处置 or 反馈.
    HandleGridEvents,
    /// 网格事件待回访: answered events waiting for the duty room's 回访.
    VisitGridEvents,
}

impl Todo {
    pub const ALL: [Todo; 29] = [
        Self::GradeHazards,
        Self::RectifyHazards,
        Self::EvaluateHazards,
        Self::AcceptHazards,
        Self::OverdueHazards,
        Self::ReportedHazards,
        Self::AnswerWorkOrders,
        Self::AckAlarms,
        Self::IncidentReports,
        Self::ApproveAllocations,
        Self::ApproveWarnings,
        Self::ReviewEnterpriseChanges,
        Self::SignDocuments,
        Self::RectifyFindings,
        Self::ReviewCases,
        Self::CasesDueSoon,
        Self::DecideListings,
        Self::ListingStatementsEnding,
        Self::DecideListingRepairs,
        Self::CommitToday,
        Self::MissedCommitments,
        Self::SubmitDutyReports,
        Self::ReviewDutyReports,
        Self::ConsultationActions,
        Self::ApproveFireUse,
        Self::DisasterReportsDue,
        Self::DispatchGridEvents,
        Self::HandleGridEvents,
        Self::VisitGridEvents,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GradeHazards => "grade_hazards",
            Self::RectifyHazards => "rectify_hazards",
            Self::EvaluateHazards => "evaluate_hazards",
            Self::AcceptHazards => "accept_hazards",
            Self::OverdueHazards => "overdue_hazards",
            Self::ReportedHazards => "reported_hazards",
            Self::AnswerWorkOrders => "answer_work_orders",
            Self::AckAlarms => "ack_alarms",
            Self::IncidentReports => "incident_reports",
            Self::ApproveAllocations => "approve_allocations",
            Self::ApproveWarnings => "approve_warnings",
            Self::ReviewEnterpriseChanges => "review_enterprise_changes",
            Self::SignDocuments => "sign_documents",
            Self::RectifyFindings => "rectify_findings",
            Self::ReviewCases => "review_cases",
            Self::CasesDueSoon => "cases_due_soon",
            Self::DecideListings => "decide_listings",
            Self::ListingStatementsEnding => "listing_statements_ending",
            Self::DecideListingRepairs => "decide_listing_repairs",
            Self::CommitToday => "commit_today",
            Self::MissedCommitments => "missed_commitments",
            Self::SubmitDutyReports => "submit_duty_reports",
            Self::ReviewDutyReports => "review_duty_reports",
            Self::ConsultationActions => "consultation_actions",
            Self::ApproveFireUse => "approve_fire_use",
            Self::DisasterReportsDue => "disaster_reports_due",
            Self::DispatchGridEvents => "dispatch_grid_events",
            Self::HandleGridEvents => "handle_grid_events",
            Self::VisitGridEvents => "visit_grid_events",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::GradeHazards => "隐患待定级",
            Self::RectifyHazards => "隐患待整改",
            Self::EvaluateHazards => "重大隐患待评估",
            Self::AcceptHazards => "隐患待验收",
            Self::OverdueHazards => "整改逾期",
            Self::ReportedHazards => "我上报的隐患",
            Self::AnswerWorkOrders => "工单待叫应",
            Self::AckAlarms => "报警待确认",
            Self::IncidentReports => "事件待报送（快报/续报）",
            Self::ApproveAllocations => "调拨单待审批",
            Self::ApproveWarnings => "预警待审批",
            Self::ReviewEnterpriseChanges => "企业变更待确认",
            Self::SignDocuments => "执法文书待签收",
            Self::RectifyFindings => "执法检查问题待整改",
            Self::ReviewCases => "案件待法制审核",
            Self::CasesDueSoon => "承办案件临近期限",
            Self::DecideListings => "严重失信名单待办理",
            Self::ListingStatementsEnding => "陈述申辩期将届满",
            Self::DecideListingRepairs => "信用修复待决定",
            Self::CommitToday => "今日安全承诺未提交",
            Self::MissedCommitments => "安全承诺逾期未交",
            Self::SubmitDutyReports => "履职报告待提交",
            Self::ReviewDutyReports => "履职报告待审核",
            Self::ConsultationActions => "会商任务待完成",
            Self::ApproveFireUse => "野外用火待审批",
            Self::DisasterReportsDue => "灾情报告待报送",
            Self::DispatchGridEvents => "网格事件待分拨",
            Self::HandleGridEvents => "网格事件待办理",
            Self::VisitGridEvents => "网格事件待回访",
        }
    }
    /// The console page that lists all of them (the 待办 shows the first few).
    pub fn link(self) -> &'static str {
        match self {
            Self::GradeHazards => "/hazards?status=registered",
            Self::RectifyHazards | Self::EvaluateHazards => "/hazards?status=rectifying",
            Self::AcceptHazards => "/hazards?status=pending_acceptance",
            Self::OverdueHazards => "/hazards?overdue=1",
            Self::ReportedHazards => "/hazards",
            Self::AnswerWorkOrders => "/work-orders",
            Self::AckAlarms => "/alarms",
            Self::IncidentReports => "/incidents",
            Self::ApproveAllocations => "/resources?tab=orders",
            Self::ApproveWarnings => "/warnings",
            Self::ReviewEnterpriseChanges => "/enterprises",
            Self::SignDocuments | Self::RectifyFindings => "/enforcement/mine",
            Self::ReviewCases => "/enforcement/cases?todo=review",
            Self::CasesDueSoon => "/enforcement/cases",
            Self::DecideListings => "/credit/listings",
            Self::ListingStatementsEnding => "/credit/listings?status=noticed",
            Self::DecideListingRepairs => "/credit/listings?status=repair_requested",
            Self::CommitToday => "/credit/commitments/today",
            Self::MissedCommitments => "/credit/commitments?status=flagged",
            Self::SubmitDutyReports => "/credit/duty-reports",
            Self::ReviewDutyReports => "/credit/duty-reports?status=submitted",
            Self::ConsultationActions => "/disasters/consultations?mine=1",
            Self::ApproveFireUse => "/disasters/forest",
            Self::DisasterReportsDue => "/disasters/reports",
            Self::DispatchGridEvents => "/grid/events?status=pending_dispatch",
            Self::HandleGridEvents => "/grid/events?mine=1",
            Self::VisitGridEvents => "/grid/events?status=answered",
        }
    }
}

/// The 待办 of a role, most urgent kind first. Each kind is one the role may act on (the
/// capabilities' own access rules and the hazard loop's standings decide the same way).
// Long because: one arm per role, read as a table.
pub fn todos_for(role: Role) -> &'static [Todo] {
    use Todo::*;
    match role {
        // No business 待办 for the security administrator and the auditor.
        Role::SecurityAdmin | Role::Auditor => &[],
        Role::Admin => &[
            DispatchGridEvents,
            OverdueHazards,
            AckAlarms,
            IncidentReports,
            ApproveWarnings,
            ApproveAllocations,
            ReviewEnterpriseChanges,
            AcceptHazards,
            GradeHazards,
        ],
        Role::Commander => &[
            IncidentReports,
            DispatchGridEvents,
            ApproveWarnings,
            ApproveAllocations,
            OverdueHazards,
            AckAlarms,
            AcceptHazards,
            ConsultationActions,
            DisasterReportsDue,
            ApproveFireUse,
        ],
        Role::DutyOfficer => &[
            IncidentReports,
            DispatchGridEvents,
            VisitGridEvents,
            DisasterReportsDue,
            AckAlarms,
            AnswerWorkOrders,
            ConsultationActions,
        ],
        Role::DepartmentStaff => &[
            HandleGridEvents,
            ConsultationActions,
            ApproveFireUse,
            MissedCommitments,
            ReviewDutyReports,
            OverdueHazards,
            GradeHazards,
            AcceptHazards,
            AckAlarms,
            ReviewEnterpriseChanges,
            ListingStatementsEnding,
            DecideListings,
            DecideListingRepairs,
        ],
        Role::StreetStaff => &[
            AnswerWorkOrders,
            HandleGridEvents,
            OverdueHazards,
            GradeHazards,
            AcceptHazards,
            AckAlarms,
            ConsultationActions,
            DisasterReportsDue,
        ],
        Role::GridWorker => &[AnswerWorkOrders, ReportedHazards, ConsultationActions],
        Role::EnterpriseUser => &[
            CommitToday,
            SubmitDutyReports,
            SignDocuments,
            RectifyFindings,
            AckAlarms,
            OverdueHazards,
            RectifyHazards,
            GradeHazards,
            AcceptHazards,
        ],
        Role::Expert => &[EvaluateHazards],
        Role::Inspector => &[CasesDueSoon, OverdueHazards, GradeHazards, AcceptHazards],
        // 法制审核员: cases awaiting 法制审核 (and their own as 承办人, rarely).
        Role::LegalReviewer => &[ReviewCases, CasesDueSoon, OverdueHazards],
        // 保险机构人员: no 待办 of the other capabilities (its figures are its policies').
        Role::Insurer => &[],
    }
}

/// A figure on a 工作台 card, counted in the caller's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// 在办隐患 (registered, rectifying, pending acceptance).
    OpenHazards,
    /// 重大隐患存量.
    OpenMajorHazards,
    /// 整改逾期.
    OverdueHazards,
    /// 未关闭报警.
    OpenAlarms,
    /// 处置中事件.
    OpenIncidents,
    /// 生效预警.
    WarningsInForce,
    /// 待处理工单.
    OpenWorkOrders,
    /// 本月上报隐患.
    HazardsThisMonth,
    /// 有效保单 (安责险, the insurer's).
    PoliciesInForce,
    /// 即将到期保单 (within 30 days).
    PoliciesExpiring,
    /// 在办理赔.
    OpenClaims,
    /// 本月事故预防服务.
    ServicesThisMonth,
}

impl Figure {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OpenHazards => "open_hazards",
            Self::OpenMajorHazards => "open_major_hazards",
            Self::OverdueHazards => "overdue_hazards",
            Self::OpenAlarms => "open_alarms",
            Self::OpenIncidents => "open_incidents",
            Self::WarningsInForce => "warnings_in_force",
            Self::OpenWorkOrders => "open_work_orders",
            Self::HazardsThisMonth => "hazards_this_month",
            Self::PoliciesInForce => "policies_in_force",
            Self::PoliciesExpiring => "policies_expiring",
            Self::OpenClaims => "open_claims",
            Self::ServicesThisMonth => "services_this_month",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::OpenHazards => "在办隐患",
            Self::OpenMajorHazards => "重大隐患存量",
            Self::OverdueHazards => "整改逾期",
            Self::OpenAlarms => "未关闭报警",
            Self::OpenIncidents => "处置中事件",
            Self::WarningsInForce => "生效预警",
            Self::OpenWorkOrders => "待处理工单",
            Self::HazardsThisMonth => "本月上报隐患",
            Self::PoliciesInForce => "有效保单",
            Self::PoliciesExpiring => "30日内到期保单",
            Self::OpenClaims => "在办理赔",
            Self::ServicesThisMonth => "本月预防服务",
        }
    }
    pub fn link(self) -> &'static str {
        match self {
            Self::OpenHazards => "/hazards",
            Self::OpenMajorHazards => "/hazards?level=major",
            Self::OverdueHazards => "/hazards?overdue=1",
            Self::OpenAlarms => "/alarms",
            Self::OpenIncidents => "/incidents",
            Self::WarningsInForce => "/warnings",
            Self::OpenWorkOrders => "/work-orders",
            Self::HazardsThisMonth => "/hazards",
            Self::PoliciesInForce => "/credit/insurance",
            Self::PoliciesExpiring => "/credit/insurance?expiring=1",
            Self::OpenClaims => "/credit/insurance?tab=claims",
            Self::ServicesThisMonth => "/credit/insurance?tab=services",
        }
    }
}

/// The four cards of a role's 工作台.
pub fn figures_for(role: Role) -> [Figure; 4] {
    use Figure::*;
    match role {
        // The security administrator and the auditor never reach the 工作台 (`Role::reaches`);
        // their scope counts nothing anyway.
        Role::Admin | Role::Commander | Role::SecurityAdmin | Role::Auditor => {
            [OpenIncidents, WarningsInForce, OpenMajorHazards, OpenAlarms]
        }
        Role::DutyOfficer => [OpenIncidents, OpenAlarms, WarningsInForce, OpenWorkOrders],
        Role::DepartmentStaff | Role::Inspector | Role::LegalReviewer | Role::Expert => {
            [OpenHazards, OpenMajorHazards, OverdueHazards, OpenAlarms]
        }
        Role::StreetStaff => [OpenWorkOrders, OpenHazards, OverdueHazards, WarningsInForce],
        Role::GridWorker => [
            OpenWorkOrders,
            HazardsThisMonth,
            OpenHazards,
            WarningsInForce,
        ],
        Role::EnterpriseUser => [OpenHazards, OverdueHazards, OpenAlarms, HazardsThisMonth],
        Role::Insurer => [
            PoliciesInForce,
            PoliciesExpiring,
            OpenClaims,
            ServicesThisMonth,
        ],
    }
}

/// 大屏 综合态势: the bureau's leaders, the duty room and the departments (read-only: the screen
/// changes nothing). Grid workers, enterprises, experts and inspectors have no district screen.
pub fn may_watch_screen(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Commander | Role::DutyOfficer | Role::DepartmentStaff
    )
}

/// The refusal of the screen.
pub const SCREEN_DENIED: &str = "大屏仅供局领导、值班室和监管部门使用";

/// A 承办人's case is "due soon" when its decision is due within this many days.
pub const CASES_DUE_DAYS: i64 = 15;

/// The last decision day a 承办人's 待办 lists on `today`.
pub fn cases_due_until(today: jiff::civil::Date) -> jiff::civil::Date {
    use jiff::ToSpan;
    today.checked_add(CASES_DUE_DAYS.days()).unwrap_or(today)
}

/// How many items a 待办 kind lists (the count says how many there are in all).
pub const TODO_LIMIT: i64 = 5;

/// How many entries each 大屏 feed shows.
pub const FEED_LIMIT: i64 = 12;

#[cfg(test)]
mod tests {
    use super::*;

    fn roles_with(t: Todo) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|r| todos_for(*r).contains(&t))
            .collect()
    }

    #[test]
    fn every_role_has_something_to_do_and_no_kind_twice() {
        for r in Role::ALL {
            let t = todos_for(r);
            // 保险机构人员 act on no other capability's records (their figures are their work).
            assert!(
                !t.is_empty() || r == Role::Insurer || !r.reads_business_data(),
                "{r:?}"
            );
            for (i, k) in t.iter().enumerate() {
                assert!(!t[i + 1..].contains(k), "{r:?} lists {k:?} twice");
            }
        }
    }

    #[test]
    fn approvals_go_to_those_who_may_approve() {
        use crate::resources::access::may_approve_allocations;
        use crate::warning::access::may_approve_warnings;
        assert_eq!(
            roles_with(Todo::ApproveAllocations),
            Role::ALL
                .into_iter()
                .filter(|r| may_approve_allocations(*r))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            roles_with(Todo::ApproveWarnings),
            Role::ALL
                .into_iter()
                .filter(|r| may_approve_warnings(*r))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            roles_with(Todo::ReviewEnterpriseChanges),
            [Role::Admin, Role::DepartmentStaff]
        );
    }

    #[test]
    fn field_roles_have_field_work() {
        assert_eq!(
            todos_for(Role::GridWorker),
            [
                Todo::AnswerWorkOrders,
                Todo::ReportedHazards,
                Todo::ConsultationActions
            ]
        );
        assert_eq!(todos_for(Role::Expert), [Todo::EvaluateHazards]);
        assert_eq!(roles_with(Todo::RectifyHazards), [Role::EnterpriseUser]);
        assert_eq!(roles_with(Todo::SignDocuments), [Role::EnterpriseUser]);
        assert_eq!(roles_with(Todo::RectifyFindings), [Role::EnterpriseUser]);
        // Work orders are answered by those who may answer for others (and street staff).
        for r in roles_with(Todo::AnswerWorkOrders) {
            assert!(crate::warning::access::may_answer_for_others(r), "{r:?}");
        }
    }

    #[test]
    fn commitments_go_to_the_enterprise_and_its_department() {
        assert_eq!(roles_with(Todo::CommitToday), [Role::EnterpriseUser]);
        assert_eq!(roles_with(Todo::MissedCommitments), [Role::DepartmentStaff]);
        assert_eq!(todos_for(Role::EnterpriseUser)[0], Todo::CommitToday);
    }

    #[test]
    fn duty_reports_go_to_the_enterprise_and_its_reviewers() {
        assert_eq!(roles_with(Todo::SubmitDutyReports), [Role::EnterpriseUser]);
        for r in roles_with(Todo::SubmitDutyReports) {
            assert!(crate::credit::duty_reports::may_submit(r), "{r:?}");
        }
        for r in roles_with(Todo::ReviewDutyReports) {
            assert!(crate::credit::duty_reports::may_review(r), "{r:?}");
        }
    }

    #[test]
    fn case_reviews_go_to_the_legal_reviewers() {
        assert_eq!(roles_with(Todo::ReviewCases), [Role::LegalReviewer]);
        for r in roles_with(Todo::CasesDueSoon) {
            assert!(crate::enforcement::case::may_investigate(r), "{r:?}");
        }
    }

    #[test]
    fn incident_reports_are_the_duty_rooms() {
        use crate::response::access::may_command;
        for r in roles_with(Todo::IncidentReports) {
            assert!(may_command(r), "{r:?}");
        }
        assert!(!todos_for(Role::GridWorker).contains(&Todo::IncidentReports));
        assert!(!todos_for(Role::EnterpriseUser).contains(&Todo::ApproveAllocations));
    }

    #[test]
    fn codes_are_unique_and_labelled() {
        for (i, a) in Todo::ALL.iter().enumerate() {
            assert!(!a.label().is_empty() && a.link().starts_with('/'));
            for b in &Todo::ALL[i + 1..] {
                assert_ne!(a.as_str(), b.as_str());
            }
        }
    }

    #[test]
    fn screen_is_for_leaders_duty_room_and_departments() {
        let may: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| may_watch_screen(*r))
            .collect();
        assert_eq!(
            may,
            [
                Role::Admin,
                Role::Commander,
                Role::DepartmentStaff,
                Role::DutyOfficer
            ]
        );
    }

    #[test]
    fn four_distinct_figures_per_role() {
        for r in Role::ALL {
            let f = figures_for(r);
            for (i, a) in f.iter().enumerate() {
                assert!(!f[i + 1..].contains(a), "{r:?}");
            }
        }
    }
}
