//! API types of 网格事件 (ADR 0021). The reporter's name and phone are personal data: masked
//! unless the reader may see them (core::grid::events::reporter_visible).

use crate::routes::kernel::api::attachments::Attachment;
use serde::{Deserialize, Serialize};
use yingji_core::grid::events::{reporter_as_seen, reporter_visible};
use yingji_core::grid::events_due::card_label;
use yingji_store::kernel::Ctx;

/// A grid event as entered on the phone or in the console.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GridEventInput {
    /// A code of the catalogue (`/api/v1/grid/categories`).
    pub category: String,
    pub title: Option<String>,
    pub description: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// The street, community or grid it lies in.
    pub region_code: String,
    pub address: Option<String>,
    pub enterprise_id: Option<String>,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    /// Photos uploaded first (`/api/v1/attachments`), at most 20.
    #[serde(default)]
    pub attachments: Vec<String>,
}

impl From<&GridEventInput> for yingji_core::grid::events::EventInput {
    fn from(v: &GridEventInput) -> Self {
        Self {
            category: v.category.clone(),
            title: v.title.clone(),
            description: v.description.clone(),
            lon: v.lon,
            lat: v.lat,
            region_code: v.region_code.clone(),
            address: v.address.clone(),
            enterprise_id: v.enterprise_id.clone(),
            reporter_name: v.reporter_name.clone(),
            reporter_phone: v.reporter_phone.clone(),
            occurred_at: None,
        }
    }
}

/// A grid event.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridEvent {
    pub id: String,
    /// 事件编号 SJ…
    pub code: String,
    pub region_code: String,
    pub region_name: Option<String>,
    pub street_code: String,
    /// grid / public / hotline / opinion / duty
    pub source: String,
    pub source_label: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub lon: f64,
    pub lat: f64,
    pub address: Option<String>,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    /// Masked (张*, 138****5678) unless the reader may see the reporter.
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_masked: bool,
    /// The hotline's order number and platform.
    pub external_no: Option<String>,
    pub external_source: Option<String>,
    pub opinion_url: Option<String>,
    pub opinion_heat: Option<i64>,
    /// 舆情: especially / major / larger / general, its label and the platform.
    pub opinion_level: Option<String>,
    pub opinion_level_label: Option<String>,
    pub opinion_platform: Option<String>,
    /// pending_dispatch / dispatched / accepted / handled / answered / closed / merged
    pub status: String,
    pub status_label: String,
    /// department / street
    pub unit_kind: Option<String>,
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub dispatch_reason: Option<String>,
    pub dispatched_ms: Option<i64>,
    pub accept_due_ms: Option<i64>,
    pub handle_due_ms: Option<i64>,
    pub feedback_due_ms: Option<i64>,
    pub accepted_ms: Option<i64>,
    pub handled_ms: Option<i64>,
    pub answered_ms: Option<i64>,
    pub closed_ms: Option<i64>,
    /// '' / remind / yellow / red: the 督办 card of the deadline running.
    pub card: String,
    pub card_label: String,
    pub result: Option<String>,
    pub answer: Option<String>,
    pub satisfied: Option<bool>,
    pub reopened: bool,
    pub merged_into: Option<String>,
    pub hazard_id: Option<String>,
    pub incident_id: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl GridEvent {
    /// The event as this reader may see it.
    pub fn seen_by(v: yingji_store::grid::events::GridEvent, ctx: &Ctx) -> Self {
        Self::seen_by_as(v, ctx, false)
    }

    /// The event as this reader sees it, `reward_officer` when they are its district's reward
    /// officer (they see the reporter in full).
    pub fn seen_by_as(
        v: yingji_store::grid::events::GridEvent,
        ctx: &Ctx,
        reward_officer: bool,
    ) -> Self {
        let visible = reporter_visible(ctx.role, &v.source, reward_officer);
        let (reporter_name, reporter_phone) = reporter_as_seen(
            visible,
            v.reporter_name.as_deref(),
            v.reporter_phone.as_deref(),
        );
        let level_label = v.opinion_level().map(|l| l.label().to_string());
        Self {
            id: v.id,
            code: v.code,
            region_code: v.region_code,
            region_name: v.region_name,
            street_code: v.street_code,
            source: v.source,
            source_label: v.source_label,
            category: v.category,
            title: v.title,
            description: v.description,
            lon: v.lon,
            lat: v.lat,
            address: v.address,
            enterprise_id: v.enterprise_id,
            enterprise_name: v.enterprise_name,
            reporter_masked: !visible && (reporter_name.is_some() || reporter_phone.is_some()),
            reporter_name,
            reporter_phone,
            external_no: v.external_no,
            external_source: v.external_source,
            opinion_url: v.opinion_url,
            opinion_heat: v.opinion_heat,
            opinion_level_label: level_label,
            opinion_level: v.opinion_level,
            opinion_platform: v.opinion_platform,
            status: v.status,
            status_label: v.status_label,
            unit_kind: v.unit_kind,
            unit_id: v.unit_id,
            unit_name: v.unit_name,
            dispatch_reason: v.dispatch_reason,
            dispatched_ms: v.dispatched_ms,
            accept_due_ms: v.accept_due_ms,
            handle_due_ms: v.handle_due_ms,
            feedback_due_ms: v.feedback_due_ms,
            accepted_ms: v.accepted_ms,
            handled_ms: v.handled_ms,
            answered_ms: v.answered_ms,
            closed_ms: v.closed_ms,
            card_label: card_label(&v.card).into(),
            card: v.card,
            result: v.result,
            answer: v.answer,
            satisfied: v.satisfied,
            reopened: v.reopened,
            merged_into: v.merged_into,
            hazard_id: v.hazard_id,
            incident_id: v.incident_id,
            created_ms: v.created_ms,
            updated_ms: v.updated_ms,
        }
    }
}

