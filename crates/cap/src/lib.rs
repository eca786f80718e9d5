//! OASIS CAP 1.2 (Common Alerting Protocol), as yingji takes warnings in and gives them out.
//!
//! - [`read`] parses a message into an [`Alert`], refusing any DTD (so no entity, internal or
//!   external, is ever expanded and nothing is fetched), and checks the rules of the schema and of
//!   the specification that the schema cannot express (docs/cap.md lists them). Every problem is a
//!   [`CapError`] with a stable code, the element's path and a Chinese message.
//! - [`write`] produces CAP 1.2 XML that validates against the OASIS schema.
//! - [`identifier`] builds GB/T 35965.1 identifiers; [`atom`] the feed of published alerts.
//!
//! Coordinates: CAP writes `lat,lon`; this crate keeps that order in [`Point`] (`lat`, `lon`
//! fields) and converts to GeoJSON order only in [`Polygon::lon_lat`].

pub mod atom;
pub mod identifier;
mod read;
mod write;

pub use read::{ReadOptions, check_ring, read, read_with};
pub use write::write;

use serde::Serialize;

pub const NS_12: &str = "urn:oasis:names:tc:emergency:cap:1.2";
pub const NS_11: &str = "urn:oasis:names:tc:emergency:cap:1.1";

/// A problem found in a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CapError {
    /// Stable code, after google/cap-library's where one exists (MISSING_REQUIRED_ELEMENT …).
    pub code: &'static str,
    /// Where: `alert/info[0]/area[1]/polygon[0]`.
    pub path: String,
    /// For the user, in Chinese.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub enum Version {
    #[serde(rename = "1.1")]
    V11,
    #[serde(rename = "1.2")]
    V12,
}

/// A CAP date-time: the text as sent (`2026-07-01T10:00:00+08:00`) and the instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DateTime {
    pub text: String,
    pub epoch_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Alert {
    pub version: Version,
    pub identifier: String,
    pub sender: String,
    pub sent: DateTime,
    pub status: String,
    pub msg_type: String,
    pub source: Option<String>,
    pub scope: String,
    pub restriction: Option<String>,
    pub addresses: Option<String>,
    pub codes: Vec<String>,
    pub note: Option<String>,
    pub references: Vec<Reference>,
    pub incidents: Option<String>,
    pub infos: Vec<Info>,
}

/// `sender,identifier,sent` of an earlier message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Reference {
    pub sender: String,
    pub identifier: String,
    pub sent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NameValue {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Info {
    pub language: Option<String>,
    pub categories: Vec<String>,
    pub event: String,
    pub response_types: Vec<String>,
    pub urgency: String,
    pub severity: String,
    pub certainty: String,
    pub audience: Option<String>,
    pub event_codes: Vec<NameValue>,
    pub effective: Option<DateTime>,
    pub onset: Option<DateTime>,
    pub expires: Option<DateTime>,
    pub sender_name: Option<String>,
    pub headline: Option<String>,
    pub description: Option<String>,
    pub instruction: Option<String>,
    pub web: Option<String>,
    pub contact: Option<String>,
    pub parameters: Vec<NameValue>,
    pub resources: Vec<Resource>,
    pub areas: Vec<Area>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Resource {
    pub desc: String,
    pub mime_type: String,
    pub size: Option<i64>,
    pub uri: Option<String>,
    pub deref_uri: Option<String>,
    pub digest: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

/// A closed ring of at least four points, the first equal to the last.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Polygon {
    pub points: Vec<Point>,
}

impl Polygon {
    /// GeoJSON order: `[lon, lat]`.
    pub fn lon_lat(&self) -> Vec<[f64; 2]> {
        self.points.iter().map(|p| [p.lon, p.lat]).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Circle {
    pub centre: Point,
    pub radius_km: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Area {
    pub desc: String,
    pub polygons: Vec<Polygon>,
    pub circles: Vec<Circle>,
    pub geocodes: Vec<NameValue>,
    pub altitude: Option<f64>,
    pub ceiling: Option<f64>,
}

pub const STATUSES: [&str; 5] = ["Actual", "Exercise", "System", "Test", "Draft"];
pub const MSG_TYPES: [&str; 5] = ["Alert", "Update", "Cancel", "Ack", "Error"];
pub const SCOPES: [&str; 3] = ["Public", "Restricted", "Private"];
pub const CATEGORIES: [&str; 12] = [
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
];
pub const RESPONSE_TYPES: [&str; 9] = [
    "Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None",
];
pub const URGENCIES: [&str; 5] = ["Immediate", "Expected", "Future", "Past", "Unknown"];
pub const SEVERITIES: [&str; 5] = ["Extreme", "Severe", "Moderate", "Minor", "Unknown"];
pub const CERTAINTIES: [&str; 5] = ["Observed", "Likely", "Possible", "Unlikely", "Unknown"];

#[cfg(test)]
mod conformance;

/// For `yingji bench-cap`'s baseline: the XML events of a message counted without building or
/// checking anything (what the parser alone costs).
pub fn scan_events(xml: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut n = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) | Err(_) => return n,
            Ok(_) => n += 1,
        }
    }
}
