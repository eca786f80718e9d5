//! 网格事件 (issue 24): one intake for grid patrols, the public's 随手拍, the 12345/12350 hotline,
//! 舆情 and the duty room; the states of an event from 待分拨 to 已办结; who may take each step;
//! the checks of the input, every error naming its field; the wording of the audit log.

use crate::grid::events_config::{Category, GridEventConfig, UnitKind};
use crate::kernel::personal::{mask_name, mask_phone};
use crate::kernel::role::{Role, Scope};
use crate::kernel::validation::{
    Errors, Invalid, coordinates, optional_text, phone, required_text,
};

/// Where an event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// 网格员巡查 (the phone page).
    Grid,
    /// 群众随手拍 (the public form).
    Public,
    /// 12345/12350 热线 (the hotline platform's webhook or its export file).
    Hotline,
    /// 舆情.
    Opinion,
    /// 值班室接报 (entered in the console).
    Duty,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Self::Grid,
        Self::Public,
        Self::Hotline,
        Self::Opinion,
        Self::Duty,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Grid => "grid",
            Self::Public => "public",
            Self::Hotline => "hotline",
            Self::Opinion => "opinion",
            Self::Duty => "duty",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Grid => "网格员巡查",
            Self::Public => "群众随手拍",
            Self::Hotline => "12345/12350热线",
            Self::Opinion => "舆情",
            Self::Duty => "值班接报",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The states of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// 待分拨: no rule decided, or the unit returned it; the duty room dispatches by hand.
    PendingDispatch,
    /// 待签收: sent to a unit.
    Dispatched,
    /// 处置中: the unit accepted it.
    Accepted,
    /// 已处置: the unit reported the result; the answer to the reporter is due.
    Handled,
    /// 已反馈: the reporter was answered; waiting for the 回访.
    Answered,
    /// 已办结.
    Closed,
    /// 已合并 into another event (a duplicate).
    Merged,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Self::PendingDispatch,
        Self::Dispatched,
        Self::Accepted,
        Self::Handled,
        Self::Answered,
        Self::Closed,
        Self::Merged,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingDispatch => "pending_dispatch",
            Self::Dispatched => "dispatched",
            Self::Accepted => "accepted",
            Self::Handled => "handled",
            Self::Answered => "answered",
            Self::Closed => "closed",
            Self::Merged => "merged",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::PendingDispatch => "待分拨",
            Self::Dispatched => "待签收",
            Self::Accepted => "处置中",
            Self::Handled => "待反馈",
            Self::Answered => "待回访",
            Self::Closed => "已办结",
            Self::Merged => "已合并",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Still open (counts on the boards).
    pub fn open(self) -> bool {
        !matches!(self, Self::Closed | Self::Merged)
    }
}

pub fn status_label(s: &str) -> &'static str {
    Status::parse(s).map_or("", Status::label)
}
pub fn source_label(s: &str) -> &'static str {
    Source::parse(s).map_or("", Source::label)
}

pub const NOT_A_READER: &str = "企业用户、专家、执法人员和保险机构人员不能查看网格事件";
pub const NOT_A_DISPATCHER: &str = "只有值班员、局领导和系统管理员可以分拨网格事件";
pub const NOT_AN_INTAKE: &str = "只有网格员、街道/社区人员和值班室可以上报网格事件";
pub const STALE: &str = "事件状态已变化，请刷新后重试";
pub const NOT_THE_UNIT: &str = "只有承办单位（部门或街道）的人员可以办理该事件";

/// May file an event from the console or the phone, and as which source.
pub fn intake_source(role: Role) -> Option<Source> {
    match role {
        Role::GridWorker | Role::StreetStaff => Some(Source::Grid),
        Role::Admin | Role::Commander | Role::DutyOfficer => Some(Source::Duty),
        _ => None,
    }
}

/// The duty room: dispatches by hand, merges duplicates, records 回访.
pub fn may_dispatch(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DutyOfficer)
}

