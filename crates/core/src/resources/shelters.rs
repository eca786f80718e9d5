//! 应急避难场所: the shelter input and its check, the movement input, occupancy in and out, the
//! status label and the wording of their audit records.

use super::fields::{count, located, required_phone, text_list};
use super::refusal::Refusal;
use super::{SHELTER_KINDS, label, one_of};
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShelterInput {
    pub name: String,
    /// emergency (紧急) / fixed (固定) / central (中心)
    pub kind: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    /// People it can hold.
    pub capacity: i64,
    /// 有效避难面积, m².
    #[serde(default)]
    pub area_m2: i64,
    /// 供水, 供电, 厕所, 医疗点, 物资储备 …
    #[serde(default)]
    pub facilities: Vec<String>,
    pub manager: String,
    pub phone: String,
}

/// A shelter input that passed `check_shelter`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedShelter {
    pub name: String,
    pub kind: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub capacity: i64,
    pub area_m2: i64,
    pub facilities: Vec<String>,
    pub manager: String,
    pub phone: String,
}

/// Checks a shelter; `occupancy` is the number of people in it now (0 for a new one), below
/// which the capacity cannot fall.
pub fn check_shelter(input: &ShelterInput, occupancy: i64) -> Result<CheckedShelter, Invalid> {
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("场所名称", &input.name, 60));
    let kind = errs.check("kind", one_of(SHELTER_KINDS, "场所类型", &input.kind));
    let address = errs.check("address", required_text("地址", &input.address, 200));
    let at = located(&mut errs, input.lon, input.lat);
    if input.capacity <= 0 {
        errs.add("capacity", "可容纳人数应大于0");
    } else if input.capacity < occupancy {
        errs.add(
            "capacity",
            format!("可容纳人数不能少于当前入住人数（{occupancy}人）"),
        );
    }
    let capacity = count(
        &mut errs,
        "capacity",
        "可容纳人数",
        input.capacity,
        10_000_000,
    );
    let area_m2 = count(
        &mut errs,
        "area_m2",
        "有效避难面积",
        input.area_m2,
        100_000_000,
    );
    let facilities = text_list(&mut errs, "facilities", "设施", &input.facilities);
    let manager = errs.check("manager", required_text("管理员", &input.manager, 30));
    let tel = required_phone(&mut errs, &input.phone);
    let (Some(name), Some(kind), Some(address), Some((lon, lat)), Some(manager), Some(phone), true) =
        (name, kind, address, at, manager, tel, errs.is_empty())
    else {
        return Err(errs.into_invalid());
    };
    Ok(CheckedShelter {
        name,
        kind,
        address,
        lon,
        lat,
        capacity,
        area_m2,
        facilities,
        manager,
        phone,
    })
}

/// The audit summary of a shelter registered (`created`) or edited.
pub fn shelter_summary(created: bool, s: &CheckedShelter) -> String {
    format!(
        "{}避难场所：{}（{}，可容纳{}人）",
        if created { "登记" } else { "修改" },
        s.name,
        label(SHELTER_KINDS, &s.kind),
        s.capacity
    )
}

/// 开放 / 关闭.
pub fn shelter_status_label(status: &str) -> &'static str {
    if status == "open" { "开放" } else { "关闭" }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShelterMovementInput {
    /// open (开放) / close (关闭) / check_in (入住) / check_out (离开)
    pub kind: String,
    #[serde(default)]
    pub people: i64,
    #[serde(default)]
    pub incident_id: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// What a movement did, in words (开放, 入住 3 人 …); None for an unknown kind.
pub fn movement_text(kind: &str, people: i64) -> Option<String> {
    match kind {
        "open" => Some("开放".to_string()),
        "close" => Some("关闭".to_string()),
        "check_in" => Some(format!("入住 {people} 人")),
        "check_out" => Some(format!("离开 {people} 人")),
        _ => None,
    }
}

/// The audit summary of a movement: the shelter, what happened, how many are in it now.
pub fn movement_summary(shelter: &str, text: &str, occupancy_after: i64) -> String {
    format!("{shelter}：{text}，现安置 {occupancy_after} 人")
}

/// Why a shelter with people in it cannot close.
pub fn still_occupied(occupancy: i64) -> String {
    format!("仍有 {occupancy} 人安置，须全部离开后才能关闭")
}

/// A shelter as read before a movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShelterState {
    /// Not deactivated.
    pub active: bool,
    pub open: bool,
    pub occupancy: i64,
    pub capacity: i64,
}

/// What a movement does to a shelter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShelterChange {
    Open,
    Close,
    CheckIn(i64),
    CheckOut(i64),
}

impl ShelterChange {
    /// The people it moves in (positive) or out (negative).
    pub fn people(self) -> i64 {
        match self {
            Self::Open | Self::Close => 0,
            Self::CheckIn(n) => n,
            Self::CheckOut(n) => -n,
        }
    }
}

/// A movement, checked against the shelter as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedMovement {
    pub change: ShelterChange,
    pub note: Option<String>,
}

