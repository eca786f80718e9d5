//! Whether two areas overlap, and whether one lies within another: enough for overlay grids
//! drawn by hand or imported (vertex in polygon, edge crossing, an interior point of each), with
//! shared borders allowed — adjacent grids touch along their edges.

use crate::kernel::geo::{self, Polygon};

const EPS: f64 = 1e-10;

fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

/// Whether `p` lies on an edge of one of the rings of `area` (within a hair).
fn on_boundary(area: &[Polygon], p: [f64; 2]) -> bool {
    area.iter().flatten().any(|ring| {
        ring.windows(2).any(|e| {
            let (a, b) = (e[0], e[1]);
            orient(a, b, p).abs() <= EPS
                && p[0] >= a[0].min(b[0]) - 1e-12
                && p[0] <= a[0].max(b[0]) + 1e-12
                && p[1] >= a[1].min(b[1]) - 1e-12
                && p[1] <= a[1].max(b[1]) + 1e-12
        })
    })
}

/// The test points of an area: its vertices and the midpoints of its edges.
fn probes(area: &[Polygon]) -> impl Iterator<Item = [f64; 2]> + '_ {
    area.iter().flatten().flat_map(|ring| {
        let mids: Vec<[f64; 2]> = ring
            .windows(2)
            .map(|e| [(e[0][0] + e[1][0]) / 2.0, (e[0][1] + e[1][1]) / 2.0])
            .collect();
        ring.iter().copied().chain(mids)
    })
}

/// Whether an edge of `a` properly crosses an edge of `b`.
fn edges_cross(a: &[Polygon], b: &[Polygon]) -> bool {
    let edges = |area: &[Polygon]| -> Vec<([f64; 2], [f64; 2])> {
        area.iter()
            .flatten()
            .flat_map(|r| r.windows(2).map(|e| (e[0], e[1])))
            .collect()
    };
    let eb = edges(b);
    edges(a).iter().any(|&(p, q)| {
        eb.iter().any(|&(r, s)| {
            let (d1, d2) = (orient(p, q, r), orient(p, q, s));
            let (d3, d4) = (orient(r, s, p), orient(r, s, q));
            d1 * d2 < -EPS * EPS && d3 * d4 < -EPS * EPS
        })
    })
}

/// Whether the interiors of two areas overlap (touching along a border or at a corner is not an
/// overlap).
pub fn areas_overlap(a: &[Polygon], b: &[Polygon]) -> bool {
    let (Some(ba), Some(bb)) = (
        geo::BBox::of(&a.iter().flatten().cloned().collect::<Vec<_>>()),
        geo::BBox::of(&b.iter().flatten().cloned().collect::<Vec<_>>()),
    ) else {
        return false;
    };
    if ba.max_lon <= bb.min_lon
        || bb.max_lon <= ba.min_lon
        || ba.max_lat <= bb.min_lat
        || bb.max_lat <= ba.min_lat
    {
        return false;
    }
    let inside = |p: [f64; 2], other: &[Polygon]| {
        !on_boundary(other, p) && geo::area_contains(other, p[0], p[1])
    };
    probes(a).any(|p| inside(p, b))
        || probes(b).any(|p| inside(p, a))
        || edges_cross(a, b)
        || geo::area_interior_point(a).is_some_and(|p| inside(p, b))
        || geo::area_interior_point(b).is_some_and(|p| inside(p, a))
}

/// Whether every vertex of `inner` lies inside `outer` or on its border, and no edge of `inner`
/// crosses out of it.
pub fn area_within(inner: &[Polygon], outer: &[Polygon]) -> bool {
    inner
        .iter()
        .flat_map(|p| p.first())
        .flatten()
        .all(|&p| on_boundary(outer, p) || geo::area_contains(outer, p[0], p[1]))
        && !edges_cross(inner, outer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64, d: f64) -> Vec<Polygon> {
        vec![vec![vec![
            [x, y],
            [x + d, y],
            [x + d, y + d],
            [x, y + d],
            [x, y],
        ]]]
    }

    #[test]
    fn overlaps() {
        let a = square(116.0, 29.7, 0.1);
        // The same square, a square inside, one crossing, one beside (shared edge), one apart.
        assert!(areas_overlap(&a, &square(116.0, 29.7, 0.1)));
        assert!(areas_overlap(&a, &square(116.02, 29.72, 0.01)));
        assert!(areas_overlap(&square(116.02, 29.72, 0.01), &a));
        assert!(areas_overlap(&a, &square(116.05, 29.75, 0.1)));
        assert!(!areas_overlap(&a, &square(116.1, 29.7, 0.1)));
        assert!(!areas_overlap(&a, &square(116.1, 29.8, 0.1)));
        assert!(!areas_overlap(&a, &square(117.0, 29.7, 0.1)));
        // A cross: no vertex of either inside the other, only crossing edges.
        let h = vec![vec![vec![
            [115.9, 29.72],
            [116.2, 29.72],
            [116.2, 29.74],
            [115.9, 29.74],
            [115.9, 29.72],
        ]]];
        let v = vec![vec![vec![
            [116.02, 29.6],
            [116.04, 29.6],
            [116.04, 29.9],
            [116.02, 29.9],
            [116.02, 29.6],
        ]]];
        assert!(areas_overlap(&h, &v));
    }

    #[test]
    fn within() {
        let street = square(116.0, 29.7, 0.1);
        assert!(area_within(&square(116.0, 29.7, 0.05), &street));
        assert!(area_within(&street, &street));
        assert!(!area_within(&square(116.08, 29.7, 0.05), &street));
    }
}
