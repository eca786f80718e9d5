//! API types of response::plans: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};
use yingji_core::response::plan::PlanLevel;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    pub code: String,
    pub name: String,
    /// overall / special / department / street / enterprise / onsite
    pub kind: String,
    /// 编制单位.
    pub owner: String,
    pub version: String,
    /// YYYY-MM-DD.
    pub effective_date: String,
    /// 评估修订周期 (months; 0 = none).
    #[serde(default)]
    pub review_cycle_months: i64,
    /// Incident subtypes the plan applies to (empty = all).
    #[serde(default)]
    pub subtypes: Vec<String>,
    pub levels: Vec<PlanLevel>,
    /// 备案企业: the enterprise that filed an 企业应急预案 or 现场处置方案 (its 一企一档 lists it).
    #[serde(default)]
    pub enterprise_id: Option<String>,
}

impl From<PlanInput> for yingji_store::response::plans::PlanInput {
    fn from(v: PlanInput) -> Self {
        Self {
            code: v.code,
            name: v.name,
            kind: v.kind,
            owner: v.owner,
            version: v.version,
            effective_date: v.effective_date,
            review_cycle_months: v.review_cycle_months,
            subtypes: v.subtypes,
            levels: v.levels,
            enterprise_id: v.enterprise_id.filter(|e| !e.trim().is_empty()),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Plan {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub owner: String,
    pub version: String,
    pub effective_date: String,
    pub review_cycle_months: i64,
    /// 下次评估修订日期.
    pub review_due: Option<String>,
    /// 修订逾期.
    pub review_overdue: bool,
    pub subtypes: Vec<String>,
    pub levels: Vec<PlanLevel>,
    pub status: String,
    /// 备案企业 of an enterprise's plan.
    pub enterprise_id: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl From<yingji_store::response::plans::Plan> for Plan {
    fn from(v: yingji_store::response::plans::Plan) -> Self {
        Self {
            id: v.id,
            code: v.code,
            name: v.name,
            kind: v.kind,
            kind_label: v.kind_label,
            owner: v.owner,
            version: v.version,
            effective_date: v.effective_date,
            review_cycle_months: v.review_cycle_months,
            review_due: v.review_due,
            review_overdue: v.review_overdue,
            subtypes: v.subtypes,
            levels: v.levels,
            status: v.status,
            enterprise_id: v.enterprise_id,
            created_ms: v.created_ms,
            updated_ms: v.updated_ms,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Activation {
    pub id: String,
    pub plan_id: String,
    pub plan_name: String,
    /// activate / upgrade / downgrade / stand_down
    pub action: String,
    pub action_label: String,
    pub level: Option<i64>,
    pub level_label: Option<String>,
    pub suggested_level: Option<i64>,
    pub reason: Option<String>,
    pub at_ms: i64,
    pub author: String,
}

impl From<yingji_store::response::plans::Activation> for Activation {
    fn from(v: yingji_store::response::plans::Activation) -> Self {
        Self {
            id: v.id,
            plan_id: v.plan_id,
            plan_name: v.plan_name,
            action: v.action,
            action_label: v.action_label,
            level: v.level,
            level_label: v.level_label,
            suggested_level: v.suggested_level,
            reason: v.reason,
            at_ms: v.at_ms,
            author: v.author,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IncidentTask {
    pub id: String,
    pub department: String,
    pub task: String,
    pub due_ms: i64,
    /// pending / in_progress / done / cancelled
    pub status: String,
    pub status_label: String,
    pub overdue: bool,
    pub note: Option<String>,
    pub updated_ms: i64,
}

impl From<yingji_store::response::plans::IncidentTask> for IncidentTask {
    fn from(v: yingji_store::response::plans::IncidentTask) -> Self {
        Self {
            id: v.id,
            department: v.department,
            task: v.task,
            due_ms: v.due_ms,
            status: v.status,
            status_label: v.status_label,
            overdue: v.overdue,
            note: v.note,
            updated_ms: v.updated_ms,
        }
    }
}

/// The plan response on an incident: every decision and the task board.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = PlanResponse)]
pub struct Response {
    pub activations: Vec<Activation>,
    pub tasks: Vec<IncidentTask>,
}

impl From<yingji_store::response::plans::Response> for Response {
    fn from(v: yingji_store::response::plans::Response) -> Self {
        Self {
            activations: v.activations.into_iter().map(Into::into).collect(),
            tasks: v.tasks.into_iter().map(Into::into).collect(),
        }
    }
}

/// The level each applicable plan suggests for an incident's current facts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub plan_id: String,
    pub plan_name: String,
    pub kind_label: String,
    pub suggested_level: Option<i64>,
    pub suggested_label: Option<String>,
}

impl From<yingji_store::response::plans::Suggestion> for Suggestion {
    fn from(v: yingji_store::response::plans::Suggestion) -> Self {
        Self {
            plan_id: v.plan_id,
            plan_name: v.plan_name,
            kind_label: v.kind_label,
            suggested_level: v.suggested_level,
            suggested_label: v.suggested_label,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivationInput {
    pub plan_id: String,
    /// activate / upgrade / downgrade / stand_down
    pub action: String,
    /// 1 (Ⅰ级) … 4; not for stand_down.
    #[serde(default)]
    pub level: Option<i64>,
    #[serde(default)]
    pub reason: Option<String>,
}

impl From<ActivationInput> for yingji_store::response::plans::ActivationInput {
    fn from(v: ActivationInput) -> Self {
        Self {
            plan_id: v.plan_id,
            action: v.action,
            level: v.level,
            reason: v.reason,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskUpdate {
    /// in_progress / done
    pub status: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<TaskUpdate> for yingji_store::response::plans::TaskUpdate {
    fn from(v: TaskUpdate) -> Self {
        Self {
            status: v.status,
            note: v.note,
        }
    }
}