/// Checks 开放 / 关闭 / 入住 / 离开: a deactivated shelter neither opens nor takes people in, it
/// opens only when closed and closes only when empty, and people move within its capacity.
pub fn check_movement(
    s: ShelterState,
    input: &ShelterMovementInput,
) -> Result<CheckedMovement, Refusal> {
    let note = optional_text("备注", input.note.as_deref().unwrap_or(""), 500)
        .map_err(|m| Refusal::invalid("note", m))?;
    if !s.active && matches!(input.kind.as_str(), "open" | "check_in") {
        return Err(Refusal::conflict(
            "kind",
            "该避难场所已停用，不能开放或入住",
        ));
    }
    let change = match input.kind.as_str() {
        "open" | "close" => {
            let opening = input.kind == "open";
            if opening == s.open {
                return Err(Refusal::conflict(
                    "kind",
                    format!("避难场所已{}", if s.open { "开放" } else { "关闭" }),
                ));
            }
            if !opening && s.occupancy > 0 {
                return Err(Refusal::invalid("kind", still_occupied(s.occupancy)));
            }
            if opening {
                ShelterChange::Open
            } else {
                ShelterChange::Close
            }
        }
        "check_in" => {
            check_in(s.open, s.occupancy, s.capacity, input.people)
                .map_err(|m| Refusal::invalid("people", m))?;
            ShelterChange::CheckIn(input.people)
        }
        "check_out" => {
            check_out(s.occupancy, input.people).map_err(|m| Refusal::invalid("people", m))?;
            ShelterChange::CheckOut(input.people)
        }
        _ => {
            return Err(Refusal::invalid("kind", "操作应为：开放、关闭、入住、离开"));
        }
    };
    Ok(CheckedMovement { change, note })
}

/// The occupancy changed between the reading a movement was checked against and the movement.
pub const OCCUPANCY_CHANGED: &str = "安置人数刚刚发生变化，请刷新后重试";

/// Occupancy after `n` people check in.
pub fn check_in(open: bool, occupancy: i64, capacity: i64, n: i64) -> Result<i64, String> {
    if !open {
        return Err("避难场所未开放，不能登记入住".into());
    }
    if n <= 0 {
        return Err("入住人数应大于0".into());
    }
    if occupancy + n > capacity {
        return Err(format!(
            "超出容量：可容纳 {capacity} 人，现有 {occupancy} 人，最多还能入住 {} 人",
            capacity - occupancy
        ));
    }
    Ok(occupancy + n)
}

/// Occupancy after `n` people check out.
pub fn check_out(occupancy: i64, n: i64) -> Result<i64, String> {
    if n <= 0 {
        return Err("离开人数应大于0".into());
    }
    if occupancy == 0 {
        return Err("避难场所当前无人安置，不能登记离开".into());
    }
    if n > occupancy {
        return Err(format!("离开人数 {n} 超过现有安置人数 {occupancy}"));
    }
    Ok(occupancy - n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity_cannot_fall_below_occupancy() {
        let input = ShelterInput {
            name: "城关广场".into(),
            kind: "emergency".into(),
            address: "城关镇".into(),
            lon: 115.99,
            lat: 29.72,
            region_code: "360402".into(),
            capacity: 10,
            area_m2: 0,
            facilities: vec![],
            manager: "赵六".into(),
            phone: "13800000000".into(),
        };
        assert_eq!(
            check_shelter(&input, 12).unwrap_err().summary(),
            "可容纳人数不能少于当前入住人数（12人）"
        );
        let s = check_shelter(&input, 3).unwrap();
        assert!(shelter_summary(true, &s).ends_with("可容纳10人）"));
    }

    #[test]
    fn movements_in_words() {
        assert_eq!(movement_text("check_in", 3).unwrap(), "入住 3 人");
        assert_eq!(movement_text("x", 3), None);
        assert_eq!(
            movement_summary("城关广场", "开放", 0),
            "城关广场：开放，现安置 0 人"
        );
        assert_eq!(still_occupied(2), "仍有 2 人安置，须全部离开后才能关闭");
        assert_eq!(shelter_status_label("open"), "开放");
    }

    #[test]
    fn shelters_count_people_in_and_out() {
        assert_eq!(check_in(true, 10, 100, 90), Ok(100));
        assert!(
            check_in(true, 10, 100, 91)
                .unwrap_err()
                .contains("最多还能入住 90 人")
        );
        assert!(check_in(false, 0, 100, 1).unwrap_err().contains("未开放"));
        assert!(check_out(0, 1).unwrap_err().contains("无人"));
        assert!(check_out(5, 6).is_err());
        assert_eq!(check_out(5, 5), Ok(0));
    }

    fn movement(kind: &str, people: i64) -> ShelterMovementInput {
        ShelterMovementInput {
            kind: kind.into(),
            people,
            incident_id: None,
            note: None,
        }
    }

    #[test]
    fn movements_follow_the_shelter() {
        let closed = ShelterState {
            active: true,
            open: false,
            occupancy: 0,
            capacity: 10,
        };
        let open = ShelterState {
            open: true,
            occupancy: 4,
            ..closed
        };
        let change = |s, kind, n| check_movement(s, &movement(kind, n)).map(|m| m.change);
        assert_eq!(change(closed, "open", 0), Ok(ShelterChange::Open));
        assert_eq!(
            change(open, "open", 0),
            Err(Refusal::conflict("kind", "避难场所已开放"))
        );
        assert_eq!(
            change(open, "close", 0),
            Err(Refusal::invalid("kind", still_occupied(4)))
        );
        assert_eq!(change(open, "check_in", 6), Ok(ShelterChange::CheckIn(6)));
        assert!(matches!(
            change(open, "check_in", 7),
            Err(Refusal::Invalid(i)) if i.0[0].field == "people"
        ));
        assert_eq!(ShelterChange::CheckOut(3).people(), -3);
        let stopped = ShelterState {
            active: false,
            ..open
        };
        assert_eq!(
            change(stopped, "check_in", 1),
            Err(Refusal::conflict(
                "kind",
                "该避难场所已停用，不能开放或入住"
            ))
        );
        assert_eq!(
            change(stopped, "check_out", 1),
            Ok(ShelterChange::CheckOut(1))
        );
        assert_eq!(
            change(open, "dance", 1),
            Err(Refusal::invalid("kind", "操作应为：开放、关闭、入住、离开"))
        );
    }
}
