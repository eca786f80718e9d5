//! API types of 森林防火: response shapes with their OpenAPI schemas, converted from the store's
//! rows (ADR 0021). Request shapes are the core's checked inputs.

use serde::Serialize;
use yingji_core::disasters::fire_use::{Status, purpose_label};
use yingji_core::disasters::forest::{hectares, level_colour, level_label};
use yingji_core::disasters::forest_patrols::{result_label, size_label};
use yingji_core::kernel::geo;
use yingji_store::disasters::{fire_use, forest, forest_patrols};

/// A day's level as shown: 四级（高火险）, orange.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ForestDayLevel)]
pub struct DayLevel {
    pub day: String,
    pub level: u8,
    pub level_label: String,
    pub colour: String,
    /// manual (entered) or cap (from a CAP warning).
    pub source: String,
    pub note: Option<String>,
    /// Whether the level stops field fire use under the district's configuration.
    pub stops_fire_use: bool,
}

impl DayLevel {
    pub fn new(l: forest::DayLevel, stop_level: u8) -> Self {
        Self {
            level_label: level_label(l.level),
            colour: level_colour(l.level).into(),
            stops_fire_use: l.level >= stop_level,
            day: l.day,
            level: l.level,
            source: l.source,
            note: l.note,
        }
    }
}

/// A forest area (林区), its hectares exact.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ForestArea)]
pub struct Area {
    pub id: String,
    pub name: String,
    pub street_code: String,
    pub street_name: String,
    /// GeoJSON MultiPolygon.
    #[schema(value_type = Object)]
    pub outline: serde_json::Value,
    /// 林区面积 (公顷), exact.
    pub area_ha: String,
    /// 火险感知覆盖面积 (公顷), exact.
    pub covered_ha: String,
    pub updated_ms: i64,
}

impl From<forest::Area> for Area {
    fn from(a: forest::Area) -> Self {
        Self {
            outline: geo::polygons_to_geometry(&geo::stored_polygons(&a.outline)),
            area_ha: hectares(a.area_m2),
            covered_ha: hectares(a.covered_m2),
            id: a.id,
            name: a.name,
            street_code: a.street_code,
            street_name: a.street_name,
            updated_ms: a.updated_ms,
        }
    }
}

/// The forest areas with today's level of the district.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ForestAreas)]
pub struct Areas {
    pub items: Vec<Area>,
    pub total: i64,
    pub today: String,
    pub today_level: Option<DayLevel>,
}

/// A forest area for the public form.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = PublicForestArea)]
pub struct PublicArea {
    pub id: String,
    pub name: String,
    pub street_name: String,
}

/// 野外用火 application as the console shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = FireUseApplication)]
pub struct Application {
    pub id: String,
    pub code: String,
    pub area_id: Option<String>,
    pub area_name: Option<String>,
    pub street_code: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub place: String,
    pub applicant_name: String,
    pub applicant_phone: String,
    pub day_from: String,
    pub day_to: String,
    pub purpose: String,
    pub purpose_label: String,
    pub measures: String,
    pub status: Status,
    pub status_label: String,
    pub reason: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_ms: Option<i64>,
    pub suspended_day: Option<String>,
    pub created_ms: i64,
}

impl From<fire_use::Application> for Application {
    fn from(a: fire_use::Application) -> Self {
        Self {
            purpose_label: purpose_label(&a.purpose).into(),
            status_label: a.status.label().into(),
            id: a.id,
            code: a.code,
            area_id: a.area_id,
            area_name: a.area_name,
            street_code: a.street_code,
            lon: a.lon,
            lat: a.lat,
            place: a.place,
            applicant_name: a.applicant_name,
            applicant_phone: a.applicant_phone,
            day_from: a.day_from,
            day_to: a.day_to,
            purpose: a.purpose,
            measures: a.measures,
            status: a.status,
            reason: a.reason,
            decided_by_name: a.decided_by_name,
            decided_ms: a.decided_ms,
            suspended_day: a.suspended_day,
            created_ms: a.created_ms,
        }
    }
}

/// One step of an application.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = FireUseStep)]
pub struct Step {
    pub status: Status,
    pub label: String,
    pub at_ms: i64,
    pub note: Option<String>,
}

pub fn steps(v: Vec<(Status, i64, Option<String>)>) -> Vec<Step> {
    v.into_iter()
        .map(|(status, at_ms, note)| Step {
            label: status.label().into(),
            status,
            at_ms,
            note,
        })
        .collect()
}

