//! API types of 会商研判 (ADR 0021).

use crate::routes::kernel::api::attachments::Attachment;
use serde::{Deserialize, Serialize};

/// A department present.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ConsultationDepartment)]
pub struct Department {
    pub id: String,
    pub name: String,
}

/// An action decided at the meeting.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ConsultationAction)]
pub struct Action {
    pub id: String,
    pub text: String,
    /// The owner: a department or a person (one of the two).
    pub owner_department_id: Option<String>,
    pub owner_user_id: Option<String>,
    pub owner_name: String,
    /// When the action becomes overdue (ms).
    pub due_ms: i64,
    /// open / done
    pub state: String,
    /// 待办 / 已完成
    pub state_label: String,
    /// The deadline passed while open (the owner and the host were told).
    pub overdue: bool,
    pub done_ms: Option<i64>,
    pub done_note: Option<String>,
    pub done_by_name: Option<String>,
}

impl From<yingji_store::disasters::consultations::Action> for Action {
    fn from(v: yingji_store::disasters::consultations::Action) -> Self {
        Self {
            id: v.id,
            text: v.text,
            owner_department_id: v.owner_department_id,
            owner_user_id: v.owner_user_id,
            owner_name: v.owner_name,
            due_ms: v.due_ms,
            state: v.state,
            state_label: v.state_label,
            overdue: v.overdue,
            done_ms: v.done_ms,
            done_note: v.done_note,
            done_by_name: v.done_by_name,
        }
    }
}

/// A 会商研判 meeting.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = Consultation)]
pub struct Consultation {
    pub id: String,
    /// pre_season / during / after / special
    pub kind: String,
    /// 汛前会商 / 灾中会商 / 灾后会商 / 专题会商
    pub kind_label: String,
    pub topic: String,
    pub held_ms: i64,
    pub place: Option<String>,
    /// 视频会商.
    pub video: bool,
    pub host_user_id: String,
    pub host_name: String,
    pub participants: Option<String>,
    /// process / warning / incident
    pub link_kind: String,
    pub link_kind_label: String,
    pub link_id: String,
    /// The linked record's name.
    pub link_label: String,
    /// The console page of the linked record.
    pub link_path: String,
    pub conclusions: Option<String>,
    pub created_by_name: String,
    pub created_ms: i64,
    pub departments: Vec<Department>,
    pub actions: Vec<Action>,
    /// 会商材料.
    pub attachments: Vec<Attachment>,
}

impl From<yingji_store::disasters::consultations::Consultation> for Consultation {
    fn from(v: yingji_store::disasters::consultations::Consultation) -> Self {
        let link = yingji_core::disasters::consultations::LinkKind::parse(&v.link_kind);
        Self {
            id: v.id,
            kind: v.kind,
            kind_label: v.kind_label,
            topic: v.topic,
            held_ms: v.held_ms,
            place: v.place,
            video: v.video,
            host_user_id: v.host_user_id,
            host_name: v.host_name,
            participants: v.participants,
            link_kind_label: link.map_or("", |l| l.label()).into(),
            link_path: link.map(|l| l.link(&v.link_id)).unwrap_or_default(),
            link_kind: v.link_kind,
            link_id: v.link_id,
            link_label: v.link_label,
            conclusions: v.conclusions,
            created_by_name: v.created_by_name,
            created_ms: v.created_ms,
            departments: v
                .departments
                .into_iter()
                .map(|(id, name)| Department { id, name })
                .collect(),
            actions: v.actions.into_iter().map(Into::into).collect(),
            attachments: v.attachments.into_iter().map(Into::into).collect(),
        }
    }
}

/// An action to decide.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ConsultationActionInput)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub text: String,
    /// The owner department (or `owner_user_id`, not both).
    pub owner_department_id: Option<String>,
    pub owner_user_id: Option<String>,
    /// `2026-07-12` (the end of that day, Asia/Shanghai) or a time (`2026-07-12 18:00`).
    pub deadline: String,
}

/// A meeting to record: linked to exactly one of `process_id`, `warning_id`, `incident_id`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ConsultationInput)]
#[serde(deny_unknown_fields)]
pub struct ConsultationInput {
    /// pre_season / during / after / special
    pub kind: String,
    pub topic: String,
    /// RFC 3339 or `2026-06-01 09:00` (Asia/Shanghai).
    pub held_at: String,
    pub place: Option<String>,
    #[serde(default)]
    pub video: bool,
    /// The host (a user); the caller when omitted.
    pub host_user_id: Option<String>,
    #[serde(default)]
    pub department_ids: Vec<String>,
    pub participants: Option<String>,
    pub process_id: Option<String>,
    pub warning_id: Option<String>,
    pub incident_id: Option<String>,
    pub conclusions: Option<String>,
    #[serde(default)]
    pub actions: Vec<ActionInput>,
    /// 会商材料: uploaded before (`POST /api/v1/attachments`).
    #[serde(default)]
    pub attachments: Vec<String>,
}

impl From<&ConsultationInput> for yingji_core::disasters::consultations::MeetingInput {
    fn from(v: &ConsultationInput) -> Self {
        Self {
            kind: v.kind.clone(),
            topic: v.topic.clone(),
            held_at: v.held_at.clone(),
            place: v.place.clone(),
            video: v.video,
            host_user_id: v.host_user_id.clone(),
            department_ids: v.department_ids.clone(),
            participants: v.participants.clone(),
            process_id: v.process_id.clone(),
            warning_id: v.warning_id.clone(),
            incident_id: v.incident_id.clone(),
            conclusions: v.conclusions.clone(),
            actions: v
                .actions
                .iter()
                .map(|a| yingji_core::disasters::consultations::ActionInput {
                    text: a.text.clone(),
                    owner_department_id: a.owner_department_id.clone(),
                    owner_user_id: a.owner_user_id.clone(),
                    deadline: a.deadline.clone(),
                })
                .collect(),
        }
    }
}

/// 完成任务.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = ConsultationCompleteInput)]
#[serde(deny_unknown_fields)]
pub struct CompleteInput {
    /// 完成情况.
    pub note: Option<String>,
}
