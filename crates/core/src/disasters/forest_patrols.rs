//! 护林员 patrols and 火点: the checks of what the phone page sends, the 火点's states, and who may
//! do what in 森林防火 (the forest authority's staff, 局领导 and administrators keep the
//! registers and decide; the duty officer enters levels; rangers — grid workers — report).

use super::forest::{ForestConfig, parse_hectares};
use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use serde::{Deserialize, Serialize};

/// Whether the caller keeps the forest registers and decides applications: administrators,
/// 局领导, and the staff of the configured forest authority (`department`: the caller's own).
pub fn may_keep(role: Role, department: Option<&str>, config: &ForestConfig) -> bool {
    match role {
        Role::Admin | Role::Commander => true,
        Role::DepartmentStaff => {
            department.is_some() && department == config.authority_department_id.as_deref()
        }
        _ => false,
    }
}

/// Whether the caller may enter a day's level: the keepers and the duty officer.
pub fn may_enter_levels(role: Role, department: Option<&str>, config: &ForestConfig) -> bool {
    role == Role::DutyOfficer || may_keep(role, department, config)
}

/// Whether the caller sees the forest pages (areas, levels, applications of their region): the
/// keepers, the duty officer and street staff (their street).
pub fn may_read(role: Role, department: Option<&str>, config: &ForestConfig) -> bool {
    matches!(role, Role::DutyOfficer | Role::StreetStaff) || may_keep(role, department, config)
}

/// Whether the caller may confirm a 火点 as an incident (those who may record incidents and keep
/// the forest registers).
pub fn may_confirm(role: Role, department: Option<&str>, config: &ForestConfig) -> bool {
    role == Role::DutyOfficer || may_keep(role, department, config)
}

pub const NOT_A_READER: &str = "仅森林防火主管部门、局领导、值班员和街道人员可查看森林防火信息";
pub const NOT_A_LEVEL_KEEPER: &str =
    "仅森林防火主管部门人员、值班员、局领导或系统管理员可录入火险等级";
pub const NOT_A_RANGER: &str = "仅护林员（网格员账号）可从手机端报送巡护记录和火点";

/// Results of a patrol.
pub const RESULTS: &[(&str, &str)] = &[
    ("normal", "正常"),
    ("hazard", "发现隐患"),
    ("fire", "发现火情"),
    ("fire_use", "发现违规用火"),
];

/// Sizes of a 火点 (the ranger's estimate).
pub const SIZES: &[(&str, &str)] = &[
    ("smoke", "烟点"),
    ("small", "小火（1公顷以下）"),
    ("medium", "中火（1至10公顷）"),
    ("large", "大火（10公顷以上）"),
];

