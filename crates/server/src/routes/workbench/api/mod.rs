//! API types of the 工作台 and the 大屏, converted from the app's answers and the store's rows
//! (ADR 0021). The 大屏's feeds reuse the capabilities' own types.

use crate::routes::monitoring::api::alarms::Alarm;
use crate::routes::response::api::incidents::Incident;
use crate::routes::warning::api::Warning;
use serde::Serialize;

/// One 待办 entry: the record, where, its status and deadline, and the console link that opens it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TodoItem {
    pub id: String,
    /// The record's human code (隐患编号, 事件编号, 调拨单号), if any.
    pub code: Option<String>,
    pub title: String,
    /// Where or whose (enterprise, location, object).
    pub place: Option<String>,
    pub status_label: String,
    pub at_ms: Option<i64>,
    /// Deadline as an instant (叫应, 续报).
    pub due_ms: Option<i64>,
    /// Deadline as a date, YYYY-MM-DD (整改期限).
    pub due_date: Option<String>,
    pub overdue: bool,
    pub link: String,
}

impl From<yingji_store::kernel::todo::TodoItem> for TodoItem {
    fn from(v: yingji_store::kernel::todo::TodoItem) -> Self {
        Self {
            id: v.id,
            code: v.code,
            title: v.title,
            place: v.place,
            status_label: v.status_label,
            at_ms: v.at_ms,
            due_ms: v.due_ms,
            due_date: v.due_date,
            overdue: v.overdue,
            link: v.link,
        }
    }
}

/// One kind of 待办 with its first few entries and how many there are.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TodoGroup {
    /// grade_hazards / rectify_hazards / evaluate_hazards / accept_hazards / overdue_hazards /
    /// reported_hazards / answer_work_orders / ack_alarms / incident_reports /
    /// approve_allocations / approve_warnings / review_enterprise_changes
    pub kind: String,
    pub label: String,
    /// The page that lists all of them.
    pub link: String,
    pub total: i64,
    pub items: Vec<TodoItem>,
}

impl From<yingji_app::workbench::TodoGroup> for TodoGroup {
    fn from(v: yingji_app::workbench::TodoGroup) -> Self {
        Self {
            kind: v.kind.as_str().into(),
            label: v.kind.label().into(),
            link: v.kind.link().into(),
            total: v.list.total,
            items: v.list.items.into_iter().map(Into::into).collect(),
        }
    }
}

/// A figure card.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FigureCard {
    pub code: String,
    pub label: String,
    pub value: i64,
    pub link: String,
}

/// The caller's 工作台.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Workbench {
    pub role: String,
    pub role_label: String,
    pub todos: Vec<TodoGroup>,
    pub figures: Vec<FigureCard>,
    /// The server's clock (countdowns).
    pub now_ms: i64,
}

impl Workbench {
    pub fn of(
        v: yingji_app::workbench::Workbench,
        role: yingji_core::kernel::role::Role,
        now_ms: i64,
    ) -> Self {
        Self {
            role: role.as_str().into(),
            role_label: role.label().into(),
            todos: v.todos.into_iter().map(Into::into).collect(),
            figures: v
                .figures
                .into_iter()
                .map(|(f, value)| FigureCard {
                    code: f.as_str().into(),
                    label: f.label().into(),
                    value,
                    link: f.link().into(),
                })
                .collect(),
            now_ms,
        }
    }
}

/// Hazards of one status.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatusCount {
    pub status: String,
    pub label: String,
    pub count: i64,
}

/// What is ready now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReadyResources {
    pub teams_standby: i64,
    pub teams: i64,
    pub experts_available: i64,
    pub warehouses: i64,
    pub stock_lines: i64,
    /// Stock lines below their minimum.
    pub stock_low: i64,
    pub shelters_open: i64,
    /// Free places in open shelters.
    pub shelter_places: i64,
}

/// 大屏 综合态势 in the caller's scope.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Screen {
    pub now_ms: i64,
    /// The newest alarms, newest first.
    pub alarms: Vec<Alarm>,
    pub open_alarms: i64,
    pub unacked_alarms: i64,
    /// The newest incidents, newest first.
    pub incidents: Vec<Incident>,
    pub open_incidents: i64,
    /// Warnings in force now.
    pub warnings: Vec<Warning>,
    pub warnings_in_force: i64,
    pub hazards_by_status: Vec<StatusCount>,
    pub open_hazards: i64,
    pub open_major_hazards: i64,
    pub overdue_hazards: i64,
    pub hazards_this_month: i64,
    pub ready: ReadyResources,
}

impl Screen {
    pub fn of(v: yingji_app::workbench::Screen, now_ms: i64) -> Self {
        let r = v.ready;
        Self {
            now_ms,
            alarms: v.alarms.into_iter().map(Into::into).collect(),
            open_alarms: v.open_alarms,
            unacked_alarms: v.unacked_alarms,
            incidents: v.incidents.into_iter().map(Into::into).collect(),
            open_incidents: v.open_incidents,
            warnings: v.warnings.into_iter().map(Into::into).collect(),
            warnings_in_force: v.warnings_in_force,
            hazards_by_status: v
                .hazards_by_status
                .into_iter()
                .map(|(status, label, count)| StatusCount {
                    status,
                    label,
                    count,
                })
                .collect(),
            open_hazards: v.hazards.open,
            open_major_hazards: v.hazards.open_major,
            overdue_hazards: v.hazards.overdue,
            hazards_this_month: v.hazards.this_month,
            ready: ReadyResources {
                teams_standby: r.teams_standby,
                teams: r.teams,
                experts_available: r.experts_available,
                warehouses: r.warehouses,
                stock_lines: r.stock_lines,
                stock_low: r.stock_low,
                shelters_open: r.shelters_open,
                shelter_places: r.shelter_places,
            },
        }
    }
}
