//! The nearest-first search: a need as typed (`parse_need`), the query's checks and how each hit
//! is described (the grid and the distances are in `grid`).

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

// "10 km 内 冲锋舟 ≥ 5": a need as the commander types it

#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    /// Within this distance of the incident; None means nearest first.
    pub radius_m: Option<f64>,
    /// A material's name (or code), a team's specialty, an expert's specialty.
    pub item: String,
    /// At least this many available (materials); 1 when not given.
    pub min_qty: i64,
}

/// Reads a need such as `10 km 内 冲锋舟 ≥ 5`, `冲锋舟>=5 10公里内`, `5公里 救生衣 200` or `帐篷`.
pub fn parse_need(text: &str) -> Result<Need, String> {
    let mut rest = text.trim().replace('　', " ");
    if rest.is_empty() {
        return Err("需求不能为空，例如“10 km 内 冲锋舟 ≥ 5”".into());
    }
    if rest.chars().count() > 100 {
        return Err("需求不能超过100个字符".into());
    }
    let mut radius_m = None;
    // A distance: a number followed by a unit, optionally 内/以内.
    for unit in ["公里", "千米", "km", "KM", "Km", "米", "m"] {
        if let Some((before, after)) = split_number_before(&rest, unit) {
            let factor = if unit == "米" || unit == "m" {
                1.0
            } else {
                1000.0
            };
            let value = before.1;
            let r = value * factor;
            if !(r > 0.0 && r <= MAX_RADIUS_M) {
                return Err(format!("范围应在 0 到 {} 公里之间", MAX_RADIUS_M / 1000.0));
            }
            radius_m = Some(r);
            let tail = after
                .trim_start()
                .trim_start_matches("以内")
                .trim_start_matches('内');
            rest = format!("{} {}", before.0, tail);
            break;
        }
    }
    // A quantity: ≥ / >= / > / 至少 n, or a trailing number.
    let mut min_qty = 1;
    let mut item = rest.trim().to_string();
    for op in ["≥", ">=", "＞", ">", "不少于", "至少"] {
        if let Some(i) = item.find(op) {
            let (name, q) = (item[..i].trim().to_string(), item[i + op.len()..].trim());
            let digits: String = q.chars().take_while(char::is_ascii_digit).collect();
            if digits.is_empty() {
                return Err(format!("“{op}”后应为数量"));
            }
            let n: i64 = digits.parse().map_err(|_| "数量过大".to_string())?;
            min_qty = if op == ">" || op == "＞" { n + 1 } else { n };
            item = name;
            break;
        }
    }
    if min_qty == 1 {
        // "救生衣 200": a trailing number is the quantity.
        let trimmed = item.trim_end().to_string();
        let digits: String = trimmed
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if !digits.is_empty() && digits.len() < trimmed.len() {
            min_qty = digits.parse().map_err(|_| "数量过大".to_string())?;
            item = trimmed[..trimmed.len() - digits.len()].trim().to_string();
        }
    }
    if !(1..=100_000_000).contains(&min_qty) {
        return Err("数量应在 1 到 1亿 之间".into());
    }
    let item = item.trim().to_string();
    if item.is_empty() {
        return Err("需求中缺少物资、队伍或专家专长的名称".into());
    }
    Ok(Need {
        radius_m,
        item,
        min_qty,
    })
}

/// Finds `<number><unit>` in `s`: the text before the number with the number, and the text after
/// the unit.
fn split_number_before<'a>(s: &'a str, unit: &str) -> Option<((String, f64), &'a str)> {
    let mut from = 0;
    while let Some(pos) = s[from..].find(unit).map(|p| p + from) {
        let head = s[..pos].trim_end();
        let num: String = head
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = &s[pos + unit.len()..];
        // "m" must not be the start of a word ("mask"): only a unit when not followed by a letter.
        let standalone = !after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
        if !num.is_empty()
            && standalone
            && let Ok(v) = num.parse::<f64>()
        {
            let before = head[..head.len() - num.len()].to_string();
            return Some(((before, v), after));
        }
        from = pos + unit.len();
    }
    None
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

    #[test]
    fn needs_as_typed() {
        let n = parse_need("10 km 内 冲锋舟 ≥ 5").unwrap();
        assert_eq!(
            n,
            Need {
                radius_m: Some(10_000.0),
                item: "冲锋舟".into(),
                min_qty: 5
            }
        );
        let n = parse_need("冲锋舟>=5 10公里内").unwrap();
        assert_eq!(
            n,
            Need {
                radius_m: Some(10_000.0),
                item: "冲锋舟".into(),
                min_qty: 5
            }
        );
        let n = parse_need("5公里 救生衣 200").unwrap();
        assert_eq!(
            n,
            Need {
                radius_m: Some(5_000.0),
                item: "救生衣".into(),
                min_qty: 200
            }
        );
        let n = parse_need("帐篷").unwrap();
        assert_eq!(
            n,
            Need {
                radius_m: None,
                item: "帐篷".into(),
                min_qty: 1
            }
        );
        let n = parse_need("800米内 抽水泵 > 2").unwrap();
        assert_eq!(
            n,
            Need {
                radius_m: Some(800.0),
                item: "抽水泵".into(),
                min_qty: 3
            }
        );
        assert!(parse_need("").is_err());
        assert!(parse_need("10 km 内").unwrap_err().contains("名称"));
        assert!(parse_need("500 km 内 帐篷").unwrap_err().contains("公里"));
        assert!(parse_need("帐篷 ≥ 很多").unwrap_err().contains("数量"));
    }
}
