//! Stock lines: the inputs of a line, an edit and a ledger movement, their checks, the wording of
//! their refusals and of their audit records.

use super::fields::count;
use super::refusal::Refusal;
use super::{RESERVE_TYPES, StockLevel, label, manual_delta, one_of};
use crate::kernel::validation::{Errors, Invalid, optional_text};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StockInput {
    pub warehouse_id: String,
    /// A code of GET /api/v1/materials.
    pub material_code: String,
    /// physical (实物) / agreement (协议) / capacity (产能)
    #[serde(default = "physical")]
    pub reserve_type: String,
    /// Opening quantity, written to the ledger as 入库.
    #[serde(default)]
    pub quantity: i64,
    #[serde(default)]
    pub min_stock: i64,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub expiry_date: Option<String>,
    /// 协议/产能储备的供应单位.
    #[serde(default)]
    pub supplier: Option<String>,
}

fn physical() -> String {
    "physical".into()
}

/// What an edit of a stock line may change: the material and the warehouse make the line, and the
/// quantity moves only by the ledger.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StockEdit {
    /// physical (实物) / agreement (协议) / capacity (产能)
    pub reserve_type: String,
    #[serde(default)]
    pub min_stock: i64,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub expiry_date: Option<String>,
    #[serde(default)]
    pub supplier: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MovementInput {
    /// inbound (入库) / outbound (出库) / count (盘点: the counted quantity) / write_off (报损)
    pub kind: String,
    pub quantity: i64,
    #[serde(default)]
    pub note: Option<String>,
}

/// A line's terms, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub reserve_type: String,
    pub min_stock: i64,
    pub expiry_date: Option<String>,
    pub supplier: Option<String>,
}

/// A date (YYYY-MM-DD) or nothing; the error names the field.
pub fn parse_date(
    field: &str,
    label_: &str,
    raw: Option<&str>,
) -> Result<Option<String>, (String, String)> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<jiff::civil::Date>()
            .map(|d| Some(d.to_string()))
            .map_err(|_| {
                (
                    field.to_string(),
                    format!("{label_}“{s}”格式不正确，应为 2027-06-30"),
                )
            }),
    }
}

/// Checks a line's terms into `errs`; None when the reserve type is not one of the choices.
pub fn check_terms(errs: &mut Errors, input: &StockEdit) -> Option<Terms> {
    let reserve = errs.check(
        "reserve_type",
        one_of(RESERVE_TYPES, "储备方式", &input.reserve_type),
    );
    let min_stock = count(errs, "min_stock", "最低库存", input.min_stock, 100_000_000);
    let expiry = match parse_date("expiry_date", "有效期", input.expiry_date.as_deref()) {
        Ok(d) => d,
        Err((f, m)) => {
            errs.add(&f, m);
            None
        }
    };
    let supplier = errs
        .check(
            "supplier",
            optional_text("供应单位", input.supplier.as_deref().unwrap_or(""), 100),
        )
        .flatten();
    if matches!(reserve.as_deref(), Some("agreement" | "capacity")) && supplier.is_none() {
        errs.add("supplier", "协议储备和产能储备须填写供应单位");
    }
    reserve.map(|reserve_type| Terms {
        reserve_type,
        min_stock,
        expiry_date: expiry,
        supplier,
    })
}

/// Checks the edit of a line.
pub fn check_edit(input: &StockEdit) -> Result<Terms, Invalid> {
    let mut errs = Errors::default();
    let terms = check_terms(&mut errs, input);
    match (terms, errs.is_empty()) {
        (Some(t), true) => Ok(t),
        _ => Err(errs.into_invalid()),
    }
}

