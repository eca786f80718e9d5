//! API types of monitoring::channels: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};
use yingji_core::kernel::notify::ChannelKind;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelInput {
    pub name: String,
    /// wecom | dingtalk | webhook | email | sms
    pub kind: String,
    /// Robot or webhook URL; email addresses or mobile numbers, comma separated. Answers show
    /// a URL's query values masked; sending the masked URL back on update keeps the stored one.
    pub endpoint: String,
    /// 钉钉 加签 secret or the webhook's HMAC key. On update, absent keeps the old one and ""
    /// removes it.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    #[serde(default)]
    pub department_id: Option<String>,
    /// The street or district whose duty group this is.
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

impl From<ChannelInput> for yingji_store::monitoring::channels::ChannelInput {
    fn from(v: ChannelInput) -> Self {
        Self {
            name: v.name,
            kind: v.kind,
            endpoint: v.endpoint,
            secret: v.secret,
            enterprise_id: v.enterprise_id,
            department_id: v.department_id,
            region_code: v.region_code,
            active: v.active,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Channel {
    pub id: String,
    pub name: String,
    pub kind: ChannelKind,
    pub kind_label: String,
    pub endpoint: String,
    /// The secret itself is never shown again.
    pub has_secret: bool,
    pub enterprise_id: Option<String>,
    pub department_id: Option<String>,
    pub region_code: String,
    /// 企业 / 部门 / 街道 / 区县 …: whom the channel speaks for.
    pub audience_label: String,
    pub active: bool,
    pub created_ms: i64,
}

impl From<yingji_store::monitoring::channels::Channel> for Channel {
    fn from(v: yingji_store::monitoring::channels::Channel) -> Self {
        Self {
            id: v.id,
            name: v.name,
            kind: v.kind,
            kind_label: v.kind_label,
            endpoint: v.endpoint,
            has_secret: v.has_secret,
            enterprise_id: v.enterprise_id,
            department_id: v.department_id,
            region_code: v.region_code,
            audience_label: v.audience_label,
            active: v.active,
            created_ms: v.created_ms,
        }
    }
}

fn yes() -> bool {
    true
}
