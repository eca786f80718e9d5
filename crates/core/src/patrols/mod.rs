//! 巡查打卡 (patrol check-ins): a grid worker or street staff member checks in at a place in their
//! area during a patrol, with an optional note and photos; supervisors see the check-ins of their
//! area. Who may do what, the input's check and the wording of the audit record.

use crate::kernel::geo;
use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid, coordinates, optional_text};

/// Who may not check in is told so.
pub const NOT_A_PATROLLER: &str = "只有网格员和街道/社区人员可以巡查打卡";

/// Who may not read patrols is told so.
pub const NOT_A_PATROL_READER: &str = "巡查记录仅供网格员、街道/社区人员、局领导和管理员查看";

/// May check in on a patrol: the people who walk the grid and the street.
pub fn may_check_in(role: Role) -> bool {
    matches!(role, Role::GridWorker | Role::StreetStaff)
}

/// May read the patrols of their area (not only their own): the street, the bureau's leaders and
/// the administrators.
pub fn may_supervise(role: Role) -> bool {
    matches!(role, Role::StreetStaff | Role::Commander | Role::Admin)
}

/// May read patrols at all (a grid worker reads their own).
pub fn may_read(role: Role) -> bool {
    may_check_in(role) || may_supervise(role)
}

#[derive(Debug, Clone, Default)]
pub struct PatrolInput {
    /// The grid, community or street patrolled; defaults to the caller's own area.
    pub region_code: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// The location's accuracy in metres, as the phone reports it.
    pub accuracy_m: Option<f64>,
    pub note: Option<String>,
    pub attachments: Vec<String>,
    /// The patrol task (巡查任务, `grid::patrol_tasks`) this check-in belongs to, if any.
    pub task_id: Option<String>,
}

/// A check-in that passed `check_patrol`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPatrol {
    pub lon: f64,
    pub lat: f64,
    pub accuracy_m: Option<f64>,
    pub note: Option<String>,
}