/// A text message to the applicant.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = FireUseDelivery)]
pub struct Delivery {
    pub event: String,
    pub recipient: String,
    pub kind_label: String,
    pub status_label: String,
    pub created_ms: i64,
}

/// An application with its steps and the texts sent.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = FireUseDetail)]
pub struct ApplicationDetail {
    #[serde(flatten)]
    pub application: Application,
    pub steps: Vec<Step>,
    pub deliveries: Vec<Delivery>,
    pub may_decide: bool,
}

impl From<yingji_app::disasters::fire_use::Detail> for ApplicationDetail {
    fn from(d: yingji_app::disasters::fire_use::Detail) -> Self {
        Self {
            application: d.application.into(),
            steps: steps(d.steps),
            deliveries: d
                .deliveries
                .into_iter()
                .map(|x| Delivery {
                    event: x.event,
                    recipient: x.recipient,
                    kind_label: x.kind_label,
                    status_label: x.status_label,
                    created_ms: x.created_ms,
                })
                .collect(),
            may_decide: d.may_decide,
        }
    }
}

/// What the public form answers.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = FireUseReceipt)]
pub struct Receipt {
    pub code: String,
    /// Keep this to follow the application at /public/fire-use.
    pub tracking_code: String,
}

/// The public tracking page: no staff names, no phone.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = FireUseTracking)]
pub struct Tracking {
    pub code: String,
    pub status: Status,
    pub status_label: String,
    pub day_from: String,
    pub day_to: String,
    pub purpose_label: String,
    pub area_name: Option<String>,
    pub reason: Option<String>,
    pub suspended_day: Option<String>,
    pub steps: Vec<Step>,
}

impl From<fire_use::Tracking> for Tracking {
    fn from(t: fire_use::Tracking) -> Self {
        Self {
            status_label: t.status.label().into(),
            purpose_label: purpose_label(&t.purpose).into(),
            code: t.code,
            status: t.status,
            day_from: t.day_from,
            day_to: t.day_to,
            area_name: t.area_name,
            reason: t.reason,
            suspended_day: t.suspended_day,
            steps: steps(t.steps),
        }
    }
}

/// A 护林员 patrol.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ForestPatrol)]
pub struct Patrol {
    pub id: String,
    pub area_id: String,
    pub area_name: String,
    pub ranger_name: String,
    pub started_ms: i64,
    pub ended_ms: i64,
    /// [lon, lat] points.
    pub track: Vec<[f64; 2]>,
    pub result: String,
    pub result_label: String,
    pub note: Option<String>,
    pub photo_ids: Vec<String>,
}

impl From<forest_patrols::Patrol> for Patrol {
    fn from(p: forest_patrols::Patrol) -> Self {
        Self {
            track: serde_json::from_str(&p.track).unwrap_or_default(),
            result_label: result_label(&p.result).into(),
            id: p.id,
            area_id: p.area_id,
            area_name: p.area_name,
            ranger_name: p.ranger_name,
            started_ms: p.started_ms,
            ended_ms: p.ended_ms,
            result: p.result,
            note: p.note,
            photo_ids: p.photo_ids,
        }
    }
}

/// A 火点.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ForestFirePoint)]
pub struct FirePoint {
    pub id: String,
    pub area_id: Option<String>,
    pub area_name: Option<String>,
    pub lon: f64,
    pub lat: f64,
    pub size: String,
    pub size_label: String,
    pub note: Option<String>,
    pub photo_ids: Vec<String>,
    pub reporter_name: String,
    pub reported_ms: i64,
    pub status: String,
    pub status_label: String,
    /// The incident (森林火灾) it became.
    pub incident_id: Option<String>,
    /// 过火林地面积 (公顷), exact.
    pub burnt_ha: String,
    pub decided_by_name: Option<String>,
}

impl From<forest_patrols::FirePoint> for FirePoint {
    fn from(p: forest_patrols::FirePoint) -> Self {
        Self {
            size_label: size_label(&p.size).into(),
            status: p.status.code().into(),
            status_label: p.status.label().into(),
            burnt_ha: hectares(p.burnt_m2),
            id: p.id,
            area_id: p.area_id,
            area_name: p.area_name,
            lon: p.lon,
            lat: p.lat,
            size: p.size,
            note: p.note,
            photo_ids: p.photo_ids,
            reporter_name: p.reporter_name,
            reported_ms: p.reported_ms,
            incident_id: p.incident_id,
            decided_by_name: p.decided_by_name,
        }
    }
}
