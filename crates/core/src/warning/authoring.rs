//! Authoring a warning: its input and check, the defaults of its headline and area, and the
//! wording of its refusals and audit records (the CAP message itself is written by the app).

use super::{EVENT_TYPES, STATUSES, Step, event_label, level_colour};
use crate::kernel::clock::parse_instant;
use crate::kernel::geo;
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};

#[derive(Debug, Clone)]
pub struct WarningInput {
    /// rainstorm / gale / heat … (GET /api/v1/warnings/meta).
    pub event_code: String,
    /// 1 红 / 2 橙 / 3 黄 / 4 蓝.
    pub level: i64,
    pub headline: Option<String>,
    pub description: String,
    pub instruction: String,
    /// The area drawn on the map: a GeoJSON Polygon or MultiPolygon (lon, lat) …
    pub area: Option<serde_json::Value>,
    /// … or regions (streets, communities) whose boundaries make the area.
    pub region_codes: Vec<String>,
    pub area_desc: Option<String>,
    /// RFC 3339; defaults to now.
    pub effective_at: Option<String>,
    pub expires_at: String,
    /// The published warning this one updates (更新).
    pub supersedes: Option<String>,
}

#[derive(Debug, Clone)]
pub struct StepInput {
    /// submit (提交审核) / approve (审核发布) / reject (退回) / cancel (解除)
    pub action: String,
    pub note: Option<String>,
}

/// What became of the warning an input names in `supersedes`, as read by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Superseded {
    /// None named.
    None,
    /// Published and not cancelled: it may be updated.
    Updatable,
    /// Any other status.
    NotUpdatable,
    /// Not found (or not seen by the caller).
    Missing,
}

/// A warning input that passed [`check_warning`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedWarning {
    pub description: String,
    pub instruction: String,
    pub headline: Option<String>,
    pub area_desc: Option<String>,
    pub effective_ms: i64,
    pub expires_ms: i64,
    /// The drawn area, if one was drawn.
    pub drawn: Vec<geo::Polygon>,
}

/// Every field of a new warning, reported together: a known event type, level 1–4, content
/// and guidance, lengths, times (effective before expiry, expiry in the future), an area drawn
/// (`drawn`: the caller's reading of `input.area`) or regions chosen, and an updatable warning
/// to supersede.
pub fn check_warning(
    input: &WarningInput,
    now_ms: i64,
    drawn: Option<Result<Vec<geo::Polygon>, String>>,
    superseded: Superseded,
) -> Result<CheckedWarning, Invalid> {
    let mut errs = Errors::default();
    check_kind(&mut errs, input);
    let description = errs.check(
        "description",
        required_text("预警内容", &input.description, 4000),
    );
    let instruction = errs.check(
        "instruction",
        required_text("防御指南", &input.instruction, 4000),
    );
    let headline = errs
        .check(
            "headline",
            optional_text("标题", input.headline.as_deref().unwrap_or(""), 140),
        )
        .flatten();
    let area_desc = errs
        .check(
            "area_desc",
            optional_text("区域描述", input.area_desc.as_deref().unwrap_or(""), 200),
        )
        .flatten();
    let (effective, expires) = check_period(&mut errs, input, now_ms);
    let drawn = check_area(&mut errs, input, drawn);
    check_superseded(&mut errs, superseded);
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedWarning {
        description: description.unwrap_or_default(),
        instruction: instruction.unwrap_or_default(),
        headline,
        area_desc,
        effective_ms: effective.unwrap_or(now_ms),
        expires_ms: expires.unwrap_or(now_ms),
        drawn,
    })
}

/// The event type is known and the level is 1 to 4.
fn check_kind(errs: &mut Errors, input: &WarningInput) {
    if !EVENT_TYPES.iter().any(|(c, _)| *c == input.event_code) {
        errs.add("event_code", format!("预警类型“{}”无效", input.event_code));
    }
    if !(1..=4).contains(&input.level) {
        errs.add("level", "预警级别应为 1（红色）至 4（蓝色）");
    }
}

/// When the warning takes effect (now unless given) and expires: after it takes effect and
/// not already past.
fn check_period(
    errs: &mut Errors,
    input: &WarningInput,
    now_ms: i64,
) -> (Option<i64>, Option<i64>) {
    let effective = match input
        .effective_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(s) => errs.check(
            "effective_at",
            parse_instant(s).map_err(|m| format!("生效时间{m}")),
        ),
        None => Some(now_ms),
    };
    let expires = errs.check(
        "expires_at",
        parse_instant(&input.expires_at).map_err(|m| format!("失效时间{m}")),
    );
    if let (Some(e), Some(x)) = (effective, expires) {
        if x <= e {
            errs.add("expires_at", "失效时间应晚于生效时间");
        } else if x <= now_ms {
            errs.add("expires_at", "失效时间已过");
        }
    }
    (effective, expires)
}

/// The drawn area as the caller read it (its problem reported under `area`), and that there
/// is an area at all, drawn or of regions.
fn check_area(
    errs: &mut Errors,
    input: &WarningInput,
    drawn: Option<Result<Vec<geo::Polygon>, String>>,
) -> Vec<geo::Polygon> {
    let drawn = match drawn {
        Some(Ok(r)) => r,
        Some(Err(m)) => {
            errs.add("area", m);
            Vec::new()
        }
        None => Vec::new(),
    };
    if input.area.is_none() && input.region_codes.is_empty() {
        errs.add("area", "请在地图上绘制预警区域或选择区划");
    }
    drawn
}

