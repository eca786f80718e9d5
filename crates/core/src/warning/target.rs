//! 靶向预警: which protected objects (承灾体) a warning concerns, what their responsible persons
//! must do, and by when they must answer (叫应). The tables are a district rule (`warning` in
//! `DistrictRules`), versioned with the others; these defaults follow seed 002's practice.

use crate::kernel::geo::{BBox, Polygon, Ring};
use crate::kernel::validation::{Errors, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const OBJECT_KINDS: &[(&str, &str)] = &[
    ("dangerous_house", "危房"),
    ("geohazard", "地灾隐患点"),
    ("waterlogging", "易涝点"),
    ("school", "学校"),
    ("nursing_home", "养老院"),
    ("hospital", "医院"),
    ("construction", "在建工地"),
    ("deep_pit", "深基坑"),
    ("tower_crane", "塔吊"),
    ("billboard", "户外广告牌"),
    ("crowded_place", "人员密集场所"),
    ("hazchem_enterprise", "重大危险源企业"),
    ("outdoor_work", "户外作业点"),
    ("special_person", "特殊群体"),
];

pub fn kind_label(code: &str) -> &'static str {
    OBJECT_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// One row of the action table: for an event (or `*`), at levels up to `max_level` (1 = 红 only,
/// 4 = every level), an object kind (or `*`) is given these actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRule {
    pub event: String,
    pub kind: String,
    pub max_level: i64,
    pub actions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TargetingConfig {
    /// Event type → the object kinds it concerns.
    pub susceptibility: BTreeMap<String, Vec<String>>,
    /// Rules in order; an object gets the actions of every rule that matches.
    pub actions: Vec<ActionRule>,
    /// Minutes to acknowledge, by level 1–4.
    pub ack_minutes: [i64; 4],
    /// Minutes after the deadline at which an unacknowledged order goes to the street.
    pub street_after_minutes: i64,
    /// Who the district's published warnings say they are from.
    pub publisher: Publisher,
}

/// The issuing bureau of a district's warnings, as CAP and GB/T 35965.1 name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Publisher {
    /// 发布单位 (CAP senderName and the default headline); empty: the district's name + 应急管理局.
    pub name: String,
    /// CAP `sender`; empty: `yjj.{district}@yingji`.
    pub sender: String,
    /// GB/T 35965.1 identifier parts: DDD organisation code (GB/T 4657) and UUU unit code.
    pub organisation_code: String,
    pub unit_code: String,
}

impl Default for Publisher {
    fn default() -> Self {
        Self {
            name: String::new(),
            sender: String::new(),
            organisation_code: "000".into(),
            unit_code: "000".into(),
        }
    }
}

impl Publisher {
    pub fn name_for(&self, district_name: &str) -> String {
        if self.name.trim().is_empty() {
            format!("{district_name}应急管理局")
        } else {
            self.name.trim().to_string()
        }
    }

    pub fn sender_for(&self, district_code: &str) -> String {
        if self.sender.trim().is_empty() {
            format!("yjj.{district_code}@yingji")
        } else {
            self.sender.trim().to_string()
        }
    }

    fn check(&self, errs: &mut Errors) {
        if self.name.chars().count() > 60 {
            errs.add("publisher.name", "发布单位名称不能超过60个字符");
        }
        // CAP: sender must not contain spaces, commas or restricted characters (< & ).
        if self.sender.len() > 200
            || self
                .sender
                .trim()
                .contains(|c: char| c.is_whitespace() || matches!(c, ',' | '<' | '&'))
        {
            errs.add(
                "publisher.sender",
                "发送者标识不能含空格、逗号、< 或 &，且不超过200个字符",
            );
        }
        for (field, v, label) in [
            (
                "publisher.organisation_code",
                &self.organisation_code,
                "机构代码",
            ),
            ("publisher.unit_code", &self.unit_code, "单位代码"),
        ] {
            if v.len() != 3 || !v.bytes().all(|b| b.is_ascii_digit()) {
                errs.add(field, format!("{label}应为 3 位数字（GB/T 35965.1）"));
            }
        }
    }
}

