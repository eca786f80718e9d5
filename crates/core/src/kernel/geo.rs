//! Small planar geometry on lon/lat rings: enough to subdivide a district into synthetic
//! streets, communities and grids for the demo, to place points inside them, and to locate a
//! point in a region or an area. Rings are closed or open lists of `[lon, lat]`.
//!
//! A [`Polygon`] is its outer ring followed by its holes (interior rings: enclaves, 飞地); a point
//! is inside it when it is inside the outer ring and in none of the holes — even-odd counting over
//! the polygon's rings. An area (a region's boundary, a warning's area, an object's outline) is a
//! list of polygons and means their union: overlapping polygons do not cancel ([`area_contains`]).

pub type Ring = Vec<[f64; 2]>;

/// The outer ring, then the holes.
pub type Polygon = Vec<Ring>;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BBox {
    pub fn of(rings: &[Ring]) -> Option<BBox> {
        let mut pts = rings.iter().flatten();
        let first = pts.next()?;
        let mut b = BBox {
            min_lon: first[0],
            min_lat: first[1],
            max_lon: first[0],
            max_lat: first[1],
        };
        for p in pts {
            b.min_lon = b.min_lon.min(p[0]);
            b.max_lon = b.max_lon.max(p[0]);
            b.min_lat = b.min_lat.min(p[1]);
            b.max_lat = b.max_lat.max(p[1]);
        }
        Some(b)
    }
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        lon >= self.min_lon && lon <= self.max_lon && lat >= self.min_lat && lat <= self.max_lat
    }
}

/// Unsigned shoelace area in square degrees (only ratios are used).
pub fn area(rings: &[Ring]) -> f64 {
    rings.iter().map(|r| ring_signed_area(r).abs()).sum()
}

fn ring_signed_area(r: &Ring) -> f64 {
    if r.len() < 3 {
        return 0.0;
    }
    let mut s = 0.0;
    for i in 0..r.len() {
        let a = r[i];
        let b = r[(i + 1) % r.len()];
        s += a[0] * b[1] - b[0] * a[1];
    }
    s / 2.0
}

/// Even-odd point-in-polygon over all rings: right for the rings of one polygon (its outer ring
/// and its holes — a point in a hole is outside) and for rings that do not overlap (the demo's
/// partitions). Rings of separate polygons that may overlap cancel in their overlap: use
/// [`area_contains`] for those.
pub fn contains(rings: &[Ring], lon: f64, lat: f64) -> bool {
    let mut inside = false;
    for r in rings {
        let n = r.len();
        if n < 3 {
            continue;
        }
        let mut j = n - 1;
        for i in 0..n {
            let (xi, yi) = (r[i][0], r[i][1]);
            let (xj, yj) = (r[j][0], r[j][1]);
            if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                inside = !inside;
            }
            j = i;
        }
    }
    inside
}

/// Whether a point is inside an area: inside any of its polygons (union), each tested even-odd
/// over its own rings (holes).
pub fn area_contains(polygons: &[Polygon], lon: f64, lat: f64) -> bool {
    polygons.iter().any(|p| contains(p, lon, lat))
}

/// Area of a polygon in square degrees: its outer ring less its holes.
pub fn polygon_area(p: &[Ring]) -> f64 {
    match p.split_first() {
        Some((outer, holes)) => {
            ring_signed_area(outer).abs()
                - holes.iter().map(|h| ring_signed_area(h).abs()).sum::<f64>()
        }
        None => 0.0,
    }
}

/// A point inside an area (not in a hole): inside its largest polygon if one can be found,
/// else inside any other.
pub fn area_interior_point(polygons: &[Polygon]) -> Option<[f64; 2]> {
    let mut order: Vec<&Polygon> = polygons.iter().filter(|p| !p.is_empty()).collect();
    order.sort_by(|a, b| polygon_area(b).total_cmp(&polygon_area(a)));
    order.into_iter().find_map(|p| interior_point(p))
}

