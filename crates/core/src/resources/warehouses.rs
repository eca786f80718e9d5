//! 物资储备库: the warehouse input, its check and the wording of its audit record.

use super::fields::{located, required_phone};
use super::{WAREHOUSE_LEVELS, label, one_of};
use crate::kernel::validation::{Errors, Invalid, required_text};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarehouseInput {
    pub name: String,
    /// district / street / community
    pub level: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
    pub manager: String,
    pub phone: String,
}

/// A warehouse input that passed `check_warehouse`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedWarehouse {
    pub name: String,
    pub level: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub manager: String,
    pub phone: String,
}

pub fn check_warehouse(input: &WarehouseInput) -> Result<CheckedWarehouse, Invalid> {
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("储备库名称", &input.name, 60));
    let level = errs.check(
        "level",
        one_of(WAREHOUSE_LEVELS, "储备库级别", &input.level),
    );
    let address = errs.check("address", required_text("地址", &input.address, 200));
    let at = located(&mut errs, input.lon, input.lat);
    let manager = errs.check("manager", required_text("管理员", &input.manager, 30));
    let tel = required_phone(&mut errs, &input.phone);
    let (
        Some(name),
        Some(level),
        Some(address),
        Some((lon, lat)),
        Some(manager),
        Some(phone),
        true,
    ) = (name, level, address, at, manager, tel, errs.is_empty())
    else {
        return Err(errs.into_invalid());
    };
    Ok(CheckedWarehouse {
        name,
        level,
        address,
        lon,
        lat,
        manager,
        phone,
    })
}

/// The audit summary of a warehouse registered (`created`) or edited.
pub fn warehouse_summary(created: bool, w: &CheckedWarehouse) -> String {
    format!(
        "{}储备库：{}（{}）",
        if created { "登记" } else { "修改" },
        w.name,
        label(WAREHOUSE_LEVELS, &w.level)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warehouse_needs_a_known_level() {
        let mut input = WarehouseInput {
            name: "区级储备库".into(),
            level: "province".into(),
            address: "城关镇".into(),
            lon: 115.99,
            lat: 29.72,
            region_code: "360402".into(),
            manager: "王五".into(),
            phone: "13800000000".into(),
        };
        assert!(check_warehouse(&input).is_err());
        input.level = "district".into();
        let w = check_warehouse(&input).unwrap();
        assert!(warehouse_summary(false, &w).starts_with("修改储备库：区级储备库（"));
    }
}
