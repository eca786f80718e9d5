//! API types of monitoring::gateways: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GatewayInput {
    /// Letters, digits, `-` and `_`: it is the MQTT user name and the topic segment `yj/{code}/…`.
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    /// For a gateway of public monitored objects: its street, community or grid.
    #[serde(default)]
    pub region_code: Option<String>,
}

impl From<GatewayInput> for yingji_store::monitoring::gateways::GatewayInput {
    fn from(v: GatewayInput) -> Self {
        Self {
            code: v.code,
            name: v.name,
            enterprise_id: v.enterprise_id,
            region_code: v.region_code,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Gateway {
    pub id: String,
    pub code: String,
    pub name: String,
    pub enterprise_id: Option<String>,
    pub region_code: String,
    pub active: bool,
    pub created_ms: i64,
    pub last_seen_ms: Option<i64>,
}

impl From<yingji_store::monitoring::gateways::Gateway> for Gateway {
    fn from(v: yingji_store::monitoring::gateways::Gateway) -> Self {
        Self {
            id: v.id,
            code: v.code,
            name: v.name,
            enterprise_id: v.enterprise_id,
            region_code: v.region_code,
            active: v.active,
            created_ms: v.created_ms,
            last_seen_ms: v.last_seen_ms,
        }
    }
}