/// One line of the timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = GridEventStep)]
pub struct Step {
    pub at_ms: i64,
    pub action: String,
    pub actor_name: String,
    pub note: Option<String>,
    pub public: bool,
}

/// An event with its timeline and photos.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridEventDetail {
    pub event: GridEvent,
    pub steps: Vec<Step>,
    pub attachments: Vec<Attachment>,
}

impl GridEventDetail {
    pub fn seen_by(v: yingji_store::grid::events::EventDetail, ctx: &Ctx) -> Self {
        Self::seen_by_as(v, ctx, false)
    }

    pub fn seen_by_as(
        v: yingji_store::grid::events::EventDetail,
        ctx: &Ctx,
        reward_officer: bool,
    ) -> Self {
        Self {
            event: GridEvent::seen_by_as(v.event, ctx, reward_officer),
            steps: v
                .steps
                .into_iter()
                .map(|s| Step {
                    at_ms: s.at_ms,
                    action: s.action,
                    actor_name: s.actor_name,
                    note: s.note,
                    public: s.public,
                })
                .collect(),
            attachments: v.attachments.into_iter().map(Into::into).collect(),
        }
    }
}

/// 人工分拨.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = GridDispatchInput)]
pub struct DispatchInput {
    /// department / street
    pub unit_kind: String,
    /// The department's id, or the street's region code.
    pub unit_id: String,
}

/// 退回 and other steps that need a reason.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = GridReasonInput)]
pub struct ReasonInput {
    pub reason: String,
}

/// 处置完成.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandleInput {
    /// 处置结果.
    pub result: String,
    /// The answer to the reporter, when given at once (else `/answer` later).
    pub answer: Option<String>,
    /// Photos of the result, uploaded first.
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// 反馈: the answer to the reporter.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    pub answer: String,
}

/// 回访.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    /// true 满意 / false 不满意 (reopens once) / absent: 无需回访 (the reporter cannot be reached).
    pub satisfied: Option<bool>,
    pub note: Option<String>,
}

/// One unit's line on the 督办 board.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = GridBoardUnit)]
pub struct UnitLine {
    /// department / street; empty for the duty room (待分拨).
    pub unit_kind: String,
    pub unit_id: String,
    pub unit_name: String,
    /// 待签收
    pub waiting_accept: i64,
    /// 处置中
    pub in_hand: i64,
    /// 待反馈
    pub waiting_answer: i64,
    /// 待回访
    pub waiting_visit: i64,
    /// 待分拨
    pub pending_dispatch: i64,
    pub reminded: i64,
    pub yellow: i64,
    pub red: i64,
    pub open: i64,
}

/// The 督办 board.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridBoard {
    pub units: Vec<UnitLine>,
    /// Open events with a card, 红牌 first.
    pub carded: Vec<GridEvent>,
    pub open: i64,
}

impl GridBoard {
    pub fn seen_by(v: yingji_store::grid::events_board::Board, ctx: &Ctx) -> Self {
        Self {
            units: v
                .units
                .into_iter()
                .map(|u| UnitLine {
                    unit_kind: u.unit_kind,
                    unit_id: u.unit_id,
                    unit_name: u.unit_name,
                    waiting_accept: u.waiting_accept,
                    in_hand: u.in_hand,
                    waiting_answer: u.waiting_answer,
                    waiting_visit: u.waiting_visit,
                    pending_dispatch: u.pending_dispatch,
                    reminded: u.reminded,
                    yellow: u.yellow,
                    red: u.red,
                    open: u.open,
                })
                .collect(),
            carded: v
                .carded
                .into_iter()
                .map(|e| GridEvent::seen_by(e, ctx))
                .collect(),
            open: v.open,
        }
    }
}
