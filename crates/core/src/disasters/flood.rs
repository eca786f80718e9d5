//! 防汛与地灾: the 三个责任人 of a reservoir, dike, 山洪危险区 or 地灾隐患点 (and for a 地灾隐患点 its
//! 群测群防员 and 片区负责人), 汛期三查 / 群测群防 patrol logs, and which of the persons a targeted
//! warning's work order goes to (by the order's actions).

use crate::kernel::validation::{
    Errors, Invalid, latitude, longitude, optional_text, phone, required_text,
};
use serde::Deserialize;

/// The 承灾体 kinds that have 防汛 / 地灾 duty persons.
pub const DUTY_KINDS: &[&str] = &["reservoir", "dike", "flash_flood", "geohazard"];

/// The duties, in the order a 公示牌 lists them.
pub const DUTIES: &[(&str, &str)] = &[
    ("administrative", "行政责任人"),
    ("technical", "技术责任人"),
    ("patrol", "巡查责任人"),
    ("monitor", "群测群防员"),
    ("area", "片区负责人"),
];

pub fn duty_label(code: &str) -> &'static str {
    DUTIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// The duties an object of `kind` must have: the three, and for a 地灾隐患点 five.
pub fn duties_for(kind: &str) -> &'static [(&'static str, &'static str)] {
    if kind == "geohazard" {
        DUTIES
    } else {
        &DUTIES[..3]
    }
}

/// The object is not one that has duty persons.
pub fn wrong_kind(label: &str) -> String {
    format!("承灾体类型“{label}”没有防汛责任人（应为水库、堤防、山洪危险区或地灾隐患点）")
}

/// One duty person as given.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FloodDutyPersonInput {
    /// administrative / technical / patrol / monitor (群测群防员) / area (片区负责人)
    pub duty: String,
    pub name: String,
    /// 职务 (镇长, 水利站站长 …).
    #[serde(default)]
    pub post: String,
    pub phone: String,
    /// Their account, if they have one (they get the work orders and file patrols on the phone).
    #[serde(default)]
    pub user_id: Option<String>,
}

/// A duty person, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedDuty {
    pub duty: String,
    pub name: String,
    pub post: String,
    pub phone: String,
    pub user_id: Option<String>,
}

/// Checks an object's duty persons: each duty of its kind at most once, name and phone given,
/// the phone a phone. Fields are named `persons[i].phone`.
pub fn check_duty_persons(
    kind: &str,
    persons: &[FloodDutyPersonInput],
) -> Result<Vec<CheckedDuty>, Invalid> {
    let mut errs = Errors::default();
    let allowed = duties_for(kind);
    let mut out = Vec::new();
    for (i, p) in persons.iter().enumerate() {
        let f = |k: &str| format!("persons[{i}].{k}");
        let row = i + 1;
        if !allowed.iter().any(|(c, _)| *c == p.duty) {
            let names: Vec<&str> = allowed.iter().map(|(_, l)| *l).collect();
            errs.add(
                &f("duty"),
                format!(
                    "第{row}人：职责“{}”无效（应为{}）",
                    p.duty,
                    names.join("、")
                ),
            );
        } else if persons[..i].iter().any(|q| q.duty == p.duty) {
            errs.add(
                &f("duty"),
                format!("第{row}人：{}重复", duty_label(&p.duty)),
            );
        }
        let name = errs.check(&f("name"), required_text("姓名", &p.name, 30));
        let post = errs
            .check(&f("post"), optional_text("职务", &p.post, 60))
            .flatten()
            .unwrap_or_default();
        let ph = match phone("电话", &p.phone) {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                errs.add(&f("phone"), format!("第{row}人：电话不能为空"));
                None
            }
            Err(m) => {
                errs.add(&f("phone"), format!("第{row}人：{m}"));
                None
            }
        };
        if let (Some(name), Some(phone)) = (name, ph) {
            out.push(CheckedDuty {
                duty: p.duty.clone(),
                name,
                post,
                phone,
                user_id: p.user_id.clone().filter(|u| !u.is_empty()),
            });
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs.into_invalid())
    }
}

