//! 灾害过程 (disasters.md §1): a disaster's type and sub-type (亚灾种, what the county reports),
//! its start, the townships (乡镇/街道) it affects, its status 进行中 → 已稳定 → 已核报, and whether it
//! is a major disaster (daily 续报). Who may read and write, and the checks of the input.

use crate::kernel::clock::parse_instant;
use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid, optional_text};

/// Main types with their sub-types (亚灾种) as the 自然灾害情况统计调查制度 lists them.
/// (code, label, sub-types as (code, label)).
pub type Kind = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

pub const KINDS: &[Kind] = &[
    (
        "flood",
        "洪涝",
        &[
            ("rainstorm", "暴雨"),
            ("flood", "洪水"),
            ("waterlogging", "城乡内涝"),
            ("flash_flood", "山洪"),
        ],
    ),
    ("drought", "干旱", &[("drought", "干旱")]),
    ("typhoon", "台风", &[("typhoon", "台风")]),
    (
        "hail",
        "风雹",
        &[
            ("gale", "大风"),
            ("hail", "冰雹"),
            ("tornado", "龙卷风"),
            ("lightning", "雷电"),
        ],
    ),
    (
        "cold",
        "低温冷冻",
        &[("frost", "霜冻"), ("cold_injury", "低温冷害")],
    ),
    ("snow", "雪灾", &[("snow", "雪灾")]),
    ("sandstorm", "沙尘暴", &[("sandstorm", "沙尘暴")]),
    ("earthquake", "地震", &[("earthquake", "地震")]),
    (
        "geological",
        "地质灾害",
        &[
            ("collapse", "崩塌"),
            ("landslide", "滑坡"),
            ("debris_flow", "泥石流"),
            ("subsidence", "地面塌陷"),
        ],
    ),
    (
        "marine",
        "海洋灾害",
        &[("storm_surge", "风暴潮"), ("tsunami", "海啸")],
    ),
    (
        "forest_fire",
        "森林草原火灾",
        &[("forest_fire", "森林火灾"), ("grassland_fire", "草原火灾")],
    ),
    ("biological", "生物灾害", &[("biological", "重大生物灾害")]),
];

pub fn kind_label(kind: &str) -> &'static str {
    KINDS.iter().find(|k| k.0 == kind).map_or("", |k| k.1)
}

pub fn subtype_label(kind: &str, subtype: &str) -> &'static str {
    KINDS
        .iter()
        .find(|k| k.0 == kind)
        .and_then(|k| k.2.iter().find(|s| s.0 == subtype))
        .map_or("", |s| s.1)
}

/// 进行中 → 已稳定 (灾情稳定) → 已核报.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ongoing,
    Stable,
    Verified,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ongoing => "ongoing",
            Self::Stable => "stable",
            Self::Verified => "verified",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Ongoing => "进行中",
            Self::Stable => "已稳定",
            Self::Verified => "已核报",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Ongoing, Self::Stable, Self::Verified]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

pub const NOT_A_READER: &str =
    "灾情报送仅供应急管理局、部门、街道/社区人员和网格员（灾害信息员）查看";
pub const NOT_A_MANAGER: &str = "只有应急管理局、部门和街道人员可以登记或变更灾害过程";
pub const NOT_A_REPORTER: &str = "您无权报送灾情";
pub const TOWNSHIP_OUTSIDE_SCOPE: &str = "该乡镇（街道）不在您的管辖范围内";

/// May read the processes covering their area.
pub fn may_read(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DutyOfficer
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::GridWorker
    )
}

/// May register a process, mark it stable, configure the district's reporting.
pub fn may_manage(role: Role) -> bool {
    may_read(role) && role != Role::GridWorker
}

/// May file a report (a 灾害信息员 with an account is a grid worker: for their township).
pub fn may_report(role: Role) -> bool {
    may_read(role)
}

/// May change the district's settings (jump ratio, higher-level recipients).
pub fn may_configure(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander)
}

/// Whether a township (9 digits) is within a caller's region prefix: the district's staff cover
/// every township of it, a street's or a grid's staff their own township.
pub fn covers(prefix: Option<&str>, township: &str) -> bool {
    match prefix {
        None => true,
        Some(p) => township.starts_with(p) || p.starts_with(township),
    }
}