fn rule(event: &str, kind: &str, max_level: i64, actions: &[&str]) -> ActionRule {
    ActionRule {
        event: event.into(),
        kind: kind.into(),
        max_level,
        actions: actions.iter().map(|s| s.to_string()).collect(),
    }
}

impl Default for TargetingConfig {
    fn default() -> Self {
        let s = |event: &str, kinds: &[&str]| {
            (
                event.to_string(),
                kinds.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            )
        };
        Self {
            susceptibility: BTreeMap::from([
                s(
                    "rainstorm",
                    &[
                        "waterlogging",
                        "geohazard",
                        "dangerous_house",
                        "construction",
                        "deep_pit",
                    ],
                ),
                s(
                    "typhoon",
                    &[
                        "dangerous_house",
                        "tower_crane",
                        "billboard",
                        "construction",
                        "waterlogging",
                        "geohazard",
                    ],
                ),
                s(
                    "gale",
                    &[
                        "tower_crane",
                        "billboard",
                        "construction",
                        "dangerous_house",
                    ],
                ),
                s(
                    "heat",
                    &[
                        "outdoor_work",
                        "special_person",
                        "nursing_home",
                        "construction",
                    ],
                ),
                s(
                    "cold_wave",
                    &["special_person", "nursing_home", "dangerous_house"],
                ),
                s(
                    "snowstorm",
                    &[
                        "dangerous_house",
                        "special_person",
                        "construction",
                        "tower_crane",
                    ],
                ),
                s(
                    "thunder",
                    &[
                        "crowded_place",
                        "construction",
                        "hazchem_enterprise",
                        "tower_crane",
                    ],
                ),
                s("hail", &["construction", "crowded_place"]),
                s("fog", &["school", "crowded_place"]),
                s("icy_road", &["school", "special_person"]),
                s("flood", &["waterlogging", "geohazard", "dangerous_house"]),
                s(
                    "geological",
                    &["geohazard", "dangerous_house", "construction"],
                ),
                s("forest_fire", &["crowded_place"]),
            ]),
            actions: vec![
                rule("*", "*", 4, &["通知"]),
                rule("*", "waterlogging", 3, &["巡查", "设置警示"]),
                rule("*", "geohazard", 3, &["巡查"]),
                rule("*", "geohazard", 2, &["转移"]),
                rule("*", "dangerous_house", 3, &["巡查"]),
                rule("*", "dangerous_house", 2, &["转移"]),
                rule("*", "construction", 2, &["停工"]),
                rule("*", "deep_pit", 2, &["停工", "巡查"]),
                rule("*", "tower_crane", 3, &["停止作业", "加固"]),
                rule("*", "billboard", 2, &["加固"]),
                rule("*", "special_person", 4, &["一对一叫应"]),
                rule("*", "special_person", 2, &["上门帮扶"]),
                rule("*", "school", 2, &["停课"]),
                rule("*", "outdoor_work", 2, &["停工"]),
                rule("*", "crowded_place", 2, &["疏导", "暂停活动"]),
                rule("*", "hazchem_enterprise", 3, &["巡查", "消险"]),
            ],
            ack_minutes: [5, 15, 30, 60],
            street_after_minutes: 15,
            publisher: Publisher::default(),
        }
    }
}

