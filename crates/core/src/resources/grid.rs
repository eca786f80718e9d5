//! Distances and the search grid: the great-circle distance, the cell every located resource
//! stores, the cells a radius or a bounding box covers, and the search's radii.

/// Great-circle distance in metres between two `[lon, lat]` points (haversine, mean radius).
pub fn distance_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    const R: f64 = 6_371_008.8;
    let (lat1, lat2) = (a[1].to_radians(), b[1].to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b[0] - a[0]).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Side of a search cell in degrees (≈ 2 km). Every located resource stores the cell it is in, an
/// integer with a B-tree index that both backends have, so a radius search reads the cells that
/// cover the circle's bounding box instead of every row (ADR 0010).
pub const CELL_DEG: f64 = 0.02;
const CELLS_PER_ROW: i64 = 100_000;

pub fn cell_of(lon: f64, lat: f64) -> i64 {
    let row = ((lat + 90.0) / CELL_DEG).floor() as i64;
    let col = ((lon + 180.0) / CELL_DEG).floor() as i64;
    row * CELLS_PER_ROW + col
}

/// The cells that cover the bounding box of a circle of `radius_m` around a point, as one
/// inclusive range of cell numbers per row of cells (a row's cells are consecutive numbers), so a
/// query reads a few index ranges instead of a long IN list.
pub fn cell_ranges_within(lon: f64, lat: f64, radius_m: f64) -> Vec<(i64, i64)> {
    let dlat = radius_m / 111_195.0;
    let dlon = radius_m / (111_195.0 * lat.to_radians().cos().max(0.01));
    let (r0, r1) = (
        ((lat - dlat + 90.0) / CELL_DEG).floor() as i64,
        ((lat + dlat + 90.0) / CELL_DEG).floor() as i64,
    );
    let (c0, c1) = (
        ((lon - dlon + 180.0) / CELL_DEG).floor() as i64,
        ((lon + dlon + 180.0) / CELL_DEG).floor() as i64,
    );
    (r0..=r1)
        .map(|r| (r * CELLS_PER_ROW + c0, r * CELLS_PER_ROW + c1))
        .collect()
}

/// The cells of a bounding box, one range per row of cells (like [`cell_ranges_within`]).
pub fn cell_ranges_of_bbox(
    min_lon: f64,
    min_lat: f64,
    max_lon: f64,
    max_lat: f64,
) -> Vec<(i64, i64)> {
    let (r0, r1) = (
        ((min_lat + 90.0) / CELL_DEG).floor() as i64,
        ((max_lat + 90.0) / CELL_DEG).floor() as i64,
    );
    let (c0, c1) = (
        ((min_lon + 180.0) / CELL_DEG).floor() as i64,
        ((max_lon + 180.0) / CELL_DEG).floor() as i64,
    );
    (r0..=r1)
        .map(|r| (r * CELLS_PER_ROW + c0, r * CELLS_PER_ROW + c1))
        .collect()
}

/// The radii a nearest-first search widens through until it has enough results (metres).
pub const SEARCH_RINGS_M: [f64; 3] = [5_000.0, 20_000.0, 60_000.0];
/// The widest radius a search may ask for.
pub const MAX_RADIUS_M: f64 = 100_000.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        // One degree of latitude ≈ 111.2 km; 九江 to 南昌 ≈ 112 km apart.
        let d = distance_m([116.0, 29.0], [116.0, 30.0]);
        assert!((d - 111_195.0).abs() < 100.0, "{d}");
        assert!(distance_m([116.0, 29.7], [116.0, 29.7]) < 1e-6);
        let jn = distance_m([115.99, 29.71], [115.86, 28.68]);
        assert!((110_000.0..120_000.0).contains(&jn), "{jn}");
    }

    #[test]
    fn cells_cover_the_circle() {
        let (lon, lat) = (115.99, 29.71);
        let ranges = cell_ranges_within(lon, lat, 10_000.0);
        let covered = |c: i64| ranges.iter().any(|&(a, b)| (a..=b).contains(&c));
        // Every point within 10 km lies in a listed cell.
        for i in 0..200 {
            let a = (i as f64) * 0.0314;
            let p = [lon + 0.09 * a.cos() * 1.03, lat + 0.089 * a.sin()];
            if distance_m([lon, lat], p) <= 10_000.0 {
                assert!(covered(cell_of(p[0], p[1])));
            }
        }
        assert!(ranges.len() <= 11, "{}", ranges.len());
        assert!(covered(cell_of(lon, lat)));
    }
}
