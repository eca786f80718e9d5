//! The hazard's vocabulary: 隐患等级, sources, categories, the statuses of the closed loop and
//! the actions that move it.

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

pub use crate::kernel::label_of;

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
