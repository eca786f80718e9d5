//! The nearest-first search: the query's checks and how each hit is described (the grid and
//! the distances are in the module above).

use super::MAX_RADIUS_M;
use crate::kernel::validation::Invalid;

/// The unit a team, an expert or a shelter is counted in.
pub const PEOPLE: &str = "人";

/// The kind searched: team / expert / material / shelter.
pub fn check_kind(kind: &str) -> Result<(), Invalid> {
    if matches!(kind, "team" | "expert" | "material" | "shelter") {
        Ok(())
    } else {
        Err(Invalid::one(
            "kind",
            "资源类型应为 team、expert、material 或 shelter",
        ))
    }
}

/// Neither an incident nor a point was given.
pub fn no_origin() -> Invalid {
    Invalid::one("incident_id", "请给出事件或经纬度")
}

/// The incident has no point of its own nor its enterprise's.
pub fn incident_without_location() -> Invalid {
    Invalid::one("incident_id", "该事件没有位置，无法按距离查找资源")
}

/// A radius asked for, in km, as metres: more than 0 and at most 100 km.
pub fn check_radius_km(r: f64) -> Result<f64, Invalid> {
    if r > 0.0 && r * 1000.0 <= MAX_RADIUS_M {
        Ok(r * 1000.0)
    } else {
        Err(Invalid::one("radius_km", "范围应在 0 到 100 公里之间"))
    }
}

/// A material search without the material.
pub fn material_missing() -> Invalid {
    Invalid::one("need", "请写明所需物资，例如“冲锋舟 ≥ 5”")
}

/// A team hit: its kind and specialties.
pub fn team_detail(kind_label: &str, specialties: &[String]) -> String {
    format!(
        "{kind_label}{}",
        if specialties.is_empty() {
            String::new()
        } else {
            format!(" · {}", specialties.join("、"))
        }
    )
}

/// An expert hit: sections and specialties.
pub fn expert_detail(section_labels: &[String], specialties: &[String]) -> String {
    format!("{} · {}", section_labels.join("、"), specialties.join("、"))
}

/// An expert's name with the title, if any.
pub fn expert_name(name: &str, title: &str) -> String {
    if title.is_empty() {
        name.to_string()
    } else {
        format!("{name}（{title}）")
    }
}

/// A shelter hit: kind, capacity and people in it.
pub fn shelter_detail(kind_label: &str, capacity: i64, occupancy: i64) -> String {
    format!("{kind_label} · 可容纳{capacity}人，现安置{occupancy}人")
}

/// A material hit: the material and how it is reserved.
pub fn material_detail(material: &str, reserve_label: &str) -> String {
    format!("{material} · {reserve_label}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_checks() {
        assert!(check_kind("team").is_ok());
        assert_eq!(
            check_kind("car").unwrap_err().summary(),
            "资源类型应为 team、expert、material 或 shelter"
        );
        assert_eq!(check_radius_km(5.0).unwrap(), 5000.0);
        assert!(check_radius_km(0.0).is_err());
        assert!(check_radius_km(101.0).is_err());
    }

    #[test]
    fn hits_in_words() {
        assert_eq!(team_detail("社会救援力量", &[]), "社会救援力量");
        assert_eq!(
            team_detail("社会救援力量", &["水域".into(), "山地".into()]),
            "社会救援力量 · 水域、山地"
        );
        assert_eq!(expert_name("李四", ""), "李四");
        assert_eq!(expert_name("李四", "高工"), "李四（高工）");
        assert_eq!(
            shelter_detail("紧急", 10, 2),
            "紧急 · 可容纳10人，现安置2人"
        );
    }
}
