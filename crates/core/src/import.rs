//! Enterprise import: Chinese column headers, one row per enterprise. Parsing is all-or-report:
//! every bad cell of every row is reported with its row number and column, so the user fixes the
//! file once. Reading the .xlsx/.csv bytes into rows of text is the server's job; this module
//! only sees text.

use crate::enterprise::EnterpriseInput;
use serde::Serialize;
use std::collections::HashMap;

/// The template's columns in order: (header, field, required).
pub const COLUMNS: &[(&str, &str, bool)] = &[
    ("企业名称", "name", true),
    ("统一社会信用代码", "uscc", true),
    ("行业代码", "industry_code", true),
    ("监管类别", "categories", true),
    ("企业规模", "scale", false),
    ("地址", "address", true),
    ("经度", "lon", false),
    ("纬度", "lat", false),
    ("所属网格代码", "grid_code", true),
    ("主要负责人", "principal_name", false),
    ("主要负责人电话", "principal_phone", false),
    ("安全管理人员", "safety_officer_name", false),
    ("安全管理人员电话", "safety_officer_phone", false),
    ("重点监管标识", "flags", false),
    ("经营状态", "status", false),
    ("从业人数", "employees", false),
];

pub fn header_of(field: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|c| c.1 == field)
        .map(|c| c.0)
        .unwrap_or("")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// Spreadsheet row number: the header is row 1, the first data row is row 2.
    pub row: usize,
    /// The column's Chinese header (empty for whole-file errors).
    pub column: String,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct ParsedImport {
    /// (row number, input) for every row that passed validation.
    pub valid: Vec<(usize, EnterpriseInput)>,
    pub errors: Vec<RowError>,
    pub total_rows: usize,
}

/// Strips the markers people add to headers: "*", "（必填）", spaces, a BOM.
fn normalise_header(h: &str) -> String {
    let h = h.trim().trim_start_matches('\u{feff}');
    let h = h.replace(['*', '＊', ' ', '\u{3000}'], "");
    h.replace("（必填）", "").replace("(必填)", "")
}

