//! API types of resources::allocations: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderLineInput {
    pub stock_id: String,
    pub quantity: i64,
}

impl From<OrderLineInput> for yingji_store::resources::allocations::OrderLineInput {
    fn from(v: OrderLineInput) -> Self {
        Self {
            stock_id: v.stock_id,
            quantity: v.quantity,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    pub from_warehouse_id: String,
    /// Another warehouse (调拨入库 there on receipt) …
    #[serde(default)]
    pub to_warehouse_id: Option<String>,
    /// … or the incident the materials go to.
    #[serde(default)]
    pub incident_id: Option<String>,
    /// 送达地点 (defaults to the destination warehouse's name).
    #[serde(default)]
    pub destination: String,
    /// 用途.
    pub purpose: String,
    pub lines: Vec<OrderLineInput>,
}

impl From<OrderInput> for yingji_store::resources::allocations::OrderInput {
    fn from(v: OrderInput) -> Self {
        Self {
            from_warehouse_id: v.from_warehouse_id,
            to_warehouse_id: v.to_warehouse_id,
            incident_id: v.incident_id,
            destination: v.destination,
            purpose: v.purpose,
            lines: v.lines.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderActionInput {
    /// approve / reject / ship / receive / cancel
    pub action: String,
    /// Per line, for approve / ship / receive; defaults to the previous step's quantities.
    #[serde(default)]
    pub quantities: Option<Vec<i64>>,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<OrderActionInput> for yingji_store::resources::allocations::OrderActionInput {
    fn from(v: OrderActionInput) -> Self {
        Self {
            action: v.action,
            quantities: v.quantities,
            note: v.note,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrderLine {
    pub line_no: i64,
    pub stock_id: String,
    pub material_code: String,
    pub material_name: String,
    pub unit: String,
    pub requested: i64,
    pub approved: Option<i64>,
    pub shipped: Option<i64>,
    pub received: Option<i64>,
    /// The source line's available stock now.
    pub available: i64,
}

impl From<yingji_store::resources::allocations::OrderLine> for OrderLine {
    fn from(v: yingji_store::resources::allocations::OrderLine) -> Self {
        Self {
            line_no: v.line_no,
            stock_id: v.stock_id,
            material_code: v.material_code,
            material_name: v.material_name,
            unit: v.unit,
            requested: v.requested,
            approved: v.approved,
            shipped: v.shipped,
            received: v.received,
            available: v.available,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Order {
    pub id: String,
    pub code: String,
    pub status: String,
    pub status_label: String,
    pub incident_id: Option<String>,
    pub from_warehouse_id: String,
    pub from_warehouse_name: String,
    pub to_warehouse_id: Option<String>,
    pub to_warehouse_name: Option<String>,
    pub destination: String,
    pub purpose: String,
    pub requested_by: String,
    pub requested_ms: i64,
    pub approved_by: Option<String>,
    pub approved_ms: Option<i64>,
    pub shipped_ms: Option<i64>,
    pub received_ms: Option<i64>,
    pub note: Option<String>,
    /// Some line got less than asked for at some step.
    pub partial: bool,
    pub lines: Vec<OrderLine>,
}

impl From<yingji_store::resources::allocations::Order> for Order {
    fn from(v: yingji_store::resources::allocations::Order) -> Self {
        Self {
            id: v.id,
            code: v.code,
            status: v.status,
            status_label: v.status_label,
            incident_id: v.incident_id,
            from_warehouse_id: v.from_warehouse_id,
            from_warehouse_name: v.from_warehouse_name,
            to_warehouse_id: v.to_warehouse_id,
            to_warehouse_name: v.to_warehouse_name,
            destination: v.destination,
            purpose: v.purpose,
            requested_by: v.requested_by,
            requested_ms: v.requested_ms,
            approved_by: v.approved_by,
            approved_ms: v.approved_ms,
            shipped_ms: v.shipped_ms,
            received_ms: v.received_ms,
            note: v.note,
            partial: v.partial,
            lines: v.lines.into_iter().map(Into::into).collect(),
        }
    }
}
