//! 一企一档 on the wire: every section of an enterprise's dossier.

use super::licences::{CreditProposal, KeyPerson, Licence, Standardisation};
use crate::routes::credit::insurance::Policy;
use crate::routes::credit::rating::{CreditRating, CreditRatingChange};
use crate::routes::directory::api::enterprises::Enterprise;
use serde::Serialize;
use yingji_app::credit::dossier::Dossier as Read;
use yingji_core::credit::dossier::{ColourCount, TimelineEvent};
use yingji_store::credit::dossier as rows;

/// An active risk point.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDossierRiskPoint {
    pub id: String,
    pub name: String,
    pub location: String,
    /// major / large / general / low (红/橙/黄/蓝)
    pub level: String,
    pub review_date: Option<String>,
}

/// A hazard (the latest first).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDossierHazard {
    pub id: String,
    pub code: String,
    /// general / major
    pub level: String,
    pub status: String,
    pub description: String,
    pub deadline: Option<String>,
    pub overdue: bool,
    pub reported_ms: i64,
    pub closed_ms: Option<i64>,
}

/// The hazards: counts and the latest.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDossierHazards {
    pub open: i64,
    pub overdue: i64,
    /// Open 重大隐患.
    pub major_open: i64,
    pub total: i64,
    pub items: Vec<CreditDossierHazard>,
}

/// A sensor and its live status.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDossierSensor {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    pub status: String,
    pub last_value: Option<i64>,
    pub last_ms: Option<i64>,
}

/// A 重大危险源 and its sensors.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDossierMajorHazard {
    pub id: String,
    pub code: String,
    pub name: String,
    /// 1–4 (一级 … 四级)
    pub level: i64,
    pub status: String,
    pub sensors: Vec<CreditDossierSensor>,
}

/// An alarm.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDossierAlarm {
    pub id: String,
    pub sensor_id: String,
    pub level: String,
    pub response: String,
    pub opened_ms: i64,
    pub resolved_ms: Option<i64>,
}

/// A 现场检查记录.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDossierInspection {
    pub id: String,
    pub summary: String,
    pub recorded_by_name: String,
    pub recorded_ms: i64,
}

/// A 行政处罚案件.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDossierCase {
    pub id: String,
    pub title: String,
    pub state: String,
    pub filed_day: String,
    pub decided_day: Option<String>,
    pub decided_fine: Option<i64>,
    pub created_ms: i64,
}

/// An incident or accident.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDossierIncident {
    pub id: String,
    pub code: String,
    pub title: String,
    pub severity: Option<i64>,
    pub status: String,
    pub deaths: i64,
    pub occurred_ms: i64,
}

/// An 应急预案 the enterprise filed (预案备案).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDossierPlan {
    pub id: String,
    pub code: String,
    pub name: String,
    /// enterprise / onsite
    pub kind: String,
    pub kind_label: String,
    pub version: String,
    pub effective_date: String,
    pub review_cycle_months: i64,
    /// active / superseded
    pub status: String,
    pub created_ms: i64,
}

/// 一企一档: an enterprise's whole record as the platform knows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditDossier {
    pub enterprise: Enterprise,
    pub licences: Vec<Licence>,
    /// The enterprise's proposals (pending and decided), newest first.
    pub proposals: Vec<CreditProposal>,
    pub standardisation: Option<Standardisation>,
    pub key_people: Vec<KeyPerson>,
    /// The 四色 summary of the active risk points, 重大 first.
    pub risk_colours: Vec<ColourCount>,
    pub risk_points: Vec<CreditDossierRiskPoint>,
    pub hazards: CreditDossierHazards,
    pub major_hazards: Vec<CreditDossierMajorHazard>,
    /// Sensors on no 重大危险源.
    pub other_sensors: Vec<CreditDossierSensor>,
    pub alarms: Vec<CreditDossierAlarm>,
    pub inspections: Vec<CreditDossierInspection>,
    pub cases: Vec<CreditDossierCase>,
    pub incidents: Vec<CreditDossierIncident>,
    /// The 应急预案 the enterprise filed.
    pub plans: Vec<CreditDossierPlan>,
    /// The credit face with its reasons.
    pub rating: CreditRating,
    /// The rating's history, newest first (at most 100).
    pub rating_changes: Vec<CreditRatingChange>,
    /// 安责险 policies (none when the caller's role does not read insurance).
    pub policies: Vec<Policy>,
    /// Dated events of every section, newest first (at most 200).
    pub timeline: Vec<TimelineEvent>,
}