/// Sutherland–Hodgman clip of each ring against an axis-aligned rectangle (convex, so any
/// subject ring clips correctly; concave subjects may keep zero-width seams, harmless for display).
pub fn clip_rect(rings: &[Ring], b: BBox) -> Vec<Ring> {
    let edges: [(usize, f64, bool); 4] = [
        (0, b.min_lon, true),
        (0, b.max_lon, false),
        (1, b.min_lat, true),
        (1, b.max_lat, false),
    ];
    let mut out = Vec::new();
    for ring in rings {
        let mut poly: Ring = ring.clone();
        if poly.len() > 1 && poly.first() == poly.last() {
            poly.pop();
        }
        for &(axis, v, keep_greater) in &edges {
            if poly.is_empty() {
                break;
            }
            let inside = |p: &[f64; 2]| {
                if keep_greater {
                    p[axis] >= v
                } else {
                    p[axis] <= v
                }
            };
            let mut next = Vec::with_capacity(poly.len() + 4);
            for i in 0..poly.len() {
                let cur = poly[i];
                let prev = poly[(i + poly.len() - 1) % poly.len()];
                let (ci, pi) = (inside(&cur), inside(&prev));
                if ci != pi {
                    let t = (v - prev[axis]) / (cur[axis] - prev[axis]);
                    let mut p = [
                        prev[0] + t * (cur[0] - prev[0]),
                        prev[1] + t * (cur[1] - prev[1]),
                    ];
                    p[axis] = v;
                    next.push(p);
                }
                if ci {
                    next.push(cur);
                }
            }
            poly = next;
        }
        if poly.len() >= 3 && ring_signed_area(&poly).abs() > 0.0 {
            poly.push(poly[0]);
            out.push(poly);
        }
    }
    out
}

/// Splits `rings` into `n` parts of about equal area by recursive bisection, always cutting
/// across the longer side (measured in metres, so cells come out blocky rather than sliver-thin).
pub fn partition(rings: &[Ring], n: usize) -> Vec<Vec<Ring>> {
    let Some(b) = BBox::of(rings) else {
        return vec![];
    };
    if n <= 1 {
        return vec![rings.to_vec()];
    }
    let k = ((b.min_lat + b.max_lat) / 2.0).to_radians().cos();
    let axis = if (b.max_lon - b.min_lon) * k >= b.max_lat - b.min_lat {
        0
    } else {
        1
    };
    let first = n / 2;
    let (lo, hi) = if axis == 0 {
        (b.min_lon, b.max_lon)
    } else {
        (b.min_lat, b.max_lat)
    };
    let slab = |from: f64, to: f64| {
        let mut r = b;
        if axis == 0 {
            (r.min_lon, r.max_lon) = (from, to);
        } else {
            (r.min_lat, r.max_lat) = (from, to);
        }
        r
    };
    let target = area(rings) * first as f64 / n as f64;
    let (mut a, mut z) = (lo, hi);
    for _ in 0..40 {
        let mid = (a + z) / 2.0;
        if area(&clip_rect(rings, slab(lo, mid))) < target {
            a = mid;
        } else {
            z = mid;
        }
    }
    let cut = (a + z) / 2.0;
    let mut out = partition(&clip_rect(rings, slab(lo, cut)), first);
    out.extend(partition(&clip_rect(rings, slab(cut, hi)), n - first));
    out
}