fn label(list: &[(&str, &'static str)], code: &str) -> &'static str {
    list.iter().find(|p| p.0 == code).map(|p| p.1).unwrap_or("")
}

pub fn result_label(code: &str) -> &'static str {
    label(RESULTS, code)
}

pub fn size_label(code: &str) -> &'static str {
    label(SIZES, code)
}

/// A patrol as the phone sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ForestPatrolInput)]
pub struct PatrolInput {
    pub area_id: String,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339; not before the start, not in the future.
    pub ended_at: String,
    /// The track, or the points checked, as [lon, lat].
    #[serde(default)]
    pub track: Vec<[f64; 2]>,
    /// See RESULTS.
    pub result: String,
    #[serde(default)]
    pub note: Option<String>,
    /// Photos (ids of the caller's own uploads).
    #[serde(default)]
    pub photo_ids: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CheckedPatrol {
    pub area_id: String,
    pub started_ms: i64,
    pub ended_ms: i64,
    pub track: Vec<[f64; 2]>,
    pub result: String,
    pub note: Option<String>,
    pub photo_ids: Vec<String>,
}

/// Checks a patrol against the time now.
pub fn check_patrol(input: &PatrolInput, now_ms: i64) -> Result<CheckedPatrol, Invalid> {
    let mut errs = Errors::default();
    let time = |f: &str, l: &str, s: &str, errs: &mut Errors| {
        errs.check(
            f,
            crate::kernel::clock::parse_instant(s).map_err(|e| format!("{l}：{e}")),
        )
    };
    let start = time("started_at", "开始时间", &input.started_at, &mut errs);
    let end = time("ended_at", "结束时间", &input.ended_at, &mut errs);
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            errs.add("ended_at", "结束时间不能早于开始时间");
        } else if e > now_ms + 5 * 60_000 {
            errs.add("ended_at", "结束时间不能晚于现在");
        }
    }
    for (i, [lon, lat]) in input.track.iter().enumerate() {
        if crate::kernel::validation::longitude(*lon).is_err()
            || crate::kernel::validation::latitude(*lat).is_err()
        {
            errs.add(
                &format!("track[{i}]"),
                format!("第{}个轨迹点坐标无效", i + 1),
            );
        }
    }
    if input.track.len() > 5000 {
        errs.add("track", "轨迹点最多5000个");
    }
    if result_label(&input.result).is_empty() {
        errs.add(
            "result",
            "巡护结果应为正常、发现隐患、发现火情或发现违规用火",
        );
    }
    if input.area_id.trim().is_empty() {
        errs.add("area_id", "请选择巡护的林区");
    }
    let note = errs
        .check(
            "note",
            optional_text("说明", input.note.as_deref().unwrap_or(""), 1000),
        )
        .flatten();
    match (start, end) {
        (Some(s), Some(e)) if errs.is_empty() => Ok(CheckedPatrol {
            area_id: input.area_id.trim().into(),
            started_ms: s,
            ended_ms: e,
            track: input.track.clone(),
            result: input.result.clone(),
            note,
            photo_ids: input.photo_ids.clone(),
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// A 火点 as the phone sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ForestFirePointInput)]
pub struct FirePointInput {
    pub lon: f64,
    pub lat: f64,
    /// The forest area, when known (else found from the point).
    #[serde(default)]
    pub area_id: Option<String>,
    /// See SIZES.
    pub size: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub photo_ids: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CheckedFirePoint {
    pub lon: f64,
    pub lat: f64,
    pub area_id: Option<String>,
    pub size: String,
    pub note: Option<String>,
    pub photo_ids: Vec<String>,
}

impl CheckedFirePoint {
    pub fn size_label(&self) -> &'static str {
        size_label(&self.size)
    }
}

pub fn check_fire_point(input: &FirePointInput) -> Result<CheckedFirePoint, Invalid> {
    let mut errs = Errors::default();
    crate::kernel::validation::coordinates(&mut errs, Some(input.lon), Some(input.lat));
    if size_label(&input.size).is_empty() {
        errs.add("size", "火点规模应为烟点、小火、中火或大火");
    }
    let note = errs
        .check(
            "note",
            optional_text("说明", input.note.as_deref().unwrap_or(""), 1000),
        )
        .flatten();
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedFirePoint {
        lon: input.lon,
        lat: input.lat,
        area_id: input.area_id.clone().filter(|a| !a.trim().is_empty()),
        size: input.size.clone(),
        note,
        photo_ids: input.photo_ids.clone(),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ForestFirePointStatus)]
pub enum FirePointStatus {
    Reported,
    /// A forest fire: an incident 森林火灾 was opened.
    Confirmed,
    /// 误报 (e.g. smoke from a kitchen).
    Dismissed,
}

impl FirePointStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Reported => "reported",
            Self::Confirmed => "confirmed",
            Self::Dismissed => "dismissed",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Reported => "待核实",
            Self::Confirmed => "已确认为森林火灾",
            Self::Dismissed => "误报",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Reported, Self::Confirmed, Self::Dismissed]
            .into_iter()
            .find(|x| x.code() == s)
    }
}

/// The bureau's decision on a 火点.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ForestFirePointDecision)]
pub struct FirePointDecision {
    /// true: a forest fire (an incident 森林火灾 is opened); false: 误报.
    pub confirm: bool,
    /// 过火林地面积 (受害森林面积) in hectares, e.g. "2.5"; counted in the 受害率.
    #[serde(default)]
    pub burnt_ha: Option<String>,
    /// The incident's title (default: the area's name and 森林火灾).
    #[serde(default)]
    pub title: Option<String>,
    /// 简要经过 for the incident (default: the ranger's note).
    #[serde(default)]
    pub account: Option<String>,
}

/// The burnt area of a decision in square metres (0 when not given).
pub fn burnt_of(d: &FirePointDecision) -> Result<i64, Invalid> {
    let text = match d.burnt_ha.as_deref().map(str::trim) {
        None | Some("") => return Ok(0),
        Some(t) => t,
    };
    parse_hectares("过火林地面积", text).map_err(|m| Invalid::one("burnt_ha", m))
}

/// The incident title of a confirmed 火点.
pub fn incident_title(area: Option<&str>, title: Option<&str>) -> String {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.chars().take(100).collect(),
        None => format!("{}森林火灾", area.unwrap_or("")),
    }
}

/// A 火点 that is not 待核实 any more.
pub const POINT_DECIDED: &str = "该火点已处理";

pub fn check_account(s: &str) -> Result<String, String> {
    required_text("简要经过", s, 2000)
}
