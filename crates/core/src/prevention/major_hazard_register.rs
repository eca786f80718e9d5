//! The 重大危险源 register's input: its field checks with Chinese messages (identification and
//! grading by GB 18218-2018 included), the unit-type and level labels, and the wording of its
//! audit records and refusal.

use crate::kernel::validation::{Errors, Invalid, phone, required_text};
use crate::prevention::hazard::label_of;
use crate::prevention::major_hazard::{UnitChemical, figure, identify};

pub const UNIT_TYPES: &[(&str, &str)] = &[("production", "生产单元"), ("storage", "储存单元")];

#[derive(Debug, Clone)]
pub struct MajorHazardInput {
    /// The enterprise (an enterprise user's own is implied).
    pub enterprise_id: Option<String>,
    /// 重大危险源编码, unique.
    pub code: String,
    pub name: String,
    /// production / storage
    pub unit_type: String,
    pub chemicals: Vec<UnitChemical>,
    /// 厂区边界外 500 m 内常住人口.
    pub population_500m: i64,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub responsible_name: String,
    pub responsible_phone: Option<String>,
}

/// A unit as checked, identified and graded: what the register writes besides its owner.
#[derive(Debug, Clone)]
pub struct CheckedMajorHazard {
    pub code: String,
    pub name: String,
    pub unit_type: String,
    pub chemicals: Vec<UnitChemical>,
    pub population: i64,
    pub s_value: String,
    pub is_major: bool,
    pub alpha: String,
    pub r_value: Option<String>,
    pub level: Option<i64>,
    pub responsible_name: String,
    pub responsible_phone: Option<String>,
}

/// The refusal for a role that may not register major hazard sources.
pub const MAJOR_HAZARD_DENIED: &str = "只有企业、行业部门和区应急局人员可登记重大危险源";

/// 一级 … 四级 for a level 1 … 4 (out-of-range levels are clamped).
pub fn level_label(level: i64) -> &'static str {
    ["一级", "二级", "三级", "四级"]
        .get((level - 1).clamp(0, 3) as usize)
        .copied()
        .unwrap_or("")
}

/// Checks a unit's fields and identifies and grades it; every problem is reported at once.
pub fn check_major_hazard(input: &MajorHazardInput) -> Result<CheckedMajorHazard, Invalid> {
    let mut errs = Errors::default();
    let code = errs.check("code", required_text("重大危险源编码", &input.code, 40));
    let name = errs.check("name", required_text("单元名称", &input.name, 100));
    if label_of(UNIT_TYPES, &input.unit_type).is_none() {
        errs.add("unit_type", "单元类型应为 生产单元 或 储存单元");
    }
    if !(0..=10_000_000).contains(&input.population_500m) {
        errs.add(
            "population_500m",
            "500米范围内常住人口应为 0 至 10000000 的整数",
        );
    }
    if input.chemicals.len() > 50 {
        errs.add("chemicals", "一个单元至多登记 50 种危险化学品");
    }
    for (i, c) in input.chemicals.iter().enumerate() {
        errs.check(
            &format!("chemicals[{i}].chemical"),
            required_text("化学品名称", &c.chemical, 100),
        );
    }
    let responsible_name = errs.check(
        "responsible_name",
        required_text("责任人", &input.responsible_name, 50),
    );
    let responsible_phone = errs
        .check(
            "responsible_phone",
            phone("联系电话", input.responsible_phone.as_deref().unwrap_or("")),
        )
        .flatten();
    let population = u32::try_from(input.population_500m).unwrap_or(0);
    let identified = match identify(&input.chemicals, population) {
        Ok(i) => Some(i),
        Err(invalid) => {
            for f in invalid.0 {
                errs.add(&f.field, f.message);
            }
            None
        }
    };
    let (Some(code), Some(name), Some(responsible_name), Some(id), true) =
        (code, name, responsible_name, identified, errs.is_empty())
    else {
        return Err(errs.into_invalid());
    };
    let chemicals = input
        .chemicals
        .iter()
        .map(|c| UnitChemical {
            chemical: c.chemical.trim().to_string(),
            ..c.clone()
        })
        .collect();
    Ok(CheckedMajorHazard {
        code,
        name,
        unit_type: input.unit_type.clone(),
        chemicals,
        population: input.population_500m,
        s_value: figure(id.s),
        is_major: id.is_major,
        alpha: id.alpha.to_decimal(1),
        r_value: id.r.map(figure),
        level: id.level.map(|l| l.number()),
        responsible_name,
        responsible_phone,
    })
}

/// The audit summary of a unit registered or edited (`verb`: 登记 / 修改), with its figures.
pub fn major_hazard_summary(verb: &str, c: &CheckedMajorHazard) -> String {
    match (c.level, &c.r_value) {
        (Some(l), Some(r)) => format!(
            "{verb}重大危险源“{}”（{}）：S={}，R={}，{}",
            c.name,
            c.code,
            c.s_value,
            r,
            level_label(l)
        ),
        _ => format!(
            "{verb}危险化学品单元“{}”（{}）：S={}，未构成重大危险源",
            c.name, c.code, c.s_value
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_field_is_reported() {
        let input = MajorHazardInput {
            enterprise_id: None,
            code: " ".into(),
            name: "罐区".into(),
            unit_type: "office".into(),
            chemicals: Vec::new(),
            population_500m: -1,
            lon: None,
            lat: None,
            responsible_name: "张三".into(),
            responsible_phone: None,
        };
        let fields: Vec<_> = check_major_hazard(&input)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert!(fields.starts_with(&["code".into(), "unit_type".into(), "population_500m".into()]));
    }

    #[test]
    fn levels() {
        assert_eq!(level_label(1), "一级");
        assert_eq!(level_label(4), "四级");
        assert_eq!(level_label(9), "四级");
    }
}
