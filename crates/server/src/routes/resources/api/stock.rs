//! API types of resources::stock: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockInput {
    pub warehouse_id: String,
    /// A code of GET /api/v1/materials.
    pub material_code: String,
    /// physical (实物) / agreement (协议) / capacity (产能)
    #[serde(default = "physical")]
    pub reserve_type: String,
    /// Opening quantity, written to the ledger as 入库.
    #[serde(default)]
    pub quantity: i64,
    #[serde(default)]
    pub min_stock: i64,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub expiry_date: Option<String>,
    /// 协议/产能储备的供应单位.
    #[serde(default)]
    pub supplier: Option<String>,
}

impl From<StockInput> for yingji_store::resources::StockInput {
    fn from(v: StockInput) -> Self {
        Self {
            warehouse_id: v.warehouse_id,
            material_code: v.material_code,
            reserve_type: v.reserve_type,
            quantity: v.quantity,
            min_stock: v.min_stock,
            expiry_date: v.expiry_date,
            supplier: v.supplier,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StockLine {
    pub id: String,
    pub warehouse_id: String,
    pub warehouse_name: String,
    pub material_code: String,
    pub material_name: String,
    pub category_code: String,
    pub category_name: String,
    pub unit: String,
    pub reserve_type: String,
    pub reserve_type_label: String,
    pub quantity: i64,
    pub reserved: i64,
    pub available: i64,
    pub min_stock: i64,
    /// Available below the minimum.
    pub low: bool,
    pub expiry_date: Option<String>,
    /// expired / expiring
    pub expiry_state: Option<String>,
    pub supplier: Option<String>,
    pub updated_ms: i64,
    /// False once deactivated (停用): kept, but no longer found, dispatched or allocated from.
    pub active: bool,
}

impl From<yingji_store::resources::StockLine> for StockLine {
    fn from(v: yingji_store::resources::StockLine) -> Self {
        Self {
            id: v.id,
            warehouse_id: v.warehouse_id,
            warehouse_name: v.warehouse_name,
            material_code: v.material_code,
            material_name: v.material_name,
            category_code: v.category_code,
            category_name: v.category_name,
            unit: v.unit,
            reserve_type: v.reserve_type,
            reserve_type_label: v.reserve_type_label,
            quantity: v.quantity,
            reserved: v.reserved,
            available: v.available,
            min_stock: v.min_stock,
            low: v.low,
            expiry_date: v.expiry_date,
            expiry_state: v.expiry_state,
            supplier: v.supplier,
            updated_ms: v.updated_ms,
            active: v.active,
        }
    }
}

/// What an edit of a stock line may change: the material and the warehouse make the line, and the
/// quantity moves only by the ledger.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockEdit {
    /// physical (实物) / agreement (协议) / capacity (产能)
    pub reserve_type: String,
    #[serde(default)]
    pub min_stock: i64,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub expiry_date: Option<String>,
    #[serde(default)]
    pub supplier: Option<String>,
}

impl From<StockEdit> for yingji_store::resources::StockEdit {
    fn from(v: StockEdit) -> Self {
        Self {
            reserve_type: v.reserve_type,
            min_stock: v.min_stock,
            expiry_date: v.expiry_date,
            supplier: v.supplier,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovementInput {
    /// inbound (入库) / outbound (出库) / count (盘点: the counted quantity) / write_off (报损)
    pub kind: String,
    pub quantity: i64,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<MovementInput> for yingji_store::resources::MovementInput {
    fn from(v: MovementInput) -> Self {
        Self {
            kind: v.kind,
            quantity: v.quantity,
            note: v.note,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Movement {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub delta: i64,
    pub balance_after: i64,
    pub at_ms: i64,
    pub order_id: Option<String>,
    pub incident_id: Option<String>,
    pub note: Option<String>,
    pub author: String,
}

impl From<yingji_store::resources::Movement> for Movement {
    fn from(v: yingji_store::resources::Movement) -> Self {
        Self {
            id: v.id,
            kind: v.kind,
            kind_label: v.kind_label,
            delta: v.delta,
            balance_after: v.balance_after,
            at_ms: v.at_ms,
            order_id: v.order_id,
            incident_id: v.incident_id,
            note: v.note,
            author: v.author,
        }
    }
}

fn physical() -> String {
    "physical".into()
}