/// The duties of `kind` nobody holds, as their labels.
pub fn missing_duties(kind: &str, present: &[String]) -> Vec<String> {
    duties_for(kind)
        .iter()
        .filter(|(c, _)| !present.iter().any(|p| p == c))
        .map(|(_, l)| l.to_string())
        .collect()
}

/// Which duty persons an order with `actions` goes to, each with their actions: 巡查 / 巡护 /
/// 设置警示 to the 巡查责任人 (and a 地灾隐患点's 群测群防员); 控制水位 / 加固 / 消险 to the 技术责任人;
/// 转移 and every other action (通知, 停工 …) to the 行政责任人. A duty nobody holds is skipped by
/// the caller.
pub fn duties_for_actions(kind: &str, actions: &[String]) -> Vec<(&'static str, Vec<String>)> {
    let mut out: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut add = |duty: &'static str, a: &str| match out.iter_mut().find(|(d, _)| *d == duty) {
        Some((_, list)) => list.push(a.to_string()),
        None => out.push((duty, vec![a.to_string()])),
    };
    for a in actions {
        match a.as_str() {
            "巡查" | "巡护" | "设置警示" => {
                add("patrol", a);
                if kind == "geohazard" {
                    add("monitor", a);
                }
            }
            "控制水位" | "加固" | "消险" => add("technical", a),
            _ => add("administrative", a),
        }
    }
    out
}

/// The notice of a work order to a duty person (title, body).
pub fn order_notice(
    headline: &str,
    object_name: &str,
    duty: &str,
    actions: &[String],
    minutes: i64,
) -> (String, String) {
    (
        format!("{headline}：响应工单"),
        format!(
            "您是“{object_name}”的{}，请{}，并在 {minutes} 分钟内回复“收到”。",
            duty_label(duty),
            actions.join("、")
        ),
    )
}

/// The patrol kinds: 汛期三查 and 群测群防巡查.
pub const PATROL_KINDS: &[(&str, &str)] = &[
    ("pre_season", "汛前检查"),
    ("in_season", "汛中巡查"),
    ("post_season", "汛后复查"),
    ("mass_monitoring", "群测群防巡查"),
];

pub fn patrol_kind_label(code: &str) -> &'static str {
    PATROL_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// A patrol log as filed from the phone page.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FloodPatrolInput {
    pub object_id: String,
    /// pre_season / in_season / post_season / mass_monitoring
    pub kind: String,
    /// When (RFC 3339); now when left out. Not in the future.
    #[serde(default)]
    pub at: Option<String>,
    pub lon: f64,
    pub lat: f64,
    /// Where, in words (坝顶、溢洪道 …).
    #[serde(default)]
    pub place: String,
    /// normal (正常) / abnormal (异常)
    pub result: String,
    /// What was found; required when abnormal.
    #[serde(default)]
    pub finding: Option<String>,
    /// Photos (attachment ids).
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// A patrol log, checked.
#[derive(Debug, Clone)]
pub struct CheckedPatrol {
    pub kind: String,
    pub at_ms: i64,
    pub lon: f64,
    pub lat: f64,
    pub place: String,
    pub abnormal: bool,
    pub finding: Option<String>,
}