fn sensor(s: rows::Sensor) -> CreditDossierSensor {
    CreditDossierSensor {
        id: s.id,
        code: s.code,
        name: s.name,
        kind: s.kind,
        unit: s.unit,
        status: s.status,
        last_value: s.last_value,
        last_ms: s.last_ms,
    }
}

fn hazards(h: rows::Hazards) -> CreditDossierHazards {
    CreditDossierHazards {
        open: h.open,
        overdue: h.overdue,
        major_open: h.major_open,
        total: h.total,
        items: h
            .items
            .into_iter()
            .map(|h| CreditDossierHazard {
                id: h.id,
                code: h.code,
                level: h.level,
                status: h.status,
                description: h.description,
                deadline: h.deadline,
                overdue: h.overdue,
                reported_ms: h.reported_ms,
                closed_ms: h.closed_ms,
            })
            .collect(),
    }
}

fn major_hazard(m: rows::MajorHazard) -> CreditDossierMajorHazard {
    CreditDossierMajorHazard {
        id: m.id,
        code: m.code,
        name: m.name,
        level: m.level,
        status: m.status,
        sensors: m.sensors.into_iter().map(sensor).collect(),
    }
}

fn plan(p: rows::FiledPlan) -> CreditDossierPlan {
    CreditDossierPlan {
        kind_label: yingji_core::kernel::label_of(yingji_core::response::plan::KINDS, &p.kind)
            .unwrap_or("")
            .into(),
        id: p.id,
        code: p.code,
        name: p.name,
        kind: p.kind,
        version: p.version,
        effective_date: p.effective_date,
        review_cycle_months: p.review_cycle_months,
        status: p.status,
        created_ms: p.created_ms,
    }
}

impl CreditDossier {
    // Long because: one field conversion per section, named one by one (ADR 0021).
    pub fn of(d: Read, rating: CreditRating, now_ms: i64) -> Self {
        let today = yingji_core::kernel::clock::today(now_ms);
        let s = d.sections;
        Self {
            enterprise: d.enterprise.into(),
            licences: s
                .licences
                .into_iter()
                .map(|l| Licence::of(l, today))
                .collect(),
            proposals: s.proposals.into_iter().map(Into::into).collect(),
            standardisation: s.standardisation.map(|x| Standardisation::of(x, today)),
            key_people: s
                .key_people
                .into_iter()
                .map(|p| KeyPerson::of(p, today))
                .collect(),
            risk_colours: d.colours,
            risk_points: s
                .risk_points
                .items
                .into_iter()
                .map(|r| CreditDossierRiskPoint {
                    id: r.id,
                    name: r.name,
                    location: r.location,
                    level: r.level,
                    review_date: r.review_date,
                })
                .collect(),
            hazards: hazards(s.hazards),
            major_hazards: s
                .installations
                .major_hazards
                .into_iter()
                .map(major_hazard)
                .collect(),
            other_sensors: s
                .installations
                .other_sensors
                .into_iter()
                .map(sensor)
                .collect(),
            alarms: s
                .alarms
                .into_iter()
                .map(|a| CreditDossierAlarm {
                    id: a.id,
                    sensor_id: a.sensor_id,
                    level: a.level,
                    response: a.response,
                    opened_ms: a.opened_ms,
                    resolved_ms: a.resolved_ms,
                })
                .collect(),
            inspections: s
                .inspections
                .into_iter()
                .map(|i| CreditDossierInspection {
                    id: i.id,
                    summary: i.summary,
                    recorded_by_name: i.recorded_by_name,
                    recorded_ms: i.recorded_ms,
                })
                .collect(),
            cases: s
                .cases
                .into_iter()
                .map(|c| CreditDossierCase {
                    id: c.id,
                    title: c.title,
                    state: c.state,
                    filed_day: c.filed_day,
                    decided_day: c.decided_day,
                    decided_fine: c.decided_fine,
                    created_ms: c.created_ms,
                })
                .collect(),
            incidents: s
                .incidents
                .into_iter()
                .map(|i| CreditDossierIncident {
                    id: i.id,
                    code: i.code,
                    title: i.title,
                    severity: i.severity,
                    status: i.status,
                    deaths: i.deaths,
                    occurred_ms: i.occurred_ms,
                })
                .collect(),
            plans: s.plans.into_iter().map(plan).collect(),
            rating,
            rating_changes: d.rating_changes.into_iter().map(Into::into).collect(),
            policies: d
                .policies
                .into_iter()
                .map(|p| Policy::of(p, now_ms))
                .collect(),
            timeline: d.timeline,
        }
    }
}