/// A new line checked: its opening quantity and terms. `known_material` tells whether the
/// material code is in the catalogue.
pub fn check_new_line(input: &StockInput, known_material: bool) -> Result<(i64, Terms), Invalid> {
    let mut errs = Errors::default();
    if !known_material {
        errs.add(
            "material_code",
            format!("物资编码“{}”不在应急物资目录中", input.material_code),
        );
    }
    let qty = count(&mut errs, "quantity", "数量", input.quantity, 100_000_000);
    let terms = check_terms(
        &mut errs,
        &StockEdit {
            reserve_type: input.reserve_type.clone(),
            min_stock: input.min_stock,
            expiry_date: input.expiry_date.clone(),
            supplier: input.supplier.clone(),
        },
    );
    match (terms, errs.is_empty()) {
        (Some(t), true) => Ok((qty, t)),
        _ => Err(errs.into_invalid()),
    }
}

/// Why a line cannot be opened or re-typed: the warehouse already holds the material with that
/// reserve type. `hint` adds what to do instead (for a new line).
pub fn line_taken(warehouse: &str, material: &str, reserve_type: &str, hint: bool) -> String {
    format!(
        "{warehouse}已有“{material}”{}的库存行{}",
        label(RESERVE_TYPES, reserve_type),
        if hint {
            "，请在该行办理入库"
        } else {
            ""
        }
    )
}

/// The audit summary of a line opened with `qty` of the material.
pub fn line_opened(warehouse: &str, material: &str, qty: i64, unit: &str) -> String {
    format!("{warehouse}建立库存：{material} {qty}{unit}")
}

/// The audit summary of a ledger movement (`kind_label` 入库, 出库 …) and the balance after it.
pub fn movement_summary(
    kind_label: &str,
    warehouse: &str,
    material: &str,
    delta: i64,
    unit: &str,
    balance: i64,
) -> String {
    format!(
        "{kind_label}：{warehouse} {material} {}{unit}（结存 {balance}）",
        if delta >= 0 {
            format!("+{delta}")
        } else {
            delta.to_string()
        }
    )
}

/// The warehouse a new line names does not exist (or is not visible).
pub const UNKNOWN_WAREHOUSE: &str = "储备库不存在";

/// Why a line cannot be opened in a deactivated warehouse.
pub fn warehouse_inactive(warehouse: &str) -> String {
    format!("储备库“{warehouse}”已停用")
}

/// The note of a line's opening 入库.
pub const OPENING_NOTE: &str = "建账入库";

/// The audit summary of a line's edit.
pub fn line_edited(warehouse: &str, material: &str) -> String {
    format!("修改库存：{warehouse} {material}")
}

/// The list's alert filter is none of its choices.
pub const UNKNOWN_ALERT: &str = "预警类型应为 low、expiring 或 expired";

/// The line changed between the reading a movement was checked against and the movement.
pub const LINE_CHANGED: &str = "库存刚刚发生变化，请刷新后重试";

/// The guarded update found too little on the line.
pub const SHORT_OF_STOCK: &str = "库存不足";

/// A stock line as read before a manual movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineState {
    pub level: StockLevel,
    /// The line and its warehouse are both in use (neither deactivated).
    pub in_use: bool,
}

/// A manual movement (入库, 出库, 盘点, 报损), checked against the line as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedMovement {
    pub kind: String,
    /// What it adds to the line's quantity (negative takes out).
    pub delta: i64,
    pub note: Option<String>,
}

impl CheckedMovement {
    /// Whether it writes a ledger movement: it moves stock, or it is a 盘点 (recorded even when
    /// the count agrees).
    pub fn moves_ledger(&self) -> bool {
        self.delta != 0 || self.kind == "count"
    }
}