/// Checks a patrol log at `now_ms`.
pub fn check_patrol(input: &FloodPatrolInput, now_ms: i64) -> Result<CheckedPatrol, Invalid> {
    let mut errs = Errors::default();
    if !PATROL_KINDS.iter().any(|(c, _)| *c == input.kind) {
        errs.add(
            "kind",
            "巡查类型应为汛前检查、汛中巡查、汛后复查或群测群防巡查",
        );
    }
    let at_ms = match input.at.as_deref().filter(|s| !s.is_empty()) {
        None => Some(now_ms),
        Some(s) => match crate::kernel::clock::parse_instant(s) {
            Ok(t) if t > now_ms + 60_000 => {
                errs.add("at", "巡查时间不能晚于现在");
                None
            }
            Ok(t) => Some(t),
            Err(m) => {
                errs.add("at", format!("巡查时间：{m}"));
                None
            }
        },
    };
    let lon = errs.check("lon", longitude(input.lon));
    let lat = errs.check("lat", latitude(input.lat));
    let place = errs
        .check("place", optional_text("地点", &input.place, 100))
        .flatten()
        .unwrap_or_default();
    let abnormal = match input.result.as_str() {
        "normal" => false,
        "abnormal" => true,
        _ => {
            errs.add("result", "巡查结果应为 normal（正常）或 abnormal（异常）");
            false
        }
    };
    let finding = errs
        .check(
            "finding",
            optional_text("发现问题", input.finding.as_deref().unwrap_or(""), 1000),
        )
        .flatten();
    if abnormal && finding.is_none() && !errs.has("finding") {
        errs.add("finding", "巡查结果为异常时请填写发现的问题");
    }
    match (at_ms, lon, lat, errs.is_empty()) {
        (Some(at_ms), Some(lon), Some(lat), true) => Ok(CheckedPatrol {
            kind: input.kind.clone(),
            at_ms,
            lon,
            lat,
            place,
            abnormal,
            finding: if abnormal { finding } else { None },
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// The notice of an 异常 finding to the 行政 and 技术责任人 (title, body).
pub fn abnormal_notice(object_name: &str, kind: &str, by: &str, finding: &str) -> (String, String) {
    (
        format!("{}发现异常：{object_name}", patrol_kind_label(kind)),
        format!("{by}在{}中发现：{finding}", patrol_kind_label(kind)),
    )
}

/// The audit summary of a saved duty register.
pub fn duty_saved(object_name: &str, persons: &[CheckedDuty]) -> String {
    let list: Vec<String> = persons
        .iter()
        .map(|p| format!("{}{}", duty_label(&p.duty), p.name))
        .collect();
    format!("防汛责任人：{object_name}（{}）", list.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(duty: &str, phone: &str) -> FloodDutyPersonInput {
        FloodDutyPersonInput {
            duty: duty.into(),
            name: "张三".into(),
            post: "镇长".into(),
            phone: phone.into(),
            user_id: None,
        }
    }

    #[test]
    fn duty_persons_are_checked_by_row() {
        let ok = check_duty_persons("reservoir", &[person("administrative", "13900000001")]);
        assert_eq!(ok.unwrap().len(), 1);
        let bad = check_duty_persons(
            "reservoir",
            &[
                person("administrative", "12345"),
                person("monitor", "13900000001"),
                person("administrative", "13900000001"),
            ],
        )
        .unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["persons[0].phone", "persons[1].duty", "persons[2].duty"]
        );
        assert!(check_duty_persons("geohazard", &[person("monitor", "13900000001")]).is_ok());
    }

    #[test]
    fn actions_go_to_their_duty() {
        let a = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            duties_for_actions("reservoir", &a(&["通知", "巡查", "控制水位"])),
            vec![
                ("administrative", a(&["通知"])),
                ("patrol", a(&["巡查"])),
                ("technical", a(&["控制水位"]))
            ]
        );
        let g = duties_for_actions("geohazard", &a(&["巡查", "转移"]));
        assert_eq!(g.len(), 3);
        assert_eq!(missing_duties("dike", &["patrol".into()]).len(), 2);
    }

    #[test]
    fn an_abnormal_patrol_needs_a_finding() {
        let input = FloodPatrolInput {
            object_id: "o".into(),
            kind: "in_season".into(),
            at: None,
            lon: 116.0,
            lat: 29.7,
            place: String::new(),
            result: "abnormal".into(),
            finding: None,
            attachments: vec![],
        };
        assert_eq!(check_patrol(&input, 0).unwrap_err().0[0].field, "finding");
    }
}
