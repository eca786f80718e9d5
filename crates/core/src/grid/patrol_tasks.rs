//! 巡查任务: a patrol task given to a grid worker for one of their grids (comprehensive or
//! overlay), with a planned route or checkpoints and a due day (Asia/Shanghai); the track the
//! phone records during the patrol (time-stamped points, bounded), and the task's status, overdue
//! computed when read.

use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid, latitude, longitude, required_text};

/// At most this many track points are kept with a task.
pub const MAX_TRACK_POINTS: usize = 2000;

/// At most this many points in a planned route or checkpoint list.
pub const MAX_ROUTE_POINTS: usize = 500;

pub const STATUSES: &[(&str, &str)] = &[
    ("pending", "待巡查"),
    ("in_progress", "进行中"),
    ("done", "已完成"),
    ("overdue", "已逾期"),
];

/// May read patrol tasks: their own (grid workers, street staff), or those of their area.
pub fn may_read(role: Role) -> bool {
    matches!(
        role,
        Role::GridWorker | Role::StreetStaff | Role::Commander | Role::Admin
    )
}

/// Reads the tasks of their area, not only their own (and may give tasks there, see
/// `overlays::may_manage`).
pub fn supervises(role: Role) -> bool {
    matches!(role, Role::StreetStaff | Role::Commander | Role::Admin)
}

pub const NOT_A_TASK_GIVER: &str = "只有系统管理员、局领导和本街道人员可以下达巡查任务";
pub const NOT_THE_ASSIGNEE: &str = "只有接受任务的网格员可以执行该巡查任务";
pub const ALREADY_DONE: &str = "巡查任务已完成";

/// The status shown: a task not done after its due day (Asia/Shanghai) is 已逾期.
pub fn shown_status(stored: &str, due_day: &str, now_ms: i64) -> &'static str {
    if stored == "done" {
        return "done";
    }
    let today = crate::kernel::clock::today(now_ms).to_string();
    if due_day < today.as_str() {
        return "overdue";
    }
    if stored == "in_progress" {
        "in_progress"
    } else {
        "pending"
    }
}

pub fn status_label(s: &str) -> &'static str {
    crate::kernel::label_of(STATUSES, s).unwrap_or("")
}