/// Splits a multi-value cell: 危险化学品、工贸 / a,b / a；b.
fn split_multi(cell: &str) -> Vec<String> {
    cell.split(['、', ',', '，', ';', '；', '/', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Maps header cells to fields. Unknown or repeated columns and missing required columns are
/// whole-file errors (row 1).
pub fn map_headers(headers: &[String]) -> Result<Vec<Option<&'static str>>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut map = Vec::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        let n = normalise_header(h);
        if n.is_empty() {
            map.push(None);
            continue;
        }
        match COLUMNS.iter().find(|c| c.0 == n) {
            Some(c) => {
                if seen.insert(c.1, i).is_some() {
                    errors.push(RowError {
                        row: 1,
                        column: n.clone(),
                        reason: format!("列“{n}”重复出现"),
                    });
                }
                map.push(Some(c.1));
            }
            None => {
                errors.push(RowError {
                    row: 1,
                    column: n.clone(),
                    reason: format!("未知列“{n}”：请使用模板中的列名"),
                });
                map.push(None);
            }
        }
    }
    for (header, field, required) in COLUMNS {
        if *required && !seen.contains_key(field) {
            errors.push(RowError {
                row: 1,
                column: header.to_string(),
                reason: format!("缺少必填列“{header}”"),
            });
        }
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}

/// Parses and validates every data row. `rows[0]` is the header row.
pub fn parse_rows(rows: &[Vec<String>]) -> ParsedImport {
    let mut out = ParsedImport::default();
    let Some(headers) = rows.first() else {
        out.errors.push(RowError {
            row: 1,
            column: String::new(),
            reason: "文件为空：第1行应为列名".into(),
        });
        return out;
    };
    let map = match map_headers(headers) {
        Ok(m) => m,
        Err(e) => {
            out.errors = e;
            return out;
        }
    };
    let mut first_row_of_code: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        let row_no = i + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.total_rows += 1;
        let mut input = EnterpriseInput::default();
        let mut errs = Vec::new();
        for (col, field) in map.iter().enumerate() {
            let Some(field) = field else { continue };
            let cell = row.get(col).map(|s| s.trim()).unwrap_or("");
            let mut num = |label: &str| -> Option<f64> {
                if cell.is_empty() {
                    return None;
                }
                match cell.parse::<f64>() {
                    Ok(v) if v.is_finite() => Some(v),
                    _ => {
                        errs.push(RowError {
                            row: row_no,
                            column: label.to_string(),
                            reason: format!("“{cell}”不是数字"),
                        });
                        None
                    }
                }
            };
            match *field {
                "name" => input.name = cell.to_string(),
                "uscc" => input.uscc = cell.to_string(),
                "industry_code" => input.industry_code = cell.to_string(),
                "categories" => input.categories = split_multi(cell),
                "scale" => input.scale = Some(cell.to_string()),
                "address" => input.address = cell.to_string(),
                "lon" => input.lon = num("经度"),
                "lat" => input.lat = num("纬度"),
                "grid_code" => input.grid_code = cell.trim_end_matches(".0").to_string(),
                "principal_name" => input.principal_name = Some(cell.to_string()),
                "principal_phone" => {
                    input.principal_phone = Some(cell.trim_end_matches(".0").to_string())
                }
                "safety_officer_name" => input.safety_officer_name = Some(cell.to_string()),
                "safety_officer_phone" => {
                    input.safety_officer_phone = Some(cell.trim_end_matches(".0").to_string())
                }
                "flags" => input.flags = split_multi(cell),
                "status" => input.status = Some(cell.to_string()),
                "employees" => {
                    input.employees = num("从业人数").and_then(|v| {
                        if v.fract() == 0.0 && v.abs() < 1e12 {
                            Some(v as i64)
                        } else {
                            errs.push(RowError {
                                row: row_no,
                                column: "从业人数".into(),
                                reason: format!("“{cell}”不是整数"),
                            });
                            None
                        }
                    })
                }
                _ => {}
            }
        }
        if let Err(invalid) = input.validate() {
            for fe in invalid.0 {
                errs.push(RowError {
                    row: row_no,
                    column: header_of(&fe.field).to_string(),
                    reason: fe.message,
                });
            }
        }
        let code = input.uscc.trim().to_ascii_uppercase();
        if !code.is_empty() {
            if let Some(first) = first_row_of_code.get(&code) {
                errs.push(RowError {
                    row: row_no,
                    column: "统一社会信用代码".into(),
                    reason: format!("与第{first}行的统一社会信用代码重复"),
                });
            } else {
                first_row_of_code.insert(code, row_no);
            }
        }
        if errs.is_empty() {
            out.valid.push((row_no, input));
        } else {
            out.errors.extend(errs);
        }
    }
    if out.total_rows == 0 && out.errors.is_empty() {
        out.errors.push(RowError {
            row: 2,
            column: String::new(),
            reason: "文件没有数据行".into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn header() -> Vec<String> {
        COLUMNS.iter().map(|c| c.0.to_string()).collect()
    }

    fn good_row(code: &str) -> Vec<String> {
        let mut r = vec![String::new(); COLUMNS.len()];
        r[0] = "九江某厂".into();
        r[1] = code.into();
        r[2] = "C2614".into();
        r[3] = "危险化学品、工贸".into();
        r[5] = "浔阳区某路".into();
        r[6] = "116.0".into();
        r[7] = "29.7".into();
        r[8] = "360403001001001".into();
        r
    }

    #[test]
    fn good_file() {
        let p = parse_rows(&[header(), good_row("91350100M000100Y43")]);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.valid.len(), 1);
        assert_eq!(p.valid[0].0, 2);
        assert_eq!(p.valid[0].1.categories, ["危险化学品", "工贸"]);
    }

    #[test]
    fn headers_with_markers_and_unknown_columns() {
        let mut h = header();
        h[0] = "企业名称*".into();
        assert!(map_headers(&h).is_ok());
        h.push("备注".into());
        let e = map_headers(&h).unwrap_err();
        assert_eq!(e[0].column, "备注");
        let e = map_headers(&h[1..].to_vec()).unwrap_err();
        assert!(e.iter().any(|e| e.reason.contains("缺少必填列“企业名称”")));
    }

    #[test]
    fn every_bad_row_reported() {
        let mut bad = good_row("91350100M000100Y44");
        bad[6] = "东经116".into();
        let dup = good_row("91110000600037341L");
        let p = parse_rows(&[header(), good_row("91110000600037341L"), bad, dup]);
        assert_eq!(p.valid.len(), 1);
        let cols: Vec<(usize, &str)> = p
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert!(cols.contains(&(3, "统一社会信用代码")));
        assert!(cols.contains(&(3, "经度")));
        assert!(cols.contains(&(4, "统一社会信用代码")));
    }

    proptest! {
        #[test]
        fn arbitrary_cells_never_panic(rows in proptest::collection::vec(proptest::collection::vec("\\PC{0,12}", 0..20), 0..6)) {
            let mut all = vec![header()];
            all.extend(rows.clone());
            let p = parse_rows(&all);
            // Every data row is either valid or named by at least one error, never both.
            let mut bad: Vec<usize> = p.errors.iter().map(|e| e.row).collect();
            bad.sort_unstable();
            bad.dedup();
            for (row_no, _) in &p.valid {
                prop_assert!(!bad.contains(row_no));
            }
            prop_assert_eq!(p.valid.len() + bad.len(), p.total_rows.max(bad.len()));
            let _ = parse_rows(&rows);
        }
    }
}