/// A point near the middle of the rings that lies inside them by even-odd counting (so not in a
/// hole of a polygon given as its rings): the centroid if inside, else a scan along a few
/// latitudes.
pub fn interior_point(rings: &[Ring]) -> Option<[f64; 2]> {
    let b = BBox::of(rings)?;
    let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
    for p in rings.iter().flatten() {
        sx += p[0];
        sy += p[1];
        n += 1.0;
    }
    let c = [sx / n, sy / n];
    if contains(rings, c[0], c[1]) {
        return Some(c);
    }
    // The middle latitudes first (as before holes were modelled: the same points for the same
    // rings), then more of them for shapes that a hole or a narrow waist leaves empty there.
    for fracs in [&[0.5, 0.25, 0.75][..], &[0.125, 0.375, 0.625, 0.875]] {
        for k in 1..64 {
            for frac in fracs {
                let lat = b.min_lat + (b.max_lat - b.min_lat) * frac;
                let lon = b.min_lon + (b.max_lon - b.min_lon) * k as f64 / 64.0;
                if contains(rings, lon, lat) {
                    return Some([lon, lat]);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Vec<Ring> {
        vec![vec![
            [0.0, 0.0],
            [2.0, 0.0],
            [2.0, 2.0],
            [0.0, 2.0],
            [0.0, 0.0],
        ]]
    }

    #[test]
    fn area_and_contains() {
        assert!((area(&square()) - 4.0).abs() < 1e-12);
        assert!(contains(&square(), 1.0, 1.0));
        assert!(!contains(&square(), 3.0, 1.0));
    }

    #[test]
    fn partition_preserves_area() {
        let l = vec![vec![
            [0.0, 0.0],
            [3.0, 0.0],
            [3.0, 1.0],
            [1.0, 1.0],
            [1.0, 3.0],
            [0.0, 3.0],
            [0.0, 0.0],
        ]];
        for n in [1, 2, 3, 5, 8] {
            let parts = partition(&l, n);
            assert_eq!(parts.len(), n);
            let total: f64 = parts.iter().map(|p| area(p)).sum();
            assert!((total - area(&l)).abs() < 1e-6);
            for p in &parts {
                assert!((area(p) - area(&l) / n as f64).abs() < 1e-3);
            }
        }
    }

    #[test]
    fn interior_points_are_inside() {
        let l = vec![vec![
            [0.0, 0.0],
            [3.0, 0.0],
            [3.0, 1.0],
            [1.0, 1.0],
            [1.0, 3.0],
            [0.0, 3.0],
            [0.0, 0.0],
        ]];
        for p in partition(&l, 4) {
            let ip = interior_point(&p).unwrap();
            assert!(contains(&l, ip[0], ip[1]));
        }
    }
}

/// The polygons of a GeoJSON Polygon or MultiPolygon geometry, every ring kept (the outer ring,
/// then the holes), positions as numbers `[lon, lat]` (further members ignored). Only the shape
/// of the JSON is checked: callers check the rings (ranges, closure, holes) as their input needs.
pub fn polygons_of_geometry(v: &serde_json::Value) -> Result<Vec<Polygon>, String> {
    let kind = v
        .get("type")
        .and_then(|t| t.as_str())
        .ok_or("边界应为GeoJSON几何对象（缺少type）")?;
    let coords = v.get("coordinates").ok_or("边界缺少coordinates")?;
    let polygons: Vec<&serde_json::Value> = match kind {
        "Polygon" => vec![coords],
        "MultiPolygon" => coords
            .as_array()
            .ok_or("MultiPolygon的coordinates应为数组")?
            .iter()
            .collect(),
        other => {
            return Err(format!(
                "边界类型“{other}”不支持，应为Polygon或MultiPolygon"
            ));
        }
    };
    let mut out = Vec::with_capacity(polygons.len());
    for p in polygons {
        let rings = p
            .as_array()
            .filter(|a| !a.is_empty())
            .ok_or("多边形应至少包含一个环")?;
        let mut polygon = Polygon::with_capacity(rings.len());
        for r in rings {
            let positions = r.as_array().ok_or("多边形的环应为坐标数组")?;
            let mut ring = Ring::with_capacity(positions.len());
            for pos in positions {
                let pair = pos
                    .as_array()
                    .filter(|a| a.len() >= 2)
                    .ok_or("坐标应为[经度, 纬度]")?;
                let (Some(lon), Some(lat)) = (pair[0].as_f64(), pair[1].as_f64()) else {
                    return Err("坐标应为数字".into());
                };
                ring.push([lon, lat]);
            }
            polygon.push(ring);
        }
        out.push(polygon);
    }
    if out.is_empty() {
        return Err("边界不能为空".into());
    }
    Ok(out)
}

/// Reads a GeoJSON Polygon or MultiPolygon geometry with its holes and checks it: closed rings of
/// at least four positions, each `[lon, lat]` inside China's bounding box, every hole inside its
/// outer ring and apart from the others ([`check_holes`]).
pub fn parse_polygons(v: &serde_json::Value) -> Result<Vec<Polygon>, String> {
    let polygons = polygons_of_geometry(v)?;
    for p in &polygons {
        for ring in p {
            for &[lon, lat] in ring {
                crate::kernel::validation::longitude(lon)?;
                crate::kernel::validation::latitude(lat)?;
            }
            if ring.len() < 4 || ring.first() != ring.last() {
                return Err("多边形的环应至少有4个坐标且首尾相同（闭合）".into());
            }
        }
        check_holes(p)?;
    }
    Ok(polygons)
}

/// The rings of every polygon of a checked geometry ([`parse_polygons`]) in one list, holes
/// included: even-odd [`contains`] over them leaves the holes out (polygons that overlap one
/// another would cancel; use [`parse_polygons`] and [`area_contains`] where they may).
pub fn parse_geometry(v: &serde_json::Value) -> Result<Vec<Ring>, String> {
    Ok(parse_polygons(v)?.into_iter().flatten().collect())
}

/// Checks the holes of a polygon (outer ring first): no ring crosses another, every hole lies
/// inside the outer ring, and no hole lies inside (or on top of) another — so that even-odd
/// counting over the rings gives the outer ring less the holes. Rings may touch.
pub fn check_holes(p: &[Ring]) -> Result<(), String> {
    let Some((outer, holes)) = p.split_first() else {
        return Ok(());
    };
    if holes.is_empty() {
        return Ok(());
    }
    if let Some((a, b)) = rings_crossing(p) {
        return Err(if a == 0 {
            format!("第{b}个内环（洞）与外环相交")
        } else {
            format!("第{a}个内环（洞）与第{b}个内环相交")
        });
    }
    for (i, h) in holes.iter().enumerate() {
        if ring_within(h, outer) == Some(false) {
            return Err(format!("第{}个内环（洞）不在外环之内", i + 1));
        }
        for (j, g) in holes.iter().enumerate() {
            if i != j && ring_within(h, g) != Some(false) {
                return Err(format!(
                    "第{}个内环（洞）与第{}个内环重叠",
                    i.min(j) + 1,
                    i.max(j) + 1
                ));
            }
        }
    }
    Ok(())
}

fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

/// Whether `p` lies on an edge of the ring (within a hair: 1e-10 square degrees of cross product).
fn on_ring(ring: &[[f64; 2]], p: [f64; 2]) -> bool {
    ring.windows(2).any(|e| {
        let (a, b) = (e[0], e[1]);
        orient(a, b, p).abs() <= 1e-10
            && p[0] >= a[0].min(b[0]) - 1e-12
            && p[0] <= a[0].max(b[0]) + 1e-12
            && p[1] >= a[1].min(b[1]) - 1e-12
            && p[1] <= a[1].max(b[1]) + 1e-12
    })
}

/// For a ring that does not cross `outer`: whether it lies inside it, decided by its first vertex
/// (else edge midpoint) off `outer`'s edges; `None` when the ring lies wholly on them.
fn ring_within(ring: &[[f64; 2]], outer: &Ring) -> Option<bool> {
    let mids = ring
        .windows(2)
        .map(|e| [(e[0][0] + e[1][0]) / 2.0, (e[0][1] + e[1][1]) / 2.0]);
    ring.iter()
        .copied()
        .chain(mids)
        .find(|&p| !on_ring(outer, p))
        .map(|p| contains(std::slice::from_ref(outer), p[0], p[1]))
}

/// The first two rings (by index) whose edges properly cross, if any: edges sorted by their west
/// end, each compared only with those that overlap it in longitude.
fn rings_crossing(p: &[Ring]) -> Option<(usize, usize)> {
    let mut edges: Vec<(usize, [f64; 2], [f64; 2])> = p
        .iter()
        .enumerate()
        .flat_map(|(k, r)| r.windows(2).map(move |e| (k, e[0], e[1])))
        .collect();
    let west = |e: &(usize, [f64; 2], [f64; 2])| e.1[0].min(e.2[0]);
    let east = |e: &(usize, [f64; 2], [f64; 2])| e.1[0].max(e.2[0]);
    edges.sort_by(|a, b| west(a).total_cmp(&west(b)));
    let mut found: Option<(usize, usize)> = None;
    for (i, e) in edges.iter().enumerate() {
        for f in &edges[i + 1..] {
            if west(f) > east(e) {
                break;
            }
            if e.0 == f.0 {
                continue;
            }
            let (d1, d2) = (orient(e.1, e.2, f.1), orient(e.1, e.2, f.2));
            let (d3, d4) = (orient(f.1, f.2, e.1), orient(f.1, f.2, e.2));
            if d1 * d2 < 0.0 && d3 * d4 < 0.0 {
                let pair = (e.0.min(f.0), e.0.max(f.0));
                if found.is_none_or(|g| pair < g) {
                    found = Some(pair);
                }
            }
        }
    }
    found
}

/// Writes rings as a GeoJSON geometry, each ring a polygon of its own (Polygon for one ring,
/// else MultiPolygon).
pub fn to_geometry(rings: &[Ring]) -> serde_json::Value {
    if rings.len() == 1 {
        serde_json::json!({"type": "Polygon", "coordinates": [rings[0]]})
    } else {
        let polys: Vec<_> = rings.iter().map(|r| vec![r.clone()]).collect();
        serde_json::json!({"type": "MultiPolygon", "coordinates": polys})
    }
}

/// Writes polygons (with their holes) as a GeoJSON geometry: Polygon for one, else MultiPolygon.
pub fn polygons_to_geometry(polygons: &[Polygon]) -> serde_json::Value {
    if polygons.len() == 1 {
        serde_json::json!({"type": "Polygon", "coordinates": polygons[0]})
    } else {
        serde_json::json!({"type": "MultiPolygon", "coordinates": polygons})
    }
}

/// An area as stored in a text column: MultiPolygon coordinates (`[[[[lon, lat], …], …], …]`,
/// polygons with their holes), or the older list of rings (`[[[lon, lat], …], …]`), each ring a
/// polygon of its own. Anything else reads as no area.
pub fn stored_polygons(text: &str) -> Vec<Polygon> {
    serde_json::from_str::<Vec<Polygon>>(text)
        .or_else(|_| {
            serde_json::from_str::<Vec<Ring>>(text)
                .map(|rings| rings.into_iter().map(|r| vec![r]).collect())
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod geojson_tests {
    use super::*;

    #[test]
    fn geometry_round_trip() {
        let rings = vec![vec![
            [116.0, 29.7],
            [116.1, 29.7],
            [116.1, 29.8],
            [116.0, 29.7],
        ]];
        let g = to_geometry(&rings);
        assert_eq!(parse_geometry(&g).unwrap(), rings);
        let bad = serde_json::json!({"type": "Polygon", "coordinates": [[[116.0, 29.7], [116.1, 29.7], [116.1, 29.8]]]});
        assert!(parse_geometry(&bad).unwrap_err().contains("闭合"));
        let far = serde_json::json!({"type": "Polygon", "coordinates": [[[200.0, 29.7], [116.1, 29.7], [116.1, 29.8], [200.0, 29.7]]]});
        assert!(parse_geometry(&far).unwrap_err().contains("经度"));
        assert!(parse_geometry(&serde_json::json!({"type": "Point"})).is_err());
    }
}

#[cfg(test)]
mod hole_tests {
    use super::*;
    use serde_json::json;

    fn sq(x: f64, y: f64, d: f64) -> Ring {
        vec![[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
    }

    /// A 12 km square with a 6 km hole (an enclave) and, in the hole, an island of 1.5 km: the
    /// MultiPolygon of a district that surrounds another which surrounds a third. (Binary
    /// fractions of a degree, so that JSON gives back the same numbers.)
    fn enclave() -> serde_json::Value {
        json!({"type": "MultiPolygon", "coordinates": [
            [sq(116.0, 29.75, 0.125), sq(116.03125, 29.78125, 0.0625)],
            [sq(116.0546875, 29.8046875, 0.015625)],
        ]})
    }

    #[test]
    fn a_point_in_a_hole_is_outside_and_one_on_an_island_in_it_inside() {
        let area = parse_polygons(&enclave()).expect("ok");
        assert_eq!(area.len(), 2);
        assert_eq!(area[0].len(), 2, "the hole is kept");
        assert!(area_contains(&area, 116.01, 29.76), "in the ring");
        assert!(!area_contains(&area, 116.04, 29.79), "in the hole");
        assert!(
            area_contains(&area, 116.06, 29.81),
            "on the island in the hole"
        );
        assert!(!area_contains(&area, 116.2, 29.8), "outside");
        // The flattened rings give the same answers by even-odd counting.
        let rings = parse_geometry(&enclave()).expect("ok");
        assert_eq!(rings.len(), 3);
        assert!(contains(&rings, 116.01, 29.76));
        assert!(!contains(&rings, 116.04, 29.79));
        assert!(contains(&rings, 116.06, 29.81));
    }

    #[test]
    fn overlapping_polygons_of_an_area_are_a_union() {
        let area = vec![vec![sq(0.0, 0.0, 2.0)], vec![sq(1.0, 1.0, 2.0)]];
        assert!(area_contains(&area, 1.5, 1.5), "in the overlap");
        assert!(area_contains(&area, 0.5, 0.5));
        assert!(area_contains(&area, 2.5, 2.5));
        assert!(!area_contains(&area, 2.5, 0.5));
        // Even-odd over the rings of both would cancel the overlap.
        assert!(!contains(&[sq(0.0, 0.0, 2.0), sq(1.0, 1.0, 2.0)], 1.5, 1.5));
        // A polygon with a hole overlapped by another polygon: the hole is inside where the
        // other polygon covers it.
        let area = vec![
            vec![sq(0.0, 0.0, 4.0), sq(1.0, 1.0, 2.0)],
            vec![sq(1.5, 1.5, 1.0)],
        ];
        assert!(!area_contains(&area, 1.2, 1.2));
        assert!(area_contains(&area, 2.0, 2.0));
    }

    #[test]
    fn holes_must_lie_inside_their_outer_ring_and_apart() {
        let poly = |rings: Vec<Ring>| json!({"type": "Polygon", "coordinates": rings});
        let outer = sq(116.0, 29.7, 0.1);
        // Outside the outer ring, crossing it, inside another hole, the same as another.
        for (rings, word) in [
            (vec![outer.clone(), sq(116.2, 29.7, 0.01)], "不在外环之内"),
            (vec![outer.clone(), sq(116.09, 29.75, 0.02)], "与外环相交"),
            (
                vec![
                    outer.clone(),
                    sq(116.01, 29.71, 0.05),
                    sq(116.02, 29.72, 0.01),
                ],
                "重叠",
            ),
            (
                vec![
                    outer.clone(),
                    sq(116.01, 29.71, 0.05),
                    sq(116.01, 29.71, 0.05),
                ],
                "重叠",
            ),
            (
                vec![
                    outer.clone(),
                    sq(116.01, 29.71, 0.05),
                    sq(116.05, 29.75, 0.02),
                ],
                "相交",
            ),
        ] {
            let e = parse_polygons(&poly(rings)).expect_err("refused");
            assert!(e.contains(word), "{e}");
        }
        // Holes may touch the outer ring and each other.
        let touching = vec![
            outer.clone(),
            sq(116.0, 29.71, 0.02),
            sq(116.02, 29.71, 0.02),
        ];
        assert!(parse_polygons(&poly(touching)).is_ok());
    }

    #[test]
    fn areas_are_written_and_stored_with_their_holes() {
        let area = parse_polygons(&enclave()).expect("ok");
        assert_eq!(
            parse_polygons(&polygons_to_geometry(&area)).expect("ok"),
            area
        );
        let one = vec![area[0].clone()];
        let g = polygons_to_geometry(&one);
        assert_eq!(g["type"], "Polygon");
        assert_eq!(parse_polygons(&g).expect("ok"), one);
        assert_eq!(
            stored_polygons(&serde_json::to_string(&area).expect("ok")),
            area
        );
        // Rows written before holes were kept: a list of rings, each a polygon.
        let old = vec![sq(0.0, 0.0, 1.0), sq(2.0, 0.0, 1.0)];
        assert_eq!(
            stored_polygons(&serde_json::to_string(&old).expect("ok")),
            vec![vec![old[0].clone()], vec![old[1].clone()]]
        );
        assert!(stored_polygons("[]").is_empty());
        assert!(stored_polygons("not json").is_empty());
    }

    #[test]
    fn the_interior_point_of_an_area_is_not_in_a_hole() {
        // The centroid of the vertices lies in the hole.
        let area = vec![
            vec![sq(0.0, 0.0, 1.0), sq(0.1, 0.1, 0.8)],
            vec![sq(5.0, 5.0, 0.1)],
        ];
        let p = area_interior_point(&area).expect("ok");
        assert!(area_contains(&area, p[0], p[1]), "{p:?}");
        assert!(p[0] < 1.0, "in the larger polygon: {p:?}");
    }
}
