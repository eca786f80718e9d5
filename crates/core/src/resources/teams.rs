//! 救援队伍: the team input, its check, the wording of its audit record and the status a dispatch
//! or a return leads to.

use super::fields::{count, located, required_phone, text_list};
use super::{TEAM_KINDS, TEAM_STATUSES, label, one_of};
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    pub name: String,
    /// fire / professional / enterprise / social / grassroots / medical
    pub kind: String,
    #[serde(default)]
    pub specialties: Vec<String>,
    pub headcount: i64,
    /// 主要装备, free text.
    #[serde(default)]
    pub equipment: String,
    pub base_address: String,
    pub lon: f64,
    pub lat: f64,
    /// The district or street the team belongs to.
    pub region_code: String,
    pub leader: String,
    pub phone: String,
    /// standby / resting / unavailable (出动 only by dispatch).
    #[serde(default)]
    pub status: Option<String>,
}

/// A team input that passed `check_team`: trimmed, every field valid.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedTeam {
    pub name: String,
    pub kind: String,
    pub specialties: Vec<String>,
    pub headcount: i64,
    pub equipment: String,
    pub base_address: String,
    pub lon: f64,
    pub lat: f64,
    pub leader: String,
    pub phone: String,
    pub status: String,
}

pub fn check_team(input: &TeamInput) -> Result<CheckedTeam, Invalid> {
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("队伍名称", &input.name, 60));
    let kind = errs.check("kind", one_of(TEAM_KINDS, "队伍类型", &input.kind));
    let specialties = text_list(&mut errs, "specialties", "专长", &input.specialties);
    let headcount = count(&mut errs, "headcount", "队伍人数", input.headcount, 100_000);
    let equipment = errs
        .check(
            "equipment",
            optional_text("主要装备", &input.equipment, 500),
        )
        .flatten()
        .unwrap_or_default();
    let base = errs.check(
        "base_address",
        required_text("驻地", &input.base_address, 200),
    );
    let at = located(&mut errs, input.lon, input.lat);
    let leader = errs.check("leader", required_text("负责人", &input.leader, 30));
    let tel = required_phone(&mut errs, &input.phone);
    let status = input.status.clone().unwrap_or_else(|| "standby".into());
    if !matches!(status.as_str(), "standby" | "resting" | "unavailable") {
        errs.add(
            "status",
            "队伍状态应为：待命、休整、不可用（出动由调派产生）",
        );
    }
    match (name, kind, base, at, leader, tel, errs.is_empty()) {
        (
            Some(name),
            Some(kind),
            Some(base_address),
            Some((lon, lat)),
            Some(leader),
            Some(phone),
            true,
        ) => Ok(CheckedTeam {
            name,
            kind,
            specialties,
            headcount,
            equipment,
            base_address,
            lon,
            lat,
            leader,
            phone,
            status,
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// The audit summary of a team registered (`created`) or edited.
pub fn team_summary(created: bool, t: &CheckedTeam) -> String {
    if created {
        format!(
            "登记救援队伍：{}（{}，{}人）",
            t.name,
            label(TEAM_KINDS, &t.kind),
            t.headcount
        )
    } else {
        format!("修改救援队伍：{}", t.name)
    }
}

/// A team goes out only from 待命; it comes back to 待命 from 出动.
pub fn team_transition(status: &str, action: &str) -> Result<&'static str, String> {
    match (status, action) {
        ("standby", "dispatch") => Ok("dispatched"),
        ("dispatched", "return") => Ok("standby"),
        (s, "dispatch") => Err(format!("队伍当前{}，不能调派", label(TEAM_STATUSES, s))),
        (s, "return") => Err(format!("队伍当前{}，无需归队", label(TEAM_STATUSES, s))),
        _ => Err("操作应为：调派、归队".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> TeamInput {
        TeamInput {
            name: " 蓝天救援队 ".into(),
            kind: "social".into(),
            specialties: vec![],
            headcount: 30,
            equipment: String::new(),
            base_address: "城关镇".into(),
            lon: 115.99,
            lat: 29.72,
            region_code: "360402".into(),
            leader: "张三".into(),
            phone: "13800000000".into(),
            status: None,
        }
    }

    #[test]
    fn a_team_is_trimmed_and_standing_by() {
        let t = check_team(&input()).unwrap();
        assert_eq!(t.name, "蓝天救援队");
        assert_eq!(t.status, "standby");
        assert!(team_summary(true, &t).starts_with("登记救援队伍：蓝天救援队（"));
        assert_eq!(team_summary(false, &t), "修改救援队伍：蓝天救援队");
    }

    #[test]
    fn dispatched_is_not_settable() {
        let mut i = input();
        i.status = Some("dispatched".into());
        assert_eq!(
            check_team(&i).unwrap_err().summary(),
            "队伍状态应为：待命、休整、不可用（出动由调派产生）"
        );
    }

    #[test]
    fn teams_go_out_from_standby_only() {
        assert_eq!(team_transition("standby", "dispatch"), Ok("dispatched"));
        assert!(
            team_transition("dispatched", "dispatch")
                .unwrap_err()
                .contains("出动")
        );
        assert_eq!(team_transition("dispatched", "return"), Ok("standby"));
        assert!(team_transition("standby", "return").is_err());
    }
}
