//! A warning's area prepared for many point tests, touch tests against outlines, and the grid
//! cells it covers.

use crate::kernel::geo::{BBox, Polygon, Ring};

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
    use super::*;

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