#[derive(Debug, Clone, Default)]
pub struct ProcessInput {
    pub kind: String,
    pub subtype: String,
    pub name: Option<String>,
    /// RFC 3339 or `2026-07-10 14:00` (Asia/Shanghai).
    pub started_at: String,
    /// The affected townships' codes.
    pub townships: Vec<String>,
    pub major: bool,
    pub incident_id: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedProcess {
    pub kind: String,
    pub subtype: String,
    pub name: String,
    pub started_ms: i64,
    /// (code, name) of each township, in the order given.
    pub townships: Vec<(String, String)>,
    pub major: bool,
    pub incident_id: Option<String>,
    pub note: Option<String>,
}

/// What the check needs to know: the district's townships (code, name) and which of them the
/// caller covers.
pub struct District<'a> {
    pub code: &'a str,
    pub townships: &'a [(String, String)],
    pub prefix: Option<&'a str>,
}

/// Checks a new process; every error names its field (`townships[2]` for a row).
pub fn check_process(
    input: &ProcessInput,
    district: &District<'_>,
    now_ms: i64,
) -> Result<CheckedProcess, Invalid> {
    let mut errs = Errors::default();
    let kind = input.kind.trim();
    let subtype = input.subtype.trim();
    if kind_label(kind).is_empty() {
        errs.add("kind", format!("灾种“{kind}”无效"));
    } else if subtype_label(kind, subtype).is_empty() {
        errs.add(
            "subtype",
            format!("亚灾种“{subtype}”不属于{}", kind_label(kind)),
        );
    }
    let started_ms = errs.check("started_at", parse_instant(&input.started_at));
    if started_ms.is_some_and(|s| s > now_ms + 5 * 60_000) {
        errs.add("started_at", "灾害发生时间不能晚于现在");
    }
    let townships = check_townships(&mut errs, &input.townships, district);
    let name = errs
        .check(
            "name",
            optional_text("名称", input.name.as_deref().unwrap_or(""), 100),
        )
        .flatten();
    let note = errs
        .check(
            "note",
            optional_text("备注", input.note.as_deref().unwrap_or(""), 2000),
        )
        .flatten();
    let incident_id = input
        .incident_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    match (errs.is_empty(), started_ms) {
        (true, Some(started_ms)) => {
            let day = crate::kernel::clock::today(started_ms);
            Ok(CheckedProcess {
                name: name
                    .unwrap_or_else(|| format!("{}{}灾害过程", day, subtype_label(kind, subtype))),
                kind: kind.into(),
                subtype: subtype.into(),
                started_ms,
                townships,
                major: input.major,
                incident_id,
                note,
            })
        }
        _ => Err(errs.into_invalid()),
    }
}

/// The affected townships: at least one, each once, each a township of the district the
/// caller covers.
pub fn check_townships(
    errs: &mut Errors,
    codes: &[String],
    district: &District<'_>,
) -> Vec<(String, String)> {
    if codes.is_empty() {
        errs.add("townships", "请选择受灾乡镇（街道）");
    }
    if codes.len() > 200 {
        errs.add("townships", "受灾乡镇（街道）最多 200 个");
        return vec![];
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for (i, raw) in codes.iter().enumerate() {
        let code = raw.trim();
        let field = format!("townships[{i}]");
        let row = i + 1;
        match district.townships.iter().find(|t| t.0 == code) {
            None => errs.add(
                &field,
                format!(
                    "第{row}行：乡镇（街道）“{code}”不是本区（{}）的乡镇（街道）",
                    district.code
                ),
            ),
            Some(_) if out.iter().any(|t| t.0 == code) => {
                errs.add(&field, format!("第{row}行：乡镇（街道）“{code}”重复"));
            }
            Some(t) if !covers(district.prefix, &t.0) => errs.add(
                &field,
                format!("第{row}行：{}：{TOWNSHIP_OUTSIDE_SCOPE}", t.1),
            ),
            Some(t) => out.push(t.clone()),
        }
    }
    out
}

/// 灾情稳定: the time it became stable, not before the start nor in the future.
pub fn check_stable(started_ms: i64, raw: &str, now_ms: i64) -> Result<i64, Invalid> {
    let ms = parse_instant(raw).map_err(|m| Invalid::one("stable_at", m))?;
    if ms < started_ms {
        return Err(Invalid::one(
            "stable_at",
            "灾情稳定时间不能早于灾害发生时间",
        ));
    }
    if ms > now_ms + 5 * 60_000 {
        return Err(Invalid::one("stable_at", "灾情稳定时间不能晚于现在"));
    }
    Ok(ms)
}

pub fn created_summary(name: &str, townships: usize) -> String {
    format!("登记灾害过程“{name}”，涉及 {townships} 个乡镇（街道）")
}

pub fn stable_summary(name: &str, day: &str) -> String {
    format!("灾害过程“{name}”灾情稳定（{day}），进入核报")
}