pub fn may_read(role: Role) -> bool {
    may_dispatch(role)
        || matches!(
            role,
            Role::DepartmentStaff | Role::StreetStaff | Role::GridWorker
        )
}

/// Street staff also see the events assigned to their street, wherever they lie.
pub fn sees_street_units(role: Role) -> bool {
    role == Role::StreetStaff
}

/// Whether the caller works for the unit an event is assigned to: the department's staff, the
/// street's staff (any region under the street); administrators always.
pub fn is_unit(role: Role, scope: &Scope, unit_kind: Option<&str>, unit_id: Option<&str>) -> bool {
    if role == Role::Admin {
        return true;
    }
    match (unit_kind.and_then(UnitKind::parse), unit_id, scope) {
        (Some(UnitKind::Department), Some(id), Scope::Department { department_id, .. }) => {
            role == Role::DepartmentStaff && department_id == id
        }
        (Some(UnitKind::Street), Some(code), Scope::Region { prefix, .. }) => {
            role == Role::StreetStaff && prefix.starts_with(code)
        }
        _ => false,
    }
}

/// An event as entered (any source).
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub category: String,
    pub title: Option<String>,
    pub description: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// The region (street, community or grid) it lies in.
    pub region_code: String,
    pub address: Option<String>,
    pub enterprise_id: Option<String>,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub occurred_at: Option<String>,
}

/// A checked event.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedEvent {
    pub category: String,
    pub title: String,
    pub description: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    pub address: Option<String>,
    pub enterprise_id: Option<String>,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
}

/// Checks an event against the catalogue; `public` refuses the categories the public may not
/// report. Every error names its field.
pub fn check_event(
    input: &EventInput,
    config: &GridEventConfig,
    public: bool,
) -> Result<CheckedEvent, Invalid> {
    let mut errs = Errors::default();
    let category: Option<&Category> =
        errs.check("category", config.active_category(input.category.trim()));
    if let Some(c) = category
        && public
        && !c.public
    {
        errs.add("category", format!("事件分类“{}”不接受群众举报", c.name));
    }
    let description = errs.check(
        "description",
        required_text("事件描述", &input.description, 2000),
    );
    let title = errs
        .check(
            "title",
            optional_text("事件标题", input.title.as_deref().unwrap_or(""), 60),
        )
        .flatten();
    coordinates(&mut errs, input.lon, input.lat);
    if input.lon.is_none() || input.lat.is_none() {
        errs.add("lon", "请在地图上选择事件位置或使用手机定位");
    }
    let region = input.region_code.trim();
    if region.len() < 9 || !region.chars().all(|c| c.is_ascii_digit()) {
        errs.add("region_code", "请选择事件所在的街道、社区或网格");
    }
    let address = errs
        .check(
            "address",
            optional_text("地址", input.address.as_deref().unwrap_or(""), 200),
        )
        .flatten();
    let reporter_name = errs
        .check(
            "reporter_name",
            optional_text(
                "举报人姓名",
                input.reporter_name.as_deref().unwrap_or(""),
                30,
            ),
        )
        .flatten();
    let reporter_phone = errs
        .check(
            "reporter_phone",
            phone("联系电话", input.reporter_phone.as_deref().unwrap_or("")),
        )
        .flatten();
    errs.into_result()?;
    let (Some(c), Some(description)) = (category, description) else {
        return Err(Invalid::one("category", "事件分类无效"));
    };
    let title = title.unwrap_or_else(|| default_title(&c.name, &description));
    Ok(CheckedEvent {
        category: c.code.clone(),
        title,
        description,
        lon: input.lon.unwrap_or_default(),
        lat: input.lat.unwrap_or_default(),
        region_code: region.to_string(),
        address,
        enterprise_id: input.enterprise_id.clone().filter(|s| !s.trim().is_empty()),
        reporter_name,
        reporter_phone,
    })
}

