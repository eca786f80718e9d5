//! CAP's value types read from text: date-times, points, polygons (with the ring rules also used
//! for polygons drawn in the console) and circles.

use crate::*;

/// `YYYY-MM-DDThh:mm:ss±hh:mm` exactly (the schema's pattern: no `Z`, no fractions).
pub(crate) fn parse_datetime(t: &str) -> Result<DateTime, String> {
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        r.into_iter()
            .all(|i| b.get(i).is_some_and(u8::is_ascii_digit))
    };
    let shape = b.len() == 25
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && (b[19] == b'+' || b[19] == b'-')
        && digits(20..22)
        && b[22] == b':'
        && digits(23..25);
    if !shape {
        return Err(format!(
            "时间“{t}”格式不正确：应为 2026-07-01T10:00:00+08:00（须带时区偏移，不用 Z）"
        ));
    }
    let ts: jiff::Timestamp = t
        .parse()
        .map_err(|_| format!("时间“{t}”不是有效的日期时间"))?;
    Ok(DateTime {
        text: t.to_string(),
        epoch_ms: ts.as_millisecond(),
    })
}

fn parse_point(s: &str) -> Result<Point, String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("坐标“{s}”应为“纬度,经度”"))?;
    let (lat, lon) = (
        a.trim()
            .parse::<f64>()
            .map_err(|_| format!("纬度“{a}”不是数值"))?,
        b.trim()
            .parse::<f64>()
            .map_err(|_| format!("经度“{b}”不是数值"))?,
    );
    if !lat.is_finite() || !lon.is_finite() {
        return Err(format!("坐标“{s}”不是有限数值"));
    }
    if !(-90.0..=90.0).contains(&lat) {
        // A Chinese longitude where the latitude should be: the pair is the wrong way round.
        if (73.0..=136.0).contains(&lat) && (3.0..=54.0).contains(&lon) {
            return Err(format!(
                "坐标“{s}”的经纬度可能颠倒：CAP 坐标顺序为“纬度,经度”（如 29.70,115.99）"
            ));
        }
        return Err(format!("纬度 {lat} 超出范围 -90 到 90"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("经度 {lon} 超出范围 -180 到 180"));
    }
    Ok(Point { lat, lon })
}

pub(super) fn parse_polygon(
    text: &str,
    max_points: usize,
) -> Result<Polygon, (&'static str, String)> {
    let mut points = Vec::new();
    for (i, pair) in text.split_whitespace().enumerate() {
        if i >= max_points {
            return Err((
                "POLYGON_TOO_MANY_POINTS",
                format!("多边形顶点超过 {max_points} 个，请简化后再发送"),
            ));
        }
        points.push(parse_point(pair).map_err(|m| ("INVALID_POLYGON", m))?);
    }
    check_ring(&points, max_points)?;
    Ok(Polygon { points })
}

/// The rules of a CAP polygon on points already read: at least four, closed, at most
/// `max_points`, not crossing itself. Also used for polygons drawn in the console.
pub fn check_ring(points: &[Point], max_points: usize) -> Result<(), (&'static str, String)> {
    if points.len() > max_points {
        return Err((
            "POLYGON_TOO_MANY_POINTS",
            format!("多边形顶点超过 {max_points} 个，请简化后再发送"),
        ));
    }
    if points.len() < 4 {
        return Err((
            "INVALID_POLYGON",
            format!(
                "多边形至少需要 4 个坐标点（首尾相同），实际 {} 个",
                points.len()
            ),
        ));
    }
    if points.first() != points.last() {
        return Err((
            "INVALID_POLYGON",
            "多边形未闭合：第一个坐标点应与最后一个相同".into(),
        ));
    }
    if let Some((i, j)) = self_intersection(points) {
        return Err((
            "INVALID_POLYGON_SELF_INTERSECTION",
            format!("多边形自相交：第 {} 条边与第 {} 条边相交", i + 1, j + 1),
        ));
    }
    Ok(())
}

