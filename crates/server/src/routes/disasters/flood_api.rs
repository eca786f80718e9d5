//! The API types of 防汛与地灾 (apart from the store's rows, ADR 0021).

use serde::Serialize;
use yingji_store::disasters::{flood, flood_orders, patrol_logs};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FloodDutyPerson {
    /// administrative / technical / patrol / monitor / area
    pub duty: String,
    pub duty_label: String,
    pub name: String,
    pub post: String,
    pub phone: String,
    pub user_id: Option<String>,
}

/// A reservoir, dike, 山洪危险区 or 地灾隐患点 with its duty persons.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FloodDutyObject {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub address: String,
    pub region_code: String,
    pub street_code: String,
    pub street_name: String,
    pub persons: Vec<FloodDutyPerson>,
    /// The duties nobody holds yet.
    pub missing: Vec<String>,
    pub complete: bool,
}

impl From<flood::DutyObject> for FloodDutyObject {
    fn from(o: flood::DutyObject) -> Self {
        Self {
            id: o.id,
            kind: o.kind,
            kind_label: o.kind_label,
            name: o.name,
            address: o.address,
            region_code: o.region_code,
            street_code: o.street_code,
            street_name: o.street_name,
            persons: o
                .persons
                .into_iter()
                .map(|p| FloodDutyPerson {
                    duty: p.duty,
                    duty_label: p.duty_label,
                    name: p.name,
                    post: p.post,
                    phone: p.phone,
                    user_id: p.user_id,
                })
                .collect(),
            missing: o.missing,
            complete: o.complete,
        }
    }
}

/// A duty person on the public 公示 list (no account).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicFloodDutyPerson {
    pub duty_label: String,
    pub name: String,
    pub post: String,
    pub phone: String,
}

/// An object on the public 公示 list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicFloodDutyObject {
    pub kind_label: String,
    pub name: String,
    pub address: String,
    pub street_name: String,
    pub persons: Vec<PublicFloodDutyPerson>,
}

impl From<flood::DutyObject> for PublicFloodDutyObject {
    fn from(o: flood::DutyObject) -> Self {
        Self {
            kind_label: o.kind_label,
            name: o.name,
            address: o.address,
            street_name: o.street_name,
            persons: o
                .persons
                .into_iter()
                .map(|p| PublicFloodDutyPerson {
                    duty_label: p.duty_label,
                    name: p.name,
                    post: p.post,
                    phone: p.phone,
                })
                .collect(),
        }
    }
}

/// A duty person a work order went to, with their part of its actions.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FloodOrderPerson {
    pub order_id: String,
    pub duty: String,
    pub duty_label: String,
    pub user_id: Option<String>,
    pub name: String,
    pub phone: String,
    pub actions: Vec<String>,
}

impl From<flood_orders::OrderPerson> for FloodOrderPerson {
    fn from(p: flood_orders::OrderPerson) -> Self {
        Self {
            order_id: p.order_id,
            duty: p.duty,
            duty_label: p.duty_label,
            user_id: p.user_id,
            name: p.name,
            phone: p.phone,
            actions: p.actions,
        }
    }
}

/// A 巡查 log.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FloodPatrolLog {
    pub id: String,
    pub object_id: String,
    pub object_name: String,
    pub object_kind_label: String,
    /// pre_season / in_season / post_season / mass_monitoring
    pub kind: String,
    pub kind_label: String,
    pub at_ms: i64,
    pub lon: f64,
    pub lat: f64,
    pub place: String,
    /// normal / abnormal
    pub result: String,
    pub finding: Option<String>,
    pub street_code: String,
    pub by_name: String,
    pub attachments: Vec<String>,
}

impl From<patrol_logs::PatrolLog> for FloodPatrolLog {
    fn from(p: patrol_logs::PatrolLog) -> Self {
        Self {
            id: p.id,
            object_id: p.object_id,
            object_name: p.object_name,
            object_kind_label: p.object_kind_label,
            kind: p.kind,
            kind_label: p.kind_label,
            at_ms: p.at_ms,
            lon: p.lon,
            lat: p.lat,
            place: p.place,
            result: p.result,
            finding: p.finding,
            street_code: p.street_code,
            by_name: p.by_name,
            attachments: p.attachments,
        }
    }
}
