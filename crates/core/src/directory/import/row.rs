//! One data row of an import read into an enterprise input, with the errors of its cells.

use super::{MAX_CELL_CHARS, RowError, excerpt, header_of, shorten_quotes, split_multi};
use crate::directory::enterprise::EnterpriseInput;

/// Reads data row `row_no` into an input through the header `map`: cells too long to read,
/// numbers that are not, then every error of the input's own check.
pub(super) fn read_row(
    map: &[Option<&'static str>],
    row_no: usize,
    row: &[String],
) -> (EnterpriseInput, Vec<RowError>) {
    let mut input = EnterpriseInput::default();
    let mut errs = Vec::new();
    let mut too_long: Vec<&str> = Vec::new();
    for (col, field) in map.iter().enumerate() {
        let Some(field) = field else { continue };
        let cell = row.get(col).map(|s| s.trim()).unwrap_or("");
        if cell.chars().nth(MAX_CELL_CHARS).is_some() {
            let header = header_of(field);
            errs.push(RowError {
                row: row_no,
                column: header.to_string(),
                reason: format!(
                    "第{row_no}行“{header}”内容过长：单元格最多{MAX_CELL_CHARS}个字符（开头为“{}”）",
                    excerpt(cell)
                ),
            });
            too_long.push(field);
            continue;
        }
        let mut cell = Cell {
            text: cell,
            row: row_no,
            errs: &mut errs,
        };
        set_field(&mut input, field, &mut cell);
    }
    if let Err(invalid) = input.validate() {
        for fe in invalid.0 {
            // A cell too long to read was left empty: it is reported once, as too long.
            if too_long.contains(&fe.field.as_str()) {
                continue;
            }
            errs.push(RowError {
                row: row_no,
                column: header_of(&fe.field).to_string(),
                reason: shorten_quotes(&fe.message),
            });
        }
    }
    (input, errs)
}

/// One cell being read, and where its row's errors go.
struct Cell<'a> {
    text: &'a str,
    row: usize,
    errs: &'a mut Vec<RowError>,
}

impl Cell<'_> {
    /// The cell as a number, if it holds one; an error naming the column `label` if not.
    fn number(&mut self, label: &str) -> Option<f64> {
        if self.text.is_empty() {
            return None;
        }
        match self.text.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                self.errs.push(RowError {
                    row: self.row,
                    column: label.to_string(),
                    reason: format!("“{}”不是数字", excerpt(self.text)),
                });
                None
            }
        }
    }

    /// The cell as a whole number, if it holds one.
    fn integer(&mut self, label: &str) -> Option<i64> {
        let v = self.number(label)?;
        if v.fract() == 0.0 && v.abs() < 1e12 {
            Some(v as i64)
        } else {
            self.errs.push(RowError {
                row: self.row,
                column: label.to_string(),
                reason: format!("“{}”不是整数", excerpt(self.text)),
            });
            None
        }
    }

    /// A code or phone number a spreadsheet may have turned into a number (“….0”).
    fn digits(&self) -> String {
        self.text.trim_end_matches(".0").to_string()
    }
}

/// Puts the cell into the input's `field`.
fn set_field(input: &mut EnterpriseInput, field: &str, cell: &mut Cell<'_>) {
    let text = cell.text.to_string();
    match field {
        "name" => input.name = text,
        "uscc" => input.uscc = text,
        "industry_code" => input.industry_code = text,
        "categories" => input.categories = split_multi(&text),
        "scale" => input.scale = Some(text),
        "address" => input.address = text,
        "lon" => input.lon = cell.number("经度"),
        "lat" => input.lat = cell.number("纬度"),
        "grid_code" => input.grid_code = cell.digits(),
        "principal_name" => input.principal_name = Some(text),
        "principal_phone" => input.principal_phone = Some(cell.digits()),
        "safety_officer_name" => input.safety_officer_name = Some(text),
        "safety_officer_phone" => input.safety_officer_phone = Some(cell.digits()),
        "flags" => input.flags = split_multi(&text),
        "status" => input.status = Some(text),
        "employees" => input.employees = cell.integer("从业人数"),
        _ => {}
    }
}