/// A warning named to be updated is published and not cancelled.
fn check_superseded(errs: &mut Errors, superseded: Superseded) {
    match superseded {
        Superseded::NotUpdatable => errs.add("supersedes", "只能更新已发布、未解除的预警"),
        Superseded::Missing => errs.add("supersedes", "要更新的预警不存在"),
        Superseded::None | Superseded::Updatable => {}
    }
}

/// Refused to the roles that may not author (`access::may_author_warnings`).
pub const MAY_NOT_AUTHOR: &str = "您没有起草预警的权限";

/// Refused to a role that may not take this step.
pub fn may_not_step(step: Step) -> String {
    format!("您没有{}预警的权限", step.label())
}

/// A chosen region outside the caller's scope.
pub fn region_out_of_scope(code: &str) -> String {
    format!("区划“{code}”不在您的管辖范围内，不能对其发布预警")
}

/// The headline when none is given: 浔阳区应急管理局发布暴雨红色预警.
pub fn default_headline(bureau: &str, event_code: &str, level: i64) -> String {
    format!(
        "{bureau}发布{}{}预警",
        event_label(event_code),
        level_colour(level)
    )
}

/// The area's description when none is given: the chosen regions' names, or 地图绘制区域.
pub fn default_area_desc(region_names: &[String]) -> String {
    if region_names.is_empty() {
        "地图绘制区域".into()
    } else {
        region_names.join("、")
    }
}

/// The headline of the warning that records a 解除.
pub fn cancel_headline(headline: &str) -> String {
    format!("解除：{headline}")
}

/// The status as shown: a published warning past its expiry reads 已过期.
pub fn status_label(status: &str, expired: bool) -> String {
    if status == "published" && expired {
        "已过期".into()
    } else {
        STATUSES
            .iter()
            .find(|(c, _)| *c == status)
            .map(|(_, l)| l.to_string())
            .unwrap_or_default()
    }
}

pub fn created_summary(headline: &str) -> String {
    format!("起草预警：{headline}")
}

pub fn step_summary(step: Step, headline: &str) -> String {
    format!("{}预警：{headline}", step.label())
}

/// Audit summary of a CAP message taken in.
pub fn ingested_summary(msg_type: &str, sender: &str, headline: &str) -> String {
    format!("接收预警（{msg_type}）：{sender} {headline}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> WarningInput {
        WarningInput {
            event_code: "rainstorm".into(),
            level: 2,
            headline: None,
            description: "内容".into(),
            instruction: "指南".into(),
            area: None,
            region_codes: vec!["360402001".into()],
            area_desc: None,
            effective_at: None,
            expires_at: "2030-01-01T00:00:00+08:00".into(),
            supersedes: None,
        }
    }

    #[test]
    fn checks_every_field_together() {
        let c = check_warning(&input(), 0, None, Superseded::None).unwrap();
        assert_eq!(c.effective_ms, 0);
        let bad = WarningInput {
            event_code: "x".into(),
            level: 5,
            region_codes: vec![],
            ..input()
        };
        let e = check_warning(&bad, 0, None, Superseded::Missing).unwrap_err();
        assert_eq!(
            e.summary(),
            "预警类型“x”无效；预警级别应为 1（红色）至 4（蓝色）；请在地图上绘制预警区域或选择区划；要更新的预警不存在"
        );
    }

    #[test]
    fn reports_problems_in_the_order_of_the_form() {
        let bad = WarningInput {
            event_code: "x".into(),
            level: 0,
            description: " ".into(),
            instruction: String::new(),
            headline: Some("标".repeat(141)),
            area_desc: Some("述".repeat(201)),
            effective_at: Some("2030-01-02T00:00:00+08:00".into()),
            ..input()
        };
        let fields = |r: Result<CheckedWarning, Invalid>| -> Vec<String> {
            r.unwrap_err().0.into_iter().map(|e| e.field).collect()
        };
        let drawn = Some(Err("区域无效".to_string()));
        let r = check_warning(&bad, 0, drawn, Superseded::NotUpdatable);
        assert_eq!(
            fields(r),
            [
                "event_code",
                "level",
                "description",
                "instruction",
                "headline",
                "area_desc",
                "expires_at",
                "area",
                "supersedes"
            ]
        );
        let expired = WarningInput {
            effective_at: Some("2029-01-01T00:00:00+08:00".into()),
            ..input()
        };
        let past = check_warning(&expired, 1_900_000_000_000, None, Superseded::None);
        assert_eq!(past.unwrap_err().summary(), "失效时间已过");
        let unreadable = WarningInput {
            effective_at: Some("明天".into()),
            ..input()
        };
        let r = check_warning(&unreadable, 0, None, Superseded::Updatable);
        assert_eq!(fields(r), ["effective_at"]);
    }

    #[test]
    fn wording() {
        assert_eq!(
            default_headline("浔阳区应急管理局", "rainstorm", 1),
            format!("浔阳区应急管理局发布暴雨{}预警", level_colour(1))
        );
        assert_eq!(default_area_desc(&[]), "地图绘制区域");
        assert_eq!(status_label("published", true), "已过期");
        assert_eq!(cancel_headline("甲"), "解除：甲");
        assert_eq!(
            ingested_summary("Alert", "s", "h"),
            "接收预警（Alert）：s h"
        );
    }
}