impl TargetingConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = Errors::default();
        self.publisher.check(&mut errs);
        let known = |k: &str| OBJECT_KINDS.iter().any(|(c, _)| *c == k);
        for (event, kinds) in &self.susceptibility {
            if !crate::warning::EVENT_TYPES.iter().any(|(c, _)| c == event) {
                errs.add(
                    &format!("susceptibility.{event}"),
                    format!("预警类型“{event}”无效"),
                );
            }
            for k in kinds {
                if !known(k) {
                    errs.add(
                        &format!("susceptibility.{event}"),
                        format!("承灾体类型“{k}”无效"),
                    );
                }
            }
        }
        for (i, r) in self.actions.iter().enumerate() {
            if r.kind != "*" && !known(&r.kind) {
                errs.add(
                    &format!("actions[{i}].kind"),
                    format!("承灾体类型“{}”无效", r.kind),
                );
            }
            if !(1..=4).contains(&r.max_level) {
                errs.add(&format!("actions[{i}].max_level"), "级别应为 1 至 4");
            }
            if r.actions.is_empty() {
                errs.add(&format!("actions[{i}].actions"), "处置措施不能为空");
            }
        }
        for (i, m) in self.ack_minutes.iter().enumerate() {
            if !(1..=1440).contains(m) {
                errs.add(&format!("ack_minutes[{i}]"), "叫应时限应为 1 至 1440 分钟");
            }
        }
        if !(1..=1440).contains(&self.street_after_minutes) {
            errs.add(
                "street_after_minutes",
                "升级到街道的时间应为 1 至 1440 分钟",
            );
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }

    pub fn kinds_for(&self, event: &str) -> Vec<String> {
        self.susceptibility.get(event).cloned().unwrap_or_default()
    }

    /// The actions for an object of `kind` under a warning of `event` at `level`, in table order
    /// without repeats.
    pub fn actions_for(&self, event: &str, level: i64, kind: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.actions {
            if (r.event == "*" || r.event == event)
                && (r.kind == "*" || r.kind == kind)
                && level <= r.max_level
            {
                for a in &r.actions {
                    if !out.contains(a) {
                        out.push(a.clone());
                    }
                }
            }
        }
        out
    }

    pub fn ack_minutes_for(&self, level: i64) -> i64 {
        self.ack_minutes[(level.clamp(1, 4) - 1) as usize]
    }
}

/// Who answers for an object (叫应效能分析 compares them): the grid worker, a village or community
/// cadre, the street's 包保 cadre, the head of the unit (school, hospital …), the enterprise's
/// safety officer, or a guardian for a 特殊群体.
pub const PERSON_TYPES: &[(&str, &str)] = &[
    ("grid_worker", "网格员"),
    ("community_cadre", "村（社区）干部"),
    ("street_cadre", "街道包保干部"),
    ("unit_head", "单位负责人"),
    ("enterprise_safety", "企业安全负责人"),
    ("guardian", "监护人/亲属"),
    ("other", "其他"),
];

pub fn person_type_label(code: &str) -> &'static str {
    PERSON_TYPES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("其他")
}

/// The person type an object of this kind usually has, when the register does not say.
pub fn default_person_type(kind: &str) -> &'static str {
    match kind {
        "school" | "nursing_home" | "hospital" | "crowded_place" => "unit_head",
        "construction" | "deep_pit" | "tower_crane" | "hazchem_enterprise" | "outdoor_work" => {
            "enterprise_safety"
        }
        "geohazard" | "waterlogging" | "dangerous_house" => "community_cadre",
        _ => "grid_worker",
    }
}

/// One work order as 叫应效能分析 sees it.
#[derive(Debug, Clone, Copy)]
pub struct OrderOutcome {
    pub due_ms: i64,
    pub created_ms: i64,
    pub acknowledged_ms: Option<i64>,
    /// Closed (解除) or past its deadline: an order without acknowledgement then counts as never.
    pub decided: bool,
}

/// Acknowledgement figures of a group of orders (a street, a person type, a whole warning).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Effectiveness {
    pub orders: i64,
    pub on_time: i64,
    pub late: i64,
    pub never: i64,
    pub waiting: i64,
    /// On time over the decided orders (on time + late + never).
    pub ack_rate: Option<f64>,
    /// Minutes from the order to its acknowledgement: mean and median of the acknowledged.
    pub mean_ack_minutes: Option<f64>,
    pub median_ack_minutes: Option<f64>,
}

