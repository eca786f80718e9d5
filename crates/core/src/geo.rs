//! Small planar geometry on lon/lat rings: enough to subdivide a district into synthetic
//! streets, communities and grids for the demo, to place points inside them, and to locate a
//! point in a region. Rings are closed or open lists of `[lon, lat]`; holes are not modelled.

pub type Ring = Vec<[f64; 2]>;

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

/// Even-odd point-in-polygon over all rings.
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

/// A point near the middle of the rings that lies inside them (centroid if inside, else a
/// scan along the middle latitude).
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
    for k in 1..64 {
        for frac in [0.5, 0.25, 0.75] {
            let lat = b.min_lat + (b.max_lat - b.min_lat) * frac;
            let lon = b.min_lon + (b.max_lon - b.min_lon) * k as f64 / 64.0;
            if contains(rings, lon, lat) {
                return Some([lon, lat]);
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

/// Reads a GeoJSON Polygon or MultiPolygon geometry (outer rings only) and checks it: closed
/// rings of at least four positions, each `[lon, lat]` inside China's bounding box.
pub fn parse_geometry(v: &serde_json::Value) -> Result<Vec<Ring>, String> {
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
    let mut rings = Vec::new();
    for p in polygons {
        let outer = p
            .as_array()
            .and_then(|a| a.first())
            .and_then(|r| r.as_array())
            .ok_or("多边形应至少包含一个环")?;
        let mut ring = Ring::with_capacity(outer.len());
        for pos in outer {
            let pair = pos
                .as_array()
                .filter(|a| a.len() >= 2)
                .ok_or("坐标应为[经度, 纬度]")?;
            let (Some(lon), Some(lat)) = (pair[0].as_f64(), pair[1].as_f64()) else {
                return Err("坐标应为数字".into());
            };
            crate::validation::longitude(lon)?;
            crate::validation::latitude(lat)?;
            ring.push([lon, lat]);
        }
        if ring.len() < 4 || ring.first() != ring.last() {
            return Err("多边形的环应至少有4个坐标且首尾相同（闭合）".into());
        }
        rings.push(ring);
    }
    if rings.is_empty() {
        return Err("边界不能为空".into());
    }
    Ok(rings)
}

/// Writes rings as a GeoJSON geometry (Polygon for one ring, else MultiPolygon).
pub fn to_geometry(rings: &[Ring]) -> serde_json::Value {
    if rings.len() == 1 {
        serde_json::json!({"type": "Polygon", "coordinates": [rings[0]]})
    } else {
        let polys: Vec<_> = rings.iter().map(|r| vec![r.clone()]).collect();
        serde_json::json!({"type": "MultiPolygon", "coordinates": polys})
    }
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
