//! CAP and the warning's own terms: the GeoJSON areas drawn in the console checked as CAP
//! polygons are, and a CAP message read by `yingji_cap` turned into the plain values of a
//! warning taken in (`Incoming`), so that the store records strings and numbers, never CAP.

use crate::kernel::geo::{self, Ring};
use yingji_cap::{Alert, CapError, Point, check_ring};

/// Polygon points accepted from the console or a CAP message.
pub const MAX_POINTS: usize = 10_000;

/// GeoJSON Polygon/MultiPolygon (lon, lat) with its holes, every ring checked as CAP polygons
/// are: closed, ≥ 4 points, in range, not crossing itself, at most MAX_POINTS; coordinates the
/// wrong way round are named. A polygon's holes must lie inside its outer ring, apart from one
/// another (`geo::check_holes`); the polygons of a MultiPolygon are a union.
pub fn polygons_of_geojson(v: &serde_json::Value) -> Result<Vec<geo::Polygon>, String> {
    let polys: Vec<&serde_json::Value> = match v["type"].as_str() {
        Some("Polygon") => vec![&v["coordinates"]],
        Some("MultiPolygon") => v["coordinates"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        _ => return Err("区域应为 GeoJSON Polygon 或 MultiPolygon".into()),
    };
    let mut out = Vec::new();
    for (i, p) in polys.iter().enumerate() {
        let Some(rings) = p
            .as_array()
            .filter(|a| a.first().is_some_and(|r| r.is_array()))
        else {
            return Err(format!("第{}个多边形没有坐标", i + 1));
        };
        let mut polygon: geo::Polygon = Vec::with_capacity(rings.len());
        for (k, r) in rings.iter().enumerate() {
            // The outer ring is named by its polygon alone, as before holes were kept.
            let which = if k == 0 {
                format!("第{}个多边形", i + 1)
            } else {
                format!("第{}个多边形的第{k}个内环（洞）", i + 1)
            };
            let Some(coords) = r.as_array() else {
                return Err(format!("{which}没有坐标"));
            };
            let mut ring: Ring = Vec::with_capacity(coords.len());
            for c in coords {
                let (Some(lon), Some(lat)) = (
                    c.get(0).and_then(|x| x.as_f64()),
                    c.get(1).and_then(|x| x.as_f64()),
                ) else {
                    return Err(format!("{which}的坐标应为 [经度, 纬度] 数值"));
                };
                if (3.0..=54.0).contains(&lon) && (73.0..=136.0).contains(&lat) {
                    return Err(format!(
                        "坐标 [{lon}, {lat}] 的经纬度可能颠倒：GeoJSON 顺序为 [经度, 纬度]"
                    ));
                }
                if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                    return Err(format!("坐标 [{lon}, {lat}] 超出经纬度范围"));
                }
                ring.push([lon, lat]);
            }
            let points: Vec<Point> = ring
                .iter()
                .map(|c| Point {
                    lat: c[1],
                    lon: c[0],
                })
                .collect();
            check_ring(&points, MAX_POINTS).map_err(|(_, m)| format!("{which}：{m}"))?;
            polygon.push(ring);
        }
        geo::check_holes(&polygon).map_err(|m| format!("第{}个多边形：{m}", i + 1))?;
        out.push(polygon);
    }
    if out.is_empty() {
        return Err("区域不能为空".into());
    }
    Ok(out)
}

/// A CAP circle as a 32-sided ring (lon, lat), closed.
pub fn circle_ring(c: Point, radius_km: f64) -> Ring {
    let dlat = radius_km / 111.195;
    let dlon = dlat / c.lat.to_radians().cos().max(0.01);
    let mut ring: Ring = (0..32)
        .map(|i| {
            let a = i as f64 / 32.0 * std::f64::consts::TAU;
            [c.lon + dlon * a.cos(), c.lat + dlat * a.sin()]
        })
        .collect();
    if let Some(f) = ring.first().copied() {
        ring.push(f);
    }
    ring
}