impl Effectiveness {
    pub fn of(orders: &[OrderOutcome]) -> Self {
        let mut e = Self {
            orders: orders.len() as i64,
            ..Self::default()
        };
        let mut minutes: Vec<f64> = Vec::new();
        for o in orders {
            match o.acknowledged_ms {
                Some(a) => {
                    if a <= o.due_ms {
                        e.on_time += 1;
                    } else {
                        e.late += 1;
                    }
                    minutes.push((a - o.created_ms).max(0) as f64 / 60_000.0);
                }
                None if o.decided => e.never += 1,
                None => e.waiting += 1,
            }
        }
        let decided = e.on_time + e.late + e.never;
        e.ack_rate = (decided > 0).then(|| e.on_time as f64 / decided as f64);
        if !minutes.is_empty() {
            minutes.sort_by(f64::total_cmp);
            e.mean_ack_minutes = Some(minutes.iter().sum::<f64>() / minutes.len() as f64);
            let n = minutes.len();
            e.median_ack_minutes = Some(if n % 2 == 1 {
                minutes[n / 2]
            } else {
                (minutes[n / 2 - 1] + minutes[n / 2]) / 2.0
            });
        }
        e
    }
}

/// A warning's area prepared for many point tests. Each polygon keeps its bounding box and the
/// edges of all its rings (the outer ring and its holes) bucketed into horizontal bands, so a test
/// crosses only the few edges of the point's band instead of all of them (a 2,000-vertex polygon
/// costs ~10 edge tests, not 2,000); even-odd counting over those edges leaves the holes out. A
/// point is inside the area when it is inside any polygon (polygons are a union of streets or
/// drawn shapes, and may overlap).
pub struct PreparedArea {
    polygons: Vec<PreparedPolygon>,
    /// The polygons as given (outer rings and holes), for the touch tests and the cell ranges.
    shapes: Vec<Polygon>,
    pub bbox: Option<BBox>,
}

struct PreparedPolygon {
    bbox: BBox,
    band_height: f64,
    /// Edges as (x1, y1, x2, y2), listed in every band their y-range touches.
    bands: Vec<Vec<[f64; 4]>>,
}

impl PreparedPolygon {
    /// `rings`: the outer ring, then the holes (rings of fewer than four points are left out).
    fn new(rings: &[Ring]) -> Option<Self> {
        let rings: Vec<&Ring> = rings.iter().filter(|r| r.len() >= 4).collect();
        let bbox = rings
            .iter()
            .filter_map(|r| BBox::of(std::slice::from_ref(*r)))
            .reduce(|a, b| BBox {
                min_lon: a.min_lon.min(b.min_lon),
                min_lat: a.min_lat.min(b.min_lat),
                max_lon: a.max_lon.max(b.max_lon),
                max_lat: a.max_lat.max(b.max_lat),
            })?;
        let edges: usize = rings.iter().map(|r| r.len()).sum();
        let n_bands = (edges / 4).clamp(1, 1024);
        let band_height = ((bbox.max_lat - bbox.min_lat) / n_bands as f64).max(f64::MIN_POSITIVE);
        let mut bands = vec![Vec::new(); n_bands];
        let band = |y: f64| (((y - bbox.min_lat) / band_height) as usize).min(n_bands - 1);
        for r in rings {
            for i in 0..r.len() {
                let (a, b) = (r[i], r[(i + 1) % r.len()]);
                if a == b {
                    continue;
                }
                let (lo, hi) = (band(a[1].min(b[1])), band(a[1].max(b[1])));
                for edges in &mut bands[lo..=hi] {
                    edges.push([a[0], a[1], b[0], b[1]]);
                }
            }
        }
        Some(Self {
            bbox,
            band_height,
            bands,
        })
    }

    fn contains(&self, lon: f64, lat: f64) -> bool {
        if !self.bbox.contains(lon, lat) {
            return false;
        }
        let i = (((lat - self.bbox.min_lat) / self.band_height) as usize).min(self.bands.len() - 1);
        let mut inside = false;
        for [x1, y1, x2, y2] in &self.bands[i] {
            if (*y1 > lat) != (*y2 > lat) && lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1 {
                inside = !inside;
            }
        }
        inside
    }
}