/// The first pair of non-adjacent edges that cross, if any (edges i: points[i] → points[i+1]).
fn self_intersection(p: &[Point]) -> Option<(usize, usize)> {
    let n = p.len() - 1; // edges of the closed ring
    let seg = |i: usize| (p[i], p[i + 1]);
    let orient = |a: Point, b: Point, c: Point| {
        let v = (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon);
        if v > 0.0 {
            1
        } else if v < 0.0 {
            -1
        } else {
            0
        }
    };
    let on = |a: Point, b: Point, c: Point| {
        c.lon >= a.lon.min(b.lon)
            && c.lon <= a.lon.max(b.lon)
            && c.lat >= a.lat.min(b.lat)
            && c.lat <= a.lat.max(b.lat)
    };
    // Edges sorted by their left end let each one be compared only with those that overlap it in x.
    let mut order: Vec<usize> = (0..n).collect();
    let min_x = |i: usize| p[i].lon.min(p[i + 1].lon);
    let max_x = |i: usize| p[i].lon.max(p[i + 1].lon);
    order.sort_by(|&a, &b| min_x(a).total_cmp(&min_x(b)));
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            if min_x(j) > max_x(i) {
                break;
            }
            let (lo, hi) = (i.min(j), i.max(j));
            if hi == lo + 1 || (lo == 0 && hi == n - 1) {
                continue; // neighbours share a point
            }
            let ((a, b), (c, d)) = (seg(i), seg(j));
            let (o1, o2, o3, o4) = (
                orient(a, b, c),
                orient(a, b, d),
                orient(c, d, a),
                orient(c, d, b),
            );
            let crosses = (o1 != o2 && o3 != o4)
                || (o1 == 0 && on(a, b, c))
                || (o2 == 0 && on(a, b, d))
                || (o3 == 0 && on(c, d, a))
                || (o4 == 0 && on(c, d, b));
            if crosses {
                return Some((lo, hi));
            }
        }
    }
    None
}

pub(super) fn parse_circle(text: &str) -> Result<Circle, String> {
    let mut parts = text.split_whitespace();
    let (Some(c), Some(r), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!(
            "圆形区域“{}”应为“纬度,经度 半径（公里）”",
            text.trim()
        ));
    };
    let centre = parse_point(c)?;
    let radius_km: f64 = r.parse().map_err(|_| format!("半径“{r}”不是数值"))?;
    if !radius_km.is_finite() || radius_km < 0.0 {
        return Err(format!("半径 {r} 应为非负数"));
    }
    Ok(Circle { centre, radius_km })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_follow_the_schema_pattern() {
        assert_eq!(
            parse_datetime("2026-07-01T10:00:00+08:00")
                .unwrap()
                .epoch_ms,
            1_782_871_200_000
        );
        assert!(parse_datetime("2026-07-01T10:00:00Z").is_err());
        assert!(parse_datetime("2026-07-01T10:00:00.5+08:00").is_err());
        assert!(parse_datetime("2026-02-30T10:00:00+08:00").is_err());
    }

    #[test]
    fn polygons_closed_with_four_points_and_no_crossing() {
        let ok = parse_polygon("29.70,115.95 29.70,116.00 29.75,116.00 29.70,115.95", 100).unwrap();
        assert_eq!(ok.lon_lat()[1], [116.00, 29.70]);
        assert!(
            parse_polygon("29.70,115.95 29.70,116.00 29.70,115.95", 100)
                .unwrap_err()
                .1
                .contains("至少需要 4 个")
        );
        assert!(
            parse_polygon("29.70,115.95 29.70,116.00 29.75,116.00 29.71,115.95", 100)
                .unwrap_err()
                .1
                .contains("未闭合")
        );
        let bow = parse_polygon("0,0 0,1 1,0 1,1 0,0", 100).unwrap_err();
        assert_eq!(bow.0, "INVALID_POLYGON_SELF_INTERSECTION");
        let swapped =
            parse_polygon("115.95,29.70 116.00,29.70 116.00,29.75 115.95,29.70", 100).unwrap_err();
        assert!(swapped.1.contains("颠倒"), "{}", swapped.1);
        assert_eq!(
            parse_polygon("0,0 0,1 1,1 0,0", 3).unwrap_err().0,
            "POLYGON_TOO_MANY_POINTS"
        );
        assert!(parse_circle("29.7,116.0 5").is_ok());
        assert!(parse_circle("29.7,116.0").is_err());
        assert!(parse_circle("29.7,116.0 -1").is_err());
    }
}