/// The location is required (a check-in says where one was), the note at most 500 characters.
pub fn check_patrol(input: &PatrolInput) -> Result<CheckedPatrol, Invalid> {
    let mut errs = Errors::default();
    if input.lon.is_none() && input.lat.is_none() {
        errs.add("lon", "请定位：打卡须记录所在位置（经纬度）");
    }
    coordinates(&mut errs, input.lon, input.lat);
    let accuracy_m = match input.accuracy_m {
        Some(a) if !(a.is_finite() && (0.0..=100_000.0).contains(&a)) => {
            errs.add("accuracy_m", "定位精度应为 0 至 100000 米");
            None
        }
        a => a.map(|a| a.round()),
    };
    let note = errs
        .check(
            "note",
            optional_text("巡查情况", input.note.as_deref().unwrap_or(""), 500),
        )
        .flatten();
    if input.attachments.len() > 20 {
        errs.add("attachments", crate::kernel::wording::TOO_MANY_ATTACHMENTS);
    }
    match (errs.is_empty(), input.lon, input.lat) {
        (true, Some(lon), Some(lat)) => Ok(CheckedPatrol {
            lon,
            lat,
            accuracy_m,
            note,
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// A day written YYYY-MM-DD as [start, end) in ms (Asia/Shanghai); without one, today.
pub fn day_span(field: &str, raw: Option<&str>, now_ms: i64) -> Result<(i64, i64), Invalid> {
    let day = match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => crate::kernel::clock::today(now_ms),
        Some(r) => r
            .parse::<jiff::civil::Date>()
            .map_err(|_| Invalid::one(field, format!("日期“{r}”格式不正确，应为 2026-11-24")))?,
    };
    let start = |d: jiff::civil::Date| {
        d.to_zoned_datetime(crate::kernel::clock::shanghai())
            .map(|z| z.timestamp().as_millisecond())
            .unwrap_or(0)
    };
    Ok((start(day), start(day.tomorrow().unwrap_or(day))))
}

/// Whether a check-in's point lies outside the boundary of the region patrolled (a GeoJSON
/// Polygon or MultiPolygon, holes outside). GPS is imprecise, so this is recorded and shown, never
/// refused; a region without a readable boundary gives nothing to compare with: not outside.
pub fn outside_area(boundary: Option<&serde_json::Value>, lon: f64, lat: f64) -> bool {
    match boundary.map(geo::polygons_of_geometry) {
        Some(Ok(polygons)) => !geo::area_contains(&polygons, lon, lat),
        _ => false,
    }
}

/// How a check-in outside the region patrolled is marked (the supervisors' list, the audit).
pub const OUTSIDE_AREA: &str = "不在巡查区域内";

/// The audit summary of a check-in.
pub fn check_in_summary(
    user_name: &str,
    region_name: &str,
    photos: usize,
    outside_area: bool,
) -> String {
    let photos = if photos > 0 {
        format!("，照片 {photos} 张")
    } else {
        String::new()
    };
    let outside = if outside_area {
        format!("（{OUTSIDE_AREA}）")
    } else {
        String::new()
    };
    format!("{user_name} 在{region_name}巡查打卡{photos}{outside}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        let checkers: Vec<Role> = Role::ALL.into_iter().filter(|r| may_check_in(*r)).collect();
        assert_eq!(checkers, vec![Role::StreetStaff, Role::GridWorker]);
        let readers: Vec<Role> = Role::ALL.into_iter().filter(|r| may_read(*r)).collect();
        assert_eq!(
            readers,
            vec![
                Role::Admin,
                Role::Commander,
                Role::StreetStaff,
                Role::GridWorker
            ]
        );
        assert!(!may_supervise(Role::GridWorker));
    }

    #[test]
    fn input_is_checked() {
        let ok = PatrolInput {
            lon: Some(116.0),
            lat: Some(29.7),
            accuracy_m: Some(12.4),
            note: Some("  正常 ".into()),
            ..Default::default()
        };
        let c = check_patrol(&ok).unwrap();
        assert_eq!(
            (c.accuracy_m, c.note.as_deref()),
            (Some(12.0), Some("正常"))
        );
        let e = check_patrol(&PatrolInput::default()).unwrap_err();
        assert_eq!(e.0[0].field, "lon");
        let far = PatrolInput {
            lon: Some(10.0),
            lat: Some(29.7),
            note: Some("x".repeat(501)),
            ..Default::default()
        };
        let e = check_patrol(&far).unwrap_err();
        assert!(e.0.iter().any(|f| f.field == "lon"));
        assert!(e.0.iter().any(|f| f.field == "note"));
    }

    #[test]
    fn days() {
        let (a, b) = day_span("day", Some("2026-11-24"), 0).unwrap();
        assert_eq!(b - a, 86_400_000);
        assert_eq!(a, 1_795_449_600_000); // 2026-11-24 00:00 +08:00
        assert!(day_span("day", Some("24.11.2026"), 0).is_err());
    }

    #[test]
    fn summary() {
        assert_eq!(
            check_in_summary("张三", "甘棠街道第1网格", 2, false),
            "张三 在甘棠街道第1网格巡查打卡，照片 2 张"
        );
        assert_eq!(
            check_in_summary("张三", "甘棠街道第1网格", 0, true),
            "张三 在甘棠街道第1网格巡查打卡（不在巡查区域内）"
        );
    }

    #[test]
    fn outside_the_area() {
        // A square with a square hole.
        let b = serde_json::json!({"type": "Polygon", "coordinates": [
            [[116.0, 29.7], [116.1, 29.7], [116.1, 29.8], [116.0, 29.8], [116.0, 29.7]],
            [[116.04, 29.74], [116.06, 29.74], [116.06, 29.76], [116.04, 29.76], [116.04, 29.74]],
        ]});
        assert!(!outside_area(Some(&b), 116.02, 29.72));
        assert!(outside_area(Some(&b), 116.2, 29.72));
        assert!(outside_area(Some(&b), 116.05, 29.75));
        // No boundary, or an unreadable one: nothing to say.
        assert!(!outside_area(None, 116.2, 29.72));
        assert!(!outside_area(
            Some(&serde_json::json!({"type": "Point"})),
            116.2,
            29.72
        ));
    }
}
