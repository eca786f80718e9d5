//! 疑似重复 (issue 24 item 1): events of the same category within `duplicate_radius_m` metres
//! and `duplicate_window_hours` of each other are proposed to the duty room, which merges one
//! into another.

use crate::grid::events_config::GridEventConfig;
use crate::resources::grid::distance_m;

pub const MERGE_SELF: &str = "不能把事件合并到它自己";
pub const MERGE_CHAIN: &str = "目标事件已合并到其他事件，请合并到主事件";
pub const MERGE_CATEGORY: &str = "只能合并同一分类的事件";

/// The box (min_lon, max_lon, min_lat, max_lat) around a point that holds every point within
/// `radius_m` (a prefilter for the query; the distance decides).
pub fn bbox(lon: f64, lat: f64, radius_m: u32) -> (f64, f64, f64, f64) {
    let dlat = f64::from(radius_m) / 111_000.0;
    let dlon = dlat / lat.to_radians().cos().abs().max(0.01);
    (lon - dlon, lon + dlon, lat - dlat, lat + dlat)
}

/// The span of filing times (ms) searched around `created_ms`.
pub fn window(config: &GridEventConfig, created_ms: i64) -> (i64, i64) {
    let w = i64::from(config.duplicate_window_hours) * 3_600_000;
    (created_ms - w, created_ms + w)
}

/// Whether the other point lies within the radius.
pub fn near(config: &GridEventConfig, a: [f64; 2], b: [f64; 2]) -> bool {
    distance_m(a, b) <= f64::from(config.duplicate_radius_m)
}

pub fn merged_summary(title: &str, code: &str, into_code: &str) -> String {
    format!("网格事件“{title}”（{code}）作为重复事件合并至{into_code}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_and_window() {
        let c = GridEventConfig::default();
        assert!(near(&c, [115.99, 29.71], [115.9905, 29.7102]));
        assert!(!near(&c, [115.99, 29.71], [116.0, 29.71]));
        let (a, b, cmin, d) = bbox(115.99, 29.71, 100);
        assert!(a < 115.99 && b > 115.99 && cmin < 29.71 && d > 29.71);
        assert_eq!(window(&c, 0), (-72 * 3_600_000, 72 * 3_600_000));
    }
}