/// Checks a manual movement: a deactivated line (or warehouse) takes nothing in, a 报损 says
/// why, and the quantity keeps the ledger within its bounds (`manual_delta`).
pub fn check_movement(line: LineState, input: &MovementInput) -> Result<CheckedMovement, Refusal> {
    if input.kind == "inbound" && !line.in_use {
        return Err(Refusal::conflict(
            "kind",
            "该库存或其储备库已停用，不能入库（可出库、盘点或报损）",
        ));
    }
    let note = optional_text("备注", input.note.as_deref().unwrap_or(""), 500)
        .map_err(|m| Refusal::invalid("note", m))?;
    if input.kind == "write_off" && note.is_none() {
        return Err(Refusal::invalid("note", "报损须写明原因"));
    }
    let field = match input.kind.as_str() {
        "count" | "inbound" | "outbound" | "write_off" => "quantity",
        _ => "kind",
    };
    let delta = manual_delta(line.level, &input.kind, input.quantity)
        .map_err(|m| Refusal::invalid(field, m))?;
    Ok(CheckedMovement {
        kind: input.kind.clone(),
        delta,
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_reserves_name_a_supplier() {
        let edit = StockEdit {
            reserve_type: "agreement".into(),
            min_stock: 0,
            expiry_date: Some("2027-6-30".into()),
            supplier: None,
        };
        assert_eq!(
            check_edit(&edit).unwrap_err().summary(),
            "有效期“2027-6-30”格式不正确，应为 2027-06-30；协议储备和产能储备须填写供应单位"
        );
    }

    #[test]
    fn a_new_line_needs_a_known_material() {
        let input = StockInput {
            warehouse_id: "w".into(),
            material_code: "X".into(),
            reserve_type: "physical".into(),
            quantity: 5,
            min_stock: 0,
            expiry_date: None,
            supplier: None,
        };
        assert_eq!(
            check_new_line(&input, false).unwrap_err().summary(),
            "物资编码“X”不在应急物资目录中"
        );
        assert_eq!(check_new_line(&input, true).unwrap().0, 5);
    }

    #[test]
    fn wording() {
        assert_eq!(
            line_taken("一号库", "帐篷", "physical", true),
            "一号库已有“帐篷”实物储备的库存行，请在该行办理入库"
        );
        assert_eq!(
            line_opened("一号库", "帐篷", 5, "顶"),
            "一号库建立库存：帐篷 5顶"
        );
        assert_eq!(
            movement_summary("出库", "一号库", "帐篷", -2, "顶", 3),
            "出库：一号库 帐篷 -2顶（结存 3）"
        );
    }

    fn movement(kind: &str, quantity: i64, note: Option<&str>) -> MovementInput {
        MovementInput {
            kind: kind.into(),
            quantity,
            note: note.map(Into::into),
        }
    }

    #[test]
    fn movements_are_checked_against_the_line() {
        let line = LineState {
            level: StockLevel {
                quantity: 10,
                reserved: 4,
            },
            in_use: true,
        };
        let m = check_movement(line, &movement("outbound", 6, Some(" 抢险 "))).unwrap();
        assert_eq!((m.delta, m.note.as_deref()), (-6, Some("抢险")));
        assert!(m.moves_ledger());
        let counted = check_movement(line, &movement("count", 10, None)).unwrap();
        assert_eq!(counted.delta, 0);
        assert!(counted.moves_ledger());
        assert_eq!(
            check_movement(line, &movement("write_off", 1, None)),
            Err(Refusal::invalid("note", "报损须写明原因"))
        );
        let Err(Refusal::Invalid(i)) = check_movement(line, &movement("outbound", 7, None)) else {
            panic!("more than available");
        };
        assert_eq!(i.0[0].field, "quantity");
        let Err(Refusal::Invalid(i)) = check_movement(line, &movement("steal", 1, None)) else {
            panic!("unknown kind");
        };
        assert_eq!(i.0[0].field, "kind");
        let stopped = LineState {
            in_use: false,
            ..line
        };
        assert_eq!(
            check_movement(stopped, &movement("inbound", 1, None)),
            Err(Refusal::conflict(
                "kind",
                "该库存或其储备库已停用，不能入库（可出库、盘点或报损）"
            ))
        );
        assert!(check_movement(stopped, &movement("outbound", 1, None)).is_ok());
    }

    #[test]
    fn refusals_in_words() {
        assert_eq!(warehouse_inactive("一号库"), "储备库“一号库”已停用");
        assert_eq!(line_edited("一号库", "帐篷"), "修改库存：一号库 帐篷");
    }
}