/// A CAP message taken in, as the plain values its warning row is written from.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub identifier: String,
    pub sender: String,
    pub sent_ms: i64,
    /// Alert / Update / Cancel
    pub msg_type: String,
    /// CAP status: Actual, Exercise, Test …
    pub cap_status: String,
    pub event_code: String,
    /// The event as the message named it.
    pub event_text: String,
    pub level: i64,
    pub headline: String,
    pub description: String,
    pub instruction: String,
    pub sender_name: String,
    pub area_desc: String,
    /// Every <polygon> (one ring each) and circle of every <area>; the boundaries of regions
    /// we know are added by the use case.
    pub polygons: Vec<geo::Polygon>,
    /// The geocodes that look like GB/T 2260 codes (6 to 12 digits).
    pub region_codes: Vec<String>,
    pub effective_ms: i64,
    pub expires_ms: i64,
    /// The message as written back by `yingji_cap::write`.
    pub cap_xml: String,
    /// (sender, identifier) of the messages it updates or cancels.
    pub references: Vec<(String, String)>,
}

/// A message without <info> cannot be taken in: nothing says its event, level or area.
pub fn info_required() -> Vec<CapError> {
    vec![CapError {
        code: "INFO_IS_REQUIRED",
        path: "alert/info".into(),
        message: "消息没有 <info>：无法知道预警的事件、级别和区域".into(),
    }]
}

/// The plain values of a message read by `yingji_cap` (its first <info> says event, level and
/// texts); `info_required` when it has none.
pub fn incoming_of(alert: &Alert) -> Result<Incoming, Vec<CapError>> {
    let Some(info) = alert.infos.first() else {
        return Err(info_required());
    };
    let coded: Vec<(&str, &str)> = info
        .event_codes
        .iter()
        .chain(info.parameters.iter())
        .map(|nv| (nv.name.as_str(), nv.value.as_str()))
        .collect();
    let level = super::level_of(&info.severity, &coded);
    let event_code = super::event_of(&format!(
        "{} {}",
        info.event,
        info.headline.clone().unwrap_or_default()
    ));
    let (polygons, region_codes) = areas_of(alert);
    let effective = info
        .effective
        .as_ref()
        .map(|d| d.epoch_ms)
        .unwrap_or(alert.sent.epoch_ms);
    let expires = info
        .expires
        .as_ref()
        .map(|d| d.epoch_ms)
        .unwrap_or(effective + 24 * 3_600_000);
    Ok(Incoming {
        identifier: alert.identifier.clone(),
        sender: alert.sender.clone(),
        sent_ms: alert.sent.epoch_ms,
        msg_type: alert.msg_type.clone(),
        cap_status: alert.status.clone(),
        event_code: event_code.into(),
        event_text: info.event.clone(),
        level,
        headline: info.headline.clone().unwrap_or_else(|| info.event.clone()),
        description: info.description.clone().unwrap_or_default(),
        instruction: info.instruction.clone().unwrap_or_default(),
        sender_name: info
            .sender_name
            .clone()
            .unwrap_or_else(|| alert.sender.clone()),
        area_desc: info
            .areas
            .iter()
            .map(|a| a.desc.clone())
            .collect::<Vec<_>>()
            .join("；")
            .chars()
            .take(500)
            .collect(),
        polygons,
        region_codes,
        effective_ms: effective,
        expires_ms: expires,
        cap_xml: yingji_cap::write(alert),
        references: alert
            .references
            .iter()
            .map(|r| (r.sender.clone(), r.identifier.clone()))
            .collect(),
    })
}

/// Every <polygon> (one ring each) and circle of every <area> is a polygon of the union; the
/// geocodes of 6 to 12 digits are region codes.
fn areas_of(alert: &Alert) -> (Vec<geo::Polygon>, Vec<String>) {
    let mut polygons: Vec<geo::Polygon> = Vec::new();
    let mut region_codes = Vec::new();
    for area in alert.infos.iter().flat_map(|i| i.areas.iter()) {
        polygons.extend(area.polygons.iter().map(|p| vec![p.lon_lat()]));
        // A circle of no radius encloses nothing to target.
        polygons.extend(
            area.circles
                .iter()
                .filter(|c| c.radius_km > 0.0)
                .map(|c| vec![circle_ring(c.centre, c.radius_km)]),
        );
        for g in &area.geocodes {
            if g.value.len() >= 6
                && g.value.len() <= 12
                && g.value.bytes().all(|b| b.is_ascii_digit())
            {
                region_codes.push(g.value.clone());
            }
        }
    }
    (polygons, region_codes)
}