impl PreparedArea {
    /// An area of rings without holes, each ring a polygon of its own (a union).
    pub fn new(rings: &[Ring]) -> Self {
        let polygons: Vec<Polygon> = rings.iter().map(|r| vec![r.clone()]).collect();
        Self::of_polygons(&polygons)
    }

    /// An area of polygons, each its outer ring followed by its holes (`geo::Polygon`).
    pub fn of_polygons(polygons: &[Polygon]) -> Self {
        let shapes: Vec<Polygon> = polygons
            .iter()
            .filter(|p| p.first().is_some_and(|outer| outer.len() >= 4))
            .map(|p| p.iter().filter(|r| r.len() >= 4).cloned().collect())
            .collect();
        let prepared: Vec<PreparedPolygon> = shapes
            .iter()
            .filter_map(|p| PreparedPolygon::new(p))
            .collect();
        let bbox = prepared.iter().map(|p| p.bbox).reduce(|a, b| BBox {
            min_lon: a.min_lon.min(b.min_lon),
            min_lat: a.min_lat.min(b.min_lat),
            max_lon: a.max_lon.max(b.max_lon),
            max_lat: a.max_lat.max(b.max_lat),
        });
        Self {
            polygons: prepared,
            shapes,
            bbox,
        }
    }

    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        self.polygons.iter().any(|p| p.contains(lon, lat))
    }

    /// Whether an object's outline (polygons with their holes, lon/lat) shares any point with
    /// the area: a vertex of either inside the other, or two edges crossing. Holes count on both
    /// sides: an outline lying wholly in a hole of the area does not touch it (its vertices are
    /// in the hole, the hole's vertices are outside it, and no edges cross), nor does an area
    /// lying wholly in a hole of the outline.
    pub fn touches(&self, outline: &[Polygon]) -> bool {
        if outline
            .iter()
            .flatten()
            .flatten()
            .any(|p| self.contains(p[0], p[1]))
        {
            return true;
        }
        if self
            .shapes
            .iter()
            .flatten()
            .flatten()
            .any(|p| crate::kernel::geo::area_contains(outline, p[0], p[1]))
        {
            return true;
        }
        let cross = |a: [f64; 2], b: [f64; 2], c: [f64; 2], d: [f64; 2]| {
            let side = |p: [f64; 2], q: [f64; 2], r: [f64; 2]| {
                (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
            };
            let (d1, d2) = (side(a, b, c), side(a, b, d));
            let (d3, d4) = (side(c, d, a), side(c, d, b));
            d1 * d2 <= 0.0 && d3 * d4 <= 0.0
        };
        self.shapes.iter().flatten().any(|area| {
            area.windows(2).any(|e| {
                outline
                    .iter()
                    .flatten()
                    .any(|o| o.windows(2).any(|f| cross(e[0], e[1], f[0], f[1])))
            })
        })
    }

    /// The search cells (`resource::cell_of`) worth reading: per row of cells, the range between
    /// the westmost and eastmost points of the area within that row's latitudes — not the whole
    /// bounding box, whose corners a round or slanted area leaves empty. Every point inside the
    /// area lies in one of these ranges.
    pub fn cell_ranges(&self) -> Vec<(i64, i64)> {
        use crate::resources::{CELL_DEG, cell_of};
        let Some(b) = self.bbox else {
            return Vec::new();
        };
        let row_of = |lat: f64| ((lat + 90.0) / CELL_DEG).floor() as i64;
        let mut out = Vec::new();
        for row in row_of(b.min_lat)..=row_of(b.max_lat) {
            // The row's latitudes, widened a hair so rounding at its edges loses no point.
            let lat0 = row as f64 * CELL_DEG - 90.0 - 1e-9;
            let lat1 = (row + 1) as f64 * CELL_DEG - 90.0 + 1e-9;
            let (mut west, mut east) = (f64::INFINITY, f64::NEG_INFINITY);
            for ring in self.shapes.iter().flatten() {
                for w in ring.windows(2) {
                    let ([x1, y1], [x2, y2]) = (w[0], w[1]);
                    if y1.max(y2) < lat0 || y1.min(y2) > lat1 {
                        continue;
                    }
                    // The part of the edge within the row's latitudes.
                    let at = |y: f64| {
                        if y1 == y2 {
                            (x1, x2)
                        } else {
                            let t = ((y - y1) / (y2 - y1)).clamp(0.0, 1.0);
                            let x = x1 + t * (x2 - x1);
                            (x, x)
                        }
                    };
                    for x in [at(lat0).0, at(lat0).1, at(lat1).0, at(lat1).1] {
                        west = west.min(x);
                        east = east.max(x);
                    }
                    for (x, y) in [(x1, y1), (x2, y2)] {
                        if (lat0..=lat1).contains(&y) {
                            west = west.min(x);
                            east = east.max(x);
                        }
                    }
                }
            }
            if west <= east {
                let mid = (lat0 + lat1) / 2.0;
                out.push((cell_of(west, mid), cell_of(east, mid)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_outline_touches_an_area_when_they_overlap_in_any_way() {
        use super::PreparedArea;
        let sq =
            |x: f64, y: f64, d: f64| vec![[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];
        let area = PreparedArea::new(&[sq(0.0, 0.0, 1.0)]);
        assert!(area.touches(&[vec![sq(0.5, 0.5, 1.0)]]), "a corner inside");
        assert!(
            area.touches(&[vec![sq(-1.0, -1.0, 3.0)]]),
            "the area inside the outline"
        );
        // A plus sign: a tall thin bar crossing the square with no vertex inside either.
        let bar = vec![
            [0.4, -1.0],
            [0.6, -1.0],
            [0.6, 2.0],
            [0.4, 2.0],
            [0.4, -1.0],
        ];
        assert!(area.touches(&[vec![bar]]), "edges crossing");
        assert!(!area.touches(&[vec![sq(2.0, 2.0, 1.0)]]), "apart");
    }

    #[test]
    fn cell_ranges_cover_every_point_inside_and_skip_the_corners() {
        use super::PreparedArea;
        use crate::resources::{cell_of, cell_ranges_of_bbox};
        // A 64-gon circle of radius 0.3° and a thin slanted quadrilateral.
        let mut circle: Vec<[f64; 2]> = (0..64)
            .map(|i| {
                let a = i as f64 / 64.0 * std::f64::consts::TAU;
                [116.0 + 0.3 * a.cos(), 29.7 + 0.3 * a.sin()]
            })
            .collect();
        circle.push(circle[0]);
        let slant = vec![
            [115.0, 29.0],
            [115.05, 29.0],
            [115.55, 29.5],
            [115.5, 29.5],
            [115.0, 29.0],
        ];
        for ring in [circle, slant] {
            let area = PreparedArea::new(std::slice::from_ref(&ring));
            let ranges = area.cell_ranges();
            let b = area.bbox.expect("bbox");
            let cells = |rs: &[(i64, i64)]| rs.iter().map(|(a, b)| b - a + 1).sum::<i64>();
            let whole = cells(&cell_ranges_of_bbox(
                b.min_lon, b.min_lat, b.max_lon, b.max_lat,
            ));
            assert!(cells(&ranges) < whole, "{} of {whole}", cells(&ranges));
            let mut rng = crate::kernel::rng::Rng::new(3);
            for _ in 0..20_000 {
                let lon = b.min_lon + rng.unit() * (b.max_lon - b.min_lon);
                let lat = b.min_lat + rng.unit() * (b.max_lat - b.min_lat);
                if area.contains(lon, lat) {
                    let c = cell_of(lon, lat);
                    assert!(
                        ranges.iter().any(|(a, b)| (*a..=*b).contains(&c)),
                        "{lon},{lat}"
                    );
                }
            }
        }
    }

    #[test]
    fn effectiveness_counts_on_time_late_never_and_times() {
        use super::{Effectiveness, OrderOutcome};
        let o = |ack: Option<i64>, decided| OrderOutcome {
            due_ms: 15 * 60_000,
            created_ms: 0,
            acknowledged_ms: ack,
            decided,
        };
        let e = Effectiveness::of(&[
            o(Some(5 * 60_000), true),
            o(Some(10 * 60_000), true),
            o(Some(30 * 60_000), true),
            o(None, true),
            o(None, false),
        ]);
        assert_eq!(
            (e.orders, e.on_time, e.late, e.never, e.waiting),
            (5, 2, 1, 1, 1)
        );
        assert_eq!(e.ack_rate, Some(0.5));
        assert_eq!(e.mean_ack_minutes, Some(15.0));
        assert_eq!(e.median_ack_minutes, Some(10.0));
        assert_eq!(Effectiveness::of(&[]).ack_rate, None);
    }

    use super::*;

    #[test]
    fn rainstorm_concerns_waterlogging_and_houses() {
        let c = TargetingConfig::default();
        assert!(
            c.kinds_for("rainstorm")
                .contains(&"waterlogging".to_string())
        );
        assert!(
            c.kinds_for("rainstorm")
                .contains(&"dangerous_house".to_string())
        );
        assert!(!c.kinds_for("rainstorm").contains(&"school".to_string()));
        assert!(c.kinds_for("gale").contains(&"tower_crane".to_string()));
        assert_eq!(
            c.actions_for("rainstorm", 2, "dangerous_house"),
            ["通知", "巡查", "转移"]
        );
        assert_eq!(c.actions_for("rainstorm", 4, "dangerous_house"), ["通知"]);
        assert_eq!(
            c.actions_for("rainstorm", 3, "waterlogging"),
            ["通知", "巡查", "设置警示"]
        );
        assert_eq!((c.ack_minutes_for(1), c.ack_minutes_for(2)), (5, 15));
        assert!(c.validate().is_ok());
        let mut bad = c.clone();
        bad.ack_minutes[0] = 0;
        bad.actions[0].kind = "ufo".into();
        assert_eq!(bad.validate().unwrap_err().0.len(), 2);
    }

    #[test]
    fn a_point_is_inside_the_union_of_rings() {
        let a: Ring = vec![[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]];
        let b: Ring = vec![[1.0, 1.0], [3.0, 1.0], [3.0, 3.0], [1.0, 3.0], [1.0, 1.0]];
        let area = PreparedArea::new(&[a, b]);
        // In the overlap of two rings: inside (even-odd over all rings would say outside).
        assert!(area.contains(1.5, 1.5));
        assert!(area.contains(0.5, 0.5));
        assert!(area.contains(2.5, 2.5));
        assert!(!area.contains(2.5, 0.5));
        assert!(!area.contains(5.0, 5.0));
    }

    #[test]
    fn bands_agree_with_the_plain_test() {
        // A 2,000-vertex star: the banded test gives the plain even-odd answer everywhere.
        let ring: Ring = (0..=2000)
            .map(|i| {
                let a = (i % 2000) as f64 / 2000.0 * std::f64::consts::TAU;
                let r = if i % 2 == 0 { 1.0 } else { 0.6 };
                [r * a.cos(), r * a.sin()]
            })
            .collect();
        let area = PreparedArea::new(std::slice::from_ref(&ring));
        let mut rng = crate::kernel::rng::Rng::new(7);
        for _ in 0..20_000 {
            let (x, y) = (rng.unit() * 2.4 - 1.2, rng.unit() * 2.4 - 1.2);
            assert_eq!(
                area.contains(x, y),
                crate::kernel::geo::contains(std::slice::from_ref(&ring), x, y),
                "{x},{y}"
            );
        }
    }

    fn sq(x: f64, y: f64, d: f64) -> Ring {
        vec![[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    }

    #[test]
    fn a_point_in_a_hole_is_outside_the_prepared_area() {
        // A square with a hole, and an island in the hole (a second polygon).
        let area = PreparedArea::of_polygons(&[
            vec![sq(0.0, 0.0, 10.0), sq(2.0, 2.0, 6.0)],
            vec![sq(4.0, 4.0, 2.0)],
        ]);
        assert!(area.contains(1.0, 1.0), "in the ring");
        assert!(area.contains(9.0, 5.0), "in the ring");
        assert!(!area.contains(3.0, 3.0), "in the hole");
        assert!(!area.contains(7.0, 5.0), "in the hole");
        assert!(area.contains(5.0, 5.0), "on the island in the hole");
        assert!(!area.contains(11.0, 5.0), "outside");
        // The banded test agrees with the plain one over the area's polygons.
        let polys = vec![
            vec![sq(0.0, 0.0, 10.0), sq(2.0, 2.0, 6.0)],
            vec![sq(4.0, 4.0, 2.0)],
        ];
        let mut rng = crate::kernel::rng::Rng::new(11);
        for _ in 0..20_000 {
            let (x, y) = (rng.unit() * 12.0 - 1.0, rng.unit() * 12.0 - 1.0);
            assert_eq!(
                area.contains(x, y),
                crate::kernel::geo::area_contains(&polys, x, y),
                "{x},{y}"
            );
        }
    }

    #[test]
    fn overlapping_polygons_are_a_union_and_their_holes_stay_out() {
        // Two overlapping polygons of a MultiPolygon: the overlap is inside.
        let area = PreparedArea::of_polygons(&[vec![sq(0.0, 0.0, 2.0)], vec![sq(1.0, 1.0, 2.0)]]);
        assert!(area.contains(1.5, 1.5));
        assert!(area.contains(0.5, 0.5) && area.contains(2.5, 2.5));
        assert!(!area.contains(2.5, 0.5));
        // A polygon with a hole overlapped by another polygon: the hole is inside only where the
        // other polygon covers it.
        let area = PreparedArea::of_polygons(&[
            vec![sq(0.0, 0.0, 4.0), sq(1.0, 1.0, 2.0)],
            vec![sq(2.0, 2.0, 3.0)],
        ]);
        assert!(!area.contains(1.5, 1.5), "in the hole, outside the other");
        assert!(area.contains(2.5, 2.5), "in the hole, inside the other");
        assert!(area.contains(4.5, 4.5), "in the other only");
    }

    #[test]
    fn an_outline_in_a_hole_of_the_area_is_not_touched() {
        let area = PreparedArea::of_polygons(&[vec![sq(0.0, 0.0, 10.0), sq(2.0, 2.0, 6.0)]]);
        assert!(
            !area.touches(&[vec![sq(3.0, 3.0, 2.0)]]),
            "wholly in the hole"
        );
        assert!(
            area.touches(&[vec![sq(7.0, 4.0, 2.0)]]),
            "across the hole's edge"
        );
        assert!(area.touches(&[vec![sq(0.5, 0.5, 1.0)]]), "in the ring");
        assert!(
            area.touches(&[vec![sq(1.0, 1.0, 8.0)]]),
            "around the hole, in the ring"
        );
        assert!(
            area.touches(&[vec![sq(-1.0, -1.0, 12.0)]]),
            "the area inside the outline"
        );
        // The area lies in a hole of the outline: apart; an outline whose hole the area only
        // partly fills: touching.
        let small = PreparedArea::of_polygons(&[vec![sq(4.0, 4.0, 1.0)]]);
        assert!(!small.touches(&[vec![sq(0.0, 0.0, 10.0), sq(2.0, 2.0, 6.0)]]));
        assert!(small.touches(&[vec![sq(0.0, 0.0, 10.0), sq(4.5, 4.5, 2.0)]]));
        // An outline of two overlapping polygons whose overlap holds the area's vertices.
        let tiny = PreparedArea::of_polygons(&[vec![sq(1.2, 1.2, 0.5)]]);
        assert!(tiny.touches(&[vec![sq(0.0, 0.0, 2.0)], vec![sq(1.0, 1.0, 2.0)]]));
    }
}