#[derive(Debug, Clone, Default)]
pub struct TaskInput {
    pub title: String,
    pub assignee_id: String,
    /// The grid: a comprehensive grid's region code or an overlay's code.
    pub grid_code: String,
    /// The planned route (GeoJSON LineString) or checkpoints (MultiPoint).
    pub route: Option<serde_json::Value>,
    /// YYYY-MM-DD.
    pub due_day: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedTask {
    pub title: String,
    pub route: Option<serde_json::Value>,
    pub due_day: String,
    pub note: Option<String>,
}

/// Title, due day (not before today), route: a LineString or MultiPoint of at most 500 points.
pub fn check_task(input: &TaskInput, now_ms: i64) -> Result<CheckedTask, Invalid> {
    let mut errs = Errors::default();
    let title = errs.check("title", required_text("任务名称", &input.title, 100));
    if input.assignee_id.trim().is_empty() {
        errs.add("assignee_id", "请选择执行任务的网格员");
    }
    if input.grid_code.trim().is_empty() {
        errs.add("grid_code", "请选择巡查的网格");
    }
    let due = input.due_day.trim();
    match due.parse::<jiff::civil::Date>() {
        Err(_) => errs.add("due_day", "完成日期格式应为 2026-12-05"),
        Ok(d) if d < crate::kernel::clock::today(now_ms) => {
            errs.add("due_day", "完成日期不能早于今天")
        }
        Ok(_) => {}
    }
    let route = match &input.route {
        None | Some(serde_json::Value::Null) => None,
        Some(r) => errs
            .check("route", check_route(r).map(|_| r.clone()))
            .map(Some)
            .unwrap_or(None),
    };
    let note = errs
        .check(
            "note",
            crate::kernel::validation::optional_text(
                "任务说明",
                input.note.as_deref().unwrap_or(""),
                500,
            ),
        )
        .flatten();
    match (errs.is_empty(), title) {
        (true, Some(title)) => Ok(CheckedTask {
            title,
            route,
            due_day: due.to_string(),
            note,
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// A planned route: a GeoJSON LineString (at least two points) or MultiPoint (checkpoints).
fn check_route(v: &serde_json::Value) -> Result<(), String> {
    let kind = v.get("type").and_then(|t| t.as_str()).unwrap_or("");
    if kind != "LineString" && kind != "MultiPoint" {
        return Err("巡查路线应为 GeoJSON LineString（路线）或 MultiPoint（检查点）".into());
    }
    let points = v
        .get("coordinates")
        .and_then(|c| c.as_array())
        .ok_or("巡查路线缺少coordinates")?;
    if points.is_empty() || (kind == "LineString" && points.len() < 2) {
        return Err("巡查路线至少需要两个点，检查点至少一个".into());
    }
    if points.len() > MAX_ROUTE_POINTS {
        return Err(format!("巡查路线最多{MAX_ROUTE_POINTS}个点"));
    }
    for (i, p) in points.iter().enumerate() {
        let pair = p.as_array().filter(|a| a.len() >= 2);
        let lonlat = pair.and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)));
        let Some((lon, lat)) = lonlat else {
            return Err(format!("巡查路线第{}个点应为[经度, 纬度]", i + 1));
        };
        longitude(lon)
            .and_then(|_| latitude(lat))
            .map_err(|e| format!("巡查路线第{}个点：{e}", i + 1))?;
    }
    Ok(())
}

/// A point of a track as the phone sends it.
#[derive(Debug, Clone, Copy, Default)]
pub struct TrackPointInput {
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// Epoch milliseconds.
    pub t: Option<i64>,
}

/// A checked track point `[lon, lat, t_ms]`.
pub type TrackPoint = (f64, f64, i64);

/// Checks the points the phone sends: each with a longitude, a latitude inside China and a time
/// no earlier than the previous one, not after now (a minute's slack) and not before `since`;
/// together with the `kept` points at most [`MAX_TRACK_POINTS`]. Errors name the point: field
/// `points[i].lon`, “轨迹第 i+1 个点…”.
pub fn check_track(
    points: &[TrackPointInput],
    kept: usize,
    since_ms: i64,
    now_ms: i64,
) -> Result<Vec<TrackPoint>, Invalid> {
    if points.is_empty() {
        return Err(Invalid::one("points", "轨迹点不能为空"));
    }
    if kept + points.len() > MAX_TRACK_POINTS {
        return Err(Invalid::one(
            "points",
            format!(
                "一个巡查任务的轨迹最多{MAX_TRACK_POINTS}个点（已有{kept}个，本次{}个）",
                points.len()
            ),
        ));
    }
    let mut out = Vec::with_capacity(points.len());
    let mut last = since_ms;
    for (i, p) in points.iter().enumerate() {
        let n = i + 1;
        let field = |f: &str| format!("points[{i}].{f}");
        let lon = p
            .lon
            .ok_or_else(|| Invalid::one(field("lon"), format!("轨迹第{n}个点缺少经度")))?;
        let lat = p
            .lat
            .ok_or_else(|| Invalid::one(field("lat"), format!("轨迹第{n}个点缺少纬度")))?;
        longitude(lon).map_err(|e| Invalid::one(field("lon"), format!("轨迹第{n}个点：{e}")))?;
        latitude(lat).map_err(|e| Invalid::one(field("lat"), format!("轨迹第{n}个点：{e}")))?;
        let t =
            p.t.ok_or_else(|| Invalid::one(field("t"), format!("轨迹第{n}个点缺少时间")))?;
        if t < last || t > now_ms + 60_000 {
            return Err(Invalid::one(
                field("t"),
                format!("轨迹第{n}个点的时间不对：应在任务开始之后、不晚于现在，且不早于前一个点"),
            ));
        }
        last = t;
        out.push((lon, lat, t));
    }
    Ok(out)
}

/// The audit summary of a task given.
pub fn created_summary(title: &str, assignee: &str, grid_name: &str, due_day: &str) -> String {
    format!("向{assignee}下达巡查任务“{title}”（{grid_name}，{due_day}前完成）")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_795_449_600_000 + 10 * 3_600_000; // 2026-11-24 10:00 +08:00

    #[test]
    fn statuses() {
        assert_eq!(shown_status("pending", "2026-11-24", NOW), "pending");
        assert_eq!(shown_status("in_progress", "2026-11-23", NOW), "overdue");
        assert_eq!(shown_status("done", "2026-11-01", NOW), "done");
        assert_eq!(status_label("overdue"), "已逾期");
    }

    #[test]
    fn tasks() {
        let ok = TaskInput {
            title: "河道巡查".into(),
            assignee_id: "u".into(),
            grid_code: "g".into(),
            route: Some(
                json!({"type": "LineString", "coordinates": [[116.0, 29.7], [116.01, 29.7]]}),
            ),
            due_day: "2026-11-24".into(),
            note: None,
        };
        assert!(check_task(&ok, NOW).is_ok());
        let bad = TaskInput {
            route: Some(
                json!({"type": "LineString", "coordinates": [[116.0, 29.7], [200.0, 29.7]]}),
            ),
            due_day: "2026-11-23".into(),
            ..ok
        };
        let e = check_task(&bad, NOW).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["due_day", "route"]);
        assert!(e.0[1].message.contains("第2个点"));
    }

    #[test]
    fn tracks() {
        let p = |lon, t| TrackPointInput {
            lon: Some(lon),
            lat: Some(29.7),
            t: Some(t),
        };
        assert_eq!(
            check_track(&[p(116.0, NOW - 10)], 0, 0, NOW).unwrap().len(),
            1
        );
        let e = check_track(&[p(116.0, NOW - 10), p(10.0, NOW)], 0, 0, NOW).unwrap_err();
        assert_eq!(e.0[0].field, "points[1].lon");
        assert!(e.0[0].message.starts_with("轨迹第2个点"));
        let e = check_track(&[p(116.0, NOW), p(116.0, NOW - 10)], 0, 0, NOW).unwrap_err();
        assert_eq!(e.0[0].field, "points[1].t");
        assert!(check_track(&[p(116.0, NOW)], MAX_TRACK_POINTS, 0, NOW).is_err());
    }
}