/// 【燃气安全】 and the description's first 20 characters.
fn default_title(category: &str, description: &str) -> String {
    let head: String = description.chars().take(20).collect();
    format!("【{category}】{head}")
}

/// The three deadlines (ms) of an event dispatched at `at_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    pub accept_ms: i64,
    pub handle_ms: i64,
    pub feedback_ms: i64,
}

pub fn deadlines(c: &Category, at_ms: i64) -> Deadlines {
    Deadlines {
        accept_ms: at_ms + i64::from(c.accept_minutes) * 60_000,
        handle_ms: at_ms + i64::from(c.handle_hours) * 3_600_000,
        feedback_ms: at_ms + i64::from(c.feedback_hours) * 3_600_000,
    }
}

/// How a reader sees the reporter: in full (the duty room for hotline and console events,
/// whose callers expect a call back; the reward officer) or masked (everyone else, and always
/// for the public's 随手拍 outside the reward officer's desk).
pub fn reporter_visible(role: Role, source: &str, reward_officer: bool) -> bool {
    if reward_officer || role == Role::Admin {
        return true;
    }
    may_dispatch(role) && source != Source::Public.as_str()
}

/// The reporter's (name, phone) as the reader may see them.
pub fn reporter_as_seen(
    visible: bool,
    name: Option<&str>,
    phone: Option<&str>,
) -> (Option<String>, Option<String>) {
    if visible {
        return (name.map(Into::into), phone.map(Into::into));
    }
    (name.map(mask_name), phone.map(mask_phone))
}

/// A reason (退回, 回访) between 2 and 500 characters.
pub fn check_reason(field: &str, label: &str, v: &str) -> Result<String, Invalid> {
    check_text(field, label, v, 500)
}

// --- wording (audit summaries and the timeline) ---

pub fn filed_summary(source: Source, category: &str, title: &str) -> String {
    format!("{}上报网格事件“{title}”（{category}）", source.label())
}

pub fn dispatched_summary(title: &str, unit: &str, reason: &str) -> String {
    format!("网格事件“{title}”分拨至{unit}（{reason}）")
}

pub fn pending_summary(title: &str) -> String {
    format!("网格事件“{title}”无匹配的分拨规则，转值班室人工分拨")
}

pub fn accepted_summary(title: &str, unit: &str) -> String {
    format!("{unit}签收网格事件“{title}”")
}

pub fn returned_summary(title: &str, unit: &str, reason: &str) -> String {
    format!("{unit}退回网格事件“{title}”：{reason}")
}

pub fn handled_summary(title: &str, unit: &str, answered: bool) -> String {
    let and = if answered { "并答复举报人" } else { "" };
    format!("{unit}处置完成网格事件“{title}”{and}")
}

pub fn answered_summary(title: &str, unit: &str) -> String {
    format!("{unit}就网格事件“{title}”答复举报人")
}

/// The 回访's summary: satisfied, unsatisfied (reopened once, then closed), or no 回访.
pub fn visited_summary(title: &str, satisfied: Option<bool>, reopened: bool) -> String {
    match (satisfied, reopened) {
        (Some(true), _) => format!("网格事件“{title}”回访满意，办结"),
        (Some(false), false) => format!("网格事件“{title}”回访不满意，退回承办单位重新办理"),
        (Some(false), true) => format!("网格事件“{title}”重新办理后回访仍不满意，办结"),
        (None, _) => format!("网格事件“{title}”无需回访，办结"),
    }
}

/// A text of the loop (处置结果, 答复) between 2 and `max` characters.
pub fn check_text(field: &str, label: &str, v: &str, max: usize) -> Result<String, Invalid> {
    let t = required_text(label, v, max).map_err(|m| Invalid::one(field, m))?;
    if t.chars().count() < 2 {
        return Err(Invalid::one(field, format!("{label}至少 2 个字")));
    }
    Ok(t)
}

#[cfg(test)]
mod tests;
