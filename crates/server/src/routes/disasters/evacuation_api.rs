//! The API types of 转移 (apart from the store's rows, ADR 0021).

use serde::Serialize;
use yingji_store::disasters::{evacuation, evacuation_totals};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvacuationPlanPerson {
    pub id: String,
    pub name: String,
    pub phone: String,
    pub household: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvacuationPlan {
    pub id: String,
    pub name: String,
    pub object_id: Option<String>,
    pub object_name: Option<String>,
    pub region_code: String,
    pub region_name: String,
    pub street_code: String,
    pub shelter_id: String,
    pub shelter_name: String,
    pub route: String,
    /// The name list (empty in lists).
    pub people: Vec<EvacuationPlanPerson>,
    pub updated_ms: i64,
}

impl From<evacuation::Plan> for EvacuationPlan {
    fn from(p: evacuation::Plan) -> Self {
        Self {
            id: p.id,
            name: p.name,
            object_id: p.object_id,
            object_name: p.object_name,
            region_code: p.region_code,
            region_name: p.region_name,
            street_code: p.street_code,
            shelter_id: p.shelter_id,
            shelter_name: p.shelter_name,
            route: p.route,
            people: p
                .people
                .into_iter()
                .map(|x| EvacuationPlanPerson {
                    id: x.id,
                    name: x.name,
                    phone: x.phone,
                    household: x.household,
                })
                .collect(),
            updated_ms: p.updated_ms,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvacuationOrderPerson {
    pub person_id: String,
    pub name: String,
    pub phone: String,
    pub household: String,
    /// arrived / refused / unreachable; null while waiting.
    pub answer: Option<String>,
    pub answer_label: String,
    pub answered_ms: Option<i64>,
    pub checked_in: bool,
}

/// A 转移 order with its progress and its shelter's occupancy.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvacuationOrder {
    pub id: String,
    pub plan_id: String,
    pub plan_name: String,
    pub warning_id: Option<String>,
    pub incident_id: Option<String>,
    pub region_code: String,
    pub street_code: String,
    pub shelter_id: String,
    pub shelter_name: String,
    pub shelter_capacity: i64,
    pub shelter_occupancy: i64,
    pub issued_by: String,
    pub issued_ms: i64,
    pub total: i64,
    pub arrived: i64,
    pub refused: i64,
    pub unreachable: i64,
    pub waiting: i64,
    pub checked_in: i64,
    pub people: Vec<EvacuationOrderPerson>,
}

impl From<evacuation::Order> for EvacuationOrder {
    fn from(o: evacuation::Order) -> Self {
        Self {
            id: o.id,
            plan_id: o.plan_id,
            plan_name: o.plan_name,
            warning_id: o.warning_id,
            incident_id: o.incident_id,
            region_code: o.region_code,
            street_code: o.street_code,
            shelter_id: o.shelter_id,
            shelter_name: o.shelter_name,
            shelter_capacity: o.shelter_capacity,
            shelter_occupancy: o.shelter_occupancy,
            issued_by: o.issued_by,
            issued_ms: o.issued_ms,
            total: o.total,
            arrived: o.arrived,
            refused: o.refused,
            unreachable: o.unreachable,
            waiting: o.waiting,
            checked_in: o.checked_in,
            people: o
                .people
                .into_iter()
                .map(|p| EvacuationOrderPerson {
                    person_id: p.person_id,
                    name: p.name,
                    phone: p.phone,
                    household: p.household,
                    answer: p.answer,
                    answer_label: p.answer_label,
                    answered_ms: p.answered_ms,
                    checked_in: p.checked_in,
                })
                .collect(),
        }
    }
}

/// 转移 figures of one township.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EvacuationTotals {
    pub township_code: String,
    pub township_name: String,
    /// 转移人数.
    pub ordered: i64,
    /// 到达.
    pub arrived: i64,
    /// 安置.
    pub sheltered: i64,
    pub refused: i64,
    pub unreachable: i64,
}

impl From<evacuation_totals::TownshipTotals> for EvacuationTotals {
    fn from(t: evacuation_totals::TownshipTotals) -> Self {
        Self {
            township_code: t.township_code,
            township_name: t.township_name,
            ordered: t.ordered,
            arrived: t.arrived,
            sheltered: t.sheltered,
            refused: t.refused,
            unreachable: t.unreachable,
        }
    }
}
