//! A census GeoJSON (a FeatureCollection) read feature by feature: each feature is handed on as
//! it is read, so the collection is never held whole. A Point gives its point; a LineString its
//! first point; a Polygon the mean of its outer ring's vertices (and is kept as the outline); the
//! Multi- forms their first part.

use super::census::{MAX_ROWS, RawRow, too_many_rows};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

#[derive(Deserialize)]
struct Feature {
    #[serde(default)]
    properties: Option<Map<String, Value>>,
    #[serde(default)]
    geometry: Option<Value>,
}

/// Reads a FeatureCollection and hands each feature (numbered from 1) to `each`, which answers
/// whether to go on. Answers the number of features read, or why the file is not one.
pub fn read_geojson(bytes: &[u8], each: &mut dyn FnMut(RawRow) -> bool) -> Result<usize, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let n = Collection { each }
        .deserialize(&mut de)
        .map_err(|e| format!("文件不是有效的GeoJSON：{e}"))?;
    de.end()
        .map_err(|e| format!("文件不是有效的GeoJSON：{e}"))?;
    Ok(n)
}

struct Collection<'a> {
    each: &'a mut dyn FnMut(RawRow) -> bool,
}

impl<'de> DeserializeSeed<'de> for Collection<'_> {
    type Value = usize;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Collection<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON FeatureCollection")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let mut n = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => {
                    let t: String = map.next_value()?;
                    if t != "FeatureCollection" {
                        return Err(de::Error::custom(format!(
                            "type应为FeatureCollection，而不是“{t}”"
                        )));
                    }
                }
                "features" => {
                    n = Some(map.next_value_seed(Features { each: self.each })?);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        n.ok_or_else(|| de::Error::custom("缺少features"))
    }
}

struct Features<'a> {
    each: &'a mut dyn FnMut(RawRow) -> bool,
}

impl<'de> DeserializeSeed<'de> for Features<'_> {
    type Value = usize;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Features<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        let mut going = true;
        while let Some(f) = seq.next_element::<Feature>()? {
            n += 1;
            if n > MAX_ROWS {
                return Err(de::Error::custom(too_many_rows()));
            }
            if going {
                going = (self.each)(raw_row(n, f));
            }
        }
        Ok(n)
    }
}

fn raw_row(row: usize, f: Feature) -> RawRow {
    let mut raw = RawRow {
        row,
        props: f.properties.unwrap_or_default().into_iter().collect(),
        ..RawRow::default()
    };
    if let Some(g) = f.geometry.filter(|g| !g.is_null()) {
        match point_of(&g) {
            Ok(p) => {
                raw.point = Some(p);
                if matches!(g["type"].as_str(), Some("Polygon" | "MultiPolygon")) {
                    raw.outline = Some(g);
                }
            }
            Err(m) => raw.geometry_error = Some(m),
        }
    }
    raw
}

fn pair(v: &Value) -> Option<[f64; 2]> {
    let x = v.get(0)?.as_f64()?;
    let y = v.get(1)?.as_f64()?;
    Some([x, y])
}

/// The mean of a ring's vertices (the closing one left out).
fn ring_mean(ring: &Value) -> Option<[f64; 2]> {
    let pts: Vec<[f64; 2]> = ring.as_array()?.iter().filter_map(pair).collect();
    let n = if pts.len() > 1 && pts.first() == pts.last() {
        pts.len() - 1
    } else {
        pts.len()
    };
    if n == 0 {
        return None;
    }
    let (sx, sy) = pts[..n]
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p[0], b + p[1]));
    Some([sx / n as f64, sy / n as f64])
}

/// The point a geometry is placed at.
pub fn point_of(g: &Value) -> Result<[f64; 2], String> {
    let c = &g["coordinates"];
    let kind = g["type"].as_str().unwrap_or("");
    let p = match kind {
        "Point" => pair(c),
        "MultiPoint" | "LineString" => c.get(0).and_then(pair),
        "MultiLineString" => c.get(0).and_then(|l| l.get(0)).and_then(pair),
        "Polygon" => c.get(0).and_then(ring_mean),
        "MultiPolygon" => c.get(0).and_then(|p| p.get(0)).and_then(ring_mean),
        _ => {
            return Err(format!(
                "几何类型“{}”不支持（应为点、线或面）",
                crate::directory::import::excerpt(kind)
            ));
        }
    };
    p.ok_or_else(|| "几何的坐标无法读取".to_string())
}
