//! API types of warning::targeting: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use crate::error::{ApiError, ApiResult};
use crate::routes::kernel::api::datum;
use serde::{Deserialize, Serialize};
use yingji_core::warning::target::Effectiveness;

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Targeted {
    pub created: usize,
    pub kept: usize,
    pub released: usize,
    pub closed: usize,
}

impl From<yingji_store::warning::targeting::Targeted> for Targeted {
    fn from(v: yingji_store::warning::targeting::Targeted) -> Self {
        Self {
            created: v.created,
            kept: v.kept,
            released: v.released,
            closed: v.closed,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectInput {
    /// dangerous_house / geohazard / waterlogging / school … (GET /api/v1/protected-objects/meta)
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// A point; may be left out when `outline` is given (a point inside it is taken).
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// The datum of `lon`/`lat` and of `outline`: `cgcs2000` (the default; `wgs84` is the same)
    /// or `gcj02` (高德, 腾讯 and the phones' map apps), converted to CGCS2000 before it is stored.
    #[serde(default)]
    pub datum: Option<String>,
    /// For an object that is an area (a slope, a site): a GeoJSON Polygon or MultiPolygon
    /// (lon, lat); a warning whose area touches it targets it.
    #[serde(default)]
    pub outline: Option<serde_json::Value>,
    /// The grid (or community) it lies in.
    pub region_code: String,
    /// The responsible person's account, if they have one (they answer on the phone page).
    #[serde(default)]
    pub responsible_user_id: Option<String>,
    pub responsible_name: String,
    pub responsible_phone: String,
    /// grid_worker / community_cadre / street_cadre / unit_head / enterprise_safety / guardian /
    /// other; defaults by the object's kind.
    #[serde(default)]
    pub responsible_type: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl TryFrom<ObjectInput> for yingji_store::warning::targeting::ObjectInput {
    type Error = ApiError;

    fn try_from(v: ObjectInput) -> ApiResult<Self> {
        let d = datum::parse(v.datum.as_deref())?;
        let (lon, lat) = d.optional_to_cgcs2000(v.lon, v.lat);
        let outline = v.outline.map(|mut g| {
            d.geometry_to_cgcs2000(&mut g);
            g
        });
        Ok(Self {
            kind: v.kind,
            name: v.name,
            address: v.address,
            lon,
            lat,
            outline,
            region_code: v.region_code,
            responsible_user_id: v.responsible_user_id,
            responsible_name: v.responsible_name,
            responsible_phone: v.responsible_phone,
            responsible_type: v.responsible_type,
            note: v.note,
        })
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProtectedObject {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    /// Masked for a 特殊群体 unless the caller is their grid worker or an administrator.
    pub name: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub outline: Option<serde_json::Value>,
    pub region_code: String,
    pub responsible_user_id: Option<String>,
    pub responsible_name: String,
    pub responsible_phone: String,
    pub responsible_type: String,
    pub responsible_type_label: String,
    pub personal: bool,
    pub masked: bool,
    /// False once deactivated (停用): kept, but no longer targeted by warnings.
    pub active: bool,
}

impl From<yingji_store::warning::targeting::ProtectedObject> for ProtectedObject {
    fn from(v: yingji_store::warning::targeting::ProtectedObject) -> Self {
        Self {
            id: v.id,
            kind: v.kind,
            kind_label: v.kind_label,
            name: v.name,
            address: v.address,
            lon: v.lon,
            lat: v.lat,
            outline: v.outline,
            region_code: v.region_code,
            responsible_user_id: v.responsible_user_id,
            responsible_name: v.responsible_name,
            responsible_phone: v.responsible_phone,
            responsible_type: v.responsible_type,
            responsible_type_label: v.responsible_type_label,
            personal: v.personal,
            masked: v.masked,
            active: v.active,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkOrder {
    pub id: String,
    pub warning_id: String,
    pub headline: String,
    pub level: i64,
    pub object: ProtectedObject,
    /// open / acknowledged / reported / released / closed
    pub status: String,
    pub status_label: String,
    pub actions: Vec<String>,
    pub due_ms: i64,
    /// 0 none, 1 community/grid supervisor, 2 street.
    pub escalation: i64,
    pub acknowledged_ms: Option<i64>,
    pub acknowledged_by: Option<String>,
    pub on_time: Option<bool>,
    pub overdue: bool,
    pub relocated: i64,
    pub report: Option<serde_json::Value>,
}

impl From<yingji_store::warning::targeting::WorkOrder> for WorkOrder {
    fn from(v: yingji_store::warning::targeting::WorkOrder) -> Self {
        Self {
            id: v.id,
            warning_id: v.warning_id,
            headline: v.headline,
            level: v.level,
            object: v.object.into(),
            status: v.status,
            status_label: v.status_label,
            actions: v.actions,
            due_ms: v.due_ms,
            escalation: v.escalation,
            acknowledged_ms: v.acknowledged_ms,
            acknowledged_by: v.acknowledged_by,
            on_time: v.on_time,
            overdue: v.overdue,
            relocated: v.relocated,
            report: v.report,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderAnswer {
    /// acknowledge (叫应：收到) / report (反馈)
    pub action: String,
    /// 到岗.
    #[serde(default)]
    pub arrived: bool,
    /// 已巡查.
    #[serde(default)]
    pub patrolled: bool,
    /// 已转移人数.
    #[serde(default)]
    pub relocated: i64,
    #[serde(default)]
    pub note: Option<String>,
    /// Photos (attachment ids).
    #[serde(default)]
    pub attachments: Vec<String>,
}

impl From<OrderAnswer> for yingji_store::warning::targeting::OrderAnswer {
    fn from(v: OrderAnswer) -> Self {
        Self {
            action: v.action,
            arrived: v.arrived,
            patrolled: v.patrolled,
            relocated: v.relocated,
            note: v.note,
            attachments: v.attachments,
        }
    }
}

/// 叫应 figures of one group of orders: a street, a person type, an object kind.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Group {
    pub code: String,
    pub name: String,
    pub relocated: i64,
    #[serde(flatten)]
    pub figures: Effectiveness,
}

impl From<yingji_store::warning::targeting::Group> for Group {
    fn from(v: yingji_store::warning::targeting::Group) -> Self {
        Self {
            code: v.code,
            name: v.name,
            relocated: v.relocated,
            figures: v.figures,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
#[schema(as = TargetingResponse)]
pub struct Response {
    /// Warning chains the figures cover (1 for one warning).
    pub warnings: i64,
    /// Orders still concerning an object (not released by an update).
    pub targeted: i64,
    pub released: i64,
    pub relocated: i64,
    /// on_time / late / never / waiting, 叫应率 and acknowledgement times over all orders.
    #[serde(flatten)]
    pub figures: Effectiveness,
    pub by_street: Vec<Group>,
    pub by_person_type: Vec<Group>,
    pub by_kind: Vec<Group>,
}

impl From<yingji_store::warning::targeting::Response> for Response {
    fn from(v: yingji_store::warning::targeting::Response) -> Self {
        Self {
            warnings: v.warnings,
            targeted: v.targeted,
            released: v.released,
            relocated: v.relocated,
            figures: v.figures,
            by_street: v.by_street.into_iter().map(Into::into).collect(),
            by_person_type: v.by_person_type.into_iter().map(Into::into).collect(),
            by_kind: v.by_kind.into_iter().map(Into::into).collect(),
        }
    }
}
