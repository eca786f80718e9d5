//! The row parser shared by all registers: the header row mapped onto the columns, then each
//! row's cells read into the JSON body of the register's create endpoint, errors by row and column.

use super::{Cell, Column, Register};
use crate::directory::import::{
    MAX_CELL_CHARS, MAX_LISTED_ERRORS, RowError, excerpt, normalise_header, split_multi,
};
use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct ParsedRows {
    /// (row number, body) for every row whose cells could be read.
    pub rows: Vec<(usize, Map<String, Value>)>,
    pub errors: Vec<RowError>,
    pub unlisted_errors: usize,
    pub total_rows: usize,
}

/// Parses a register's sheet one row at a time, as it is read.
pub struct RowParser {
    register: Register,
    /// Column index → column, once the header row is read.
    map: Option<Vec<Option<&'static Column>>>,
    failed: bool,
    out: ParsedRows,
}

impl RowParser {
    pub fn new(register: Register) -> Self {
        Self {
            register,
            map: None,
            failed: false,
            out: ParsedRows::default(),
        }
    }

    pub fn wants_rows(&self) -> bool {
        !self.failed
    }

    pub fn add_errors(&mut self, errors: impl IntoIterator<Item = RowError>) {
        for e in errors {
            if self.out.errors.len() < MAX_LISTED_ERRORS {
                self.out.errors.push(e);
            } else {
                self.out.unlisted_errors += 1;
            }
        }
    }

    pub fn push(&mut self, row_no: usize, row: &[String]) {
        if self.failed {
            return;
        }
        if self.map.is_some() {
            self.push_data(row_no, row);
            return;
        }
        let headers = if row_no == 1 { row } else { &[] };
        match map_headers(self.register, headers) {
            Ok(map) => self.map = Some(map),
            Err(e) => {
                self.failed = true;
                self.add_errors(e);
            }
        }
    }

    fn push_data(&mut self, row_no: usize, row: &[String]) {
        let Some(map) = &self.map else { return };
        if row.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        self.out.total_rows += 1;
        let mut body = Map::new();
        let mut errors = Vec::new();
        let error = |column: &str, reason: String| RowError {
            row: row_no,
            column: column.to_string(),
            reason: format!("第{row_no}行{reason}"),
        };
        for (i, column) in map.iter().enumerate() {
            let Some(c) = column else { continue };
            let cell = row.get(i).map(|s| s.trim()).unwrap_or("");
            match read_cell(c, cell) {
                Ok(Some(v)) => {
                    body.insert(c.field.to_string(), v);
                }
                Ok(None) if c.required => {
                    errors.push(error(c.header, format!("“{}”不能为空", c.header)))
                }
                Ok(None) => {}
                Err(reason) => errors.push(error(c.header, reason)),
            }
        }
        if errors.is_empty() {
            self.out.rows.push((row_no, body));
        } else {
            self.add_errors(errors);
        }
    }

    pub fn finish(self) -> ParsedRows {
        self.out
    }
}

fn map_headers(
    register: Register,
    headers: &[String],
) -> Result<Vec<Option<&'static Column>>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut map = Vec::with_capacity(headers.len());
    let error = |column: &str, reason: String| RowError {
        row: 1,
        column: column.to_string(),
        reason,
    };
    for (i, h) in headers.iter().enumerate() {
        let n = normalise_header(h);
        if n.is_empty() {
            map.push(None);
            continue;
        }
        match register.columns().iter().find(|c| c.header == n) {
            Some(c) => {
                if seen.insert(c.field, i).is_some() {
                    errors.push(error(&n, format!("列“{n}”重复出现")));
                }
                map.push(Some(c));
            }
            None => {
                let n = excerpt(&n);
                errors.push(error(&n, format!("未知列“{n}”：请使用模板中的列名")));
                map.push(None);
            }
        }
    }
    for c in register.columns() {
        if c.required && !seen.contains_key(c.field) {
            errors.push(error(c.header, format!("缺少必填列“{}”", c.header)));
        }
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}

fn choose(list: &[(&str, &str)], header: &str, v: &str) -> Result<String, String> {
    list.iter()
        .find(|(c, l)| *c == v || *l == v)
        .map(|(c, _)| c.to_string())
        .ok_or_else(|| {
            let labels: Vec<&str> = list.iter().map(|(_, l)| *l).collect();
            format!(
                "“{header}”的值“{}”无效，应为：{}",
                excerpt(v),
                labels.join("、")
            )
        })
}

/// A spreadsheet's day number (days since 1899-12-30) as a date.
fn serial_date(n: i64) -> Option<String> {
    if !(1..=2_958_465).contains(&n) {
        return None;
    }
    let epoch = jiff::civil::date(1899, 12, 30);
    epoch
        .checked_add(jiff::Span::new().days(n))
        .ok()
        .map(|d| d.to_string())
}

/// One cell as a JSON value: None for an empty cell.
pub fn read_cell(c: &Column, cell: &str) -> Result<Option<Value>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    let header = c.header;
    if cell.chars().nth(MAX_CELL_CHARS).is_some() {
        return Err(format!(
            "“{header}”内容过长：单元格最多{MAX_CELL_CHARS}个字符（开头为“{}”）",
            excerpt(cell)
        ));
    }
    let not_number = || format!("“{header}”的值“{}”不是数字", excerpt(cell));
    Ok(Some(match c.cell {
        Cell::Text => Value::from(cell),
        Cell::Code => Value::from(cell.strip_suffix(".0").unwrap_or(cell)),
        Cell::Number => match cell.parse::<f64>() {
            Ok(v) if v.is_finite() => Value::from(v),
            _ => return Err(not_number()),
        },
        Cell::Integer => match cell.strip_suffix(".0").unwrap_or(cell).parse::<i64>() {
            Ok(v) => Value::from(v),
            Err(_) => return Err(format!("“{header}”的值“{}”不是整数", excerpt(cell))),
        },
        Cell::List => Value::from(split_multi(cell)),
        Cell::Choice(list) => Value::from(choose(list, header, cell)?),
        Cell::Choices(list) => {
            let mut codes = Vec::new();
            for v in split_multi(cell) {
                codes.push(choose(list, header, &v)?);
            }
            Value::from(codes)
        }
        Cell::Date => match cell.strip_suffix(".0").unwrap_or(cell).parse::<i64>() {
            Ok(n) => Value::from(serial_date(n).ok_or_else(|| {
                format!("“{header}”的值“{}”不是日期（如 2027-06-30）", excerpt(cell))
            })?),
            Err(_) => Value::from(cell.get(..10).unwrap_or(cell)),
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(r: Register, cells: &[&[&str]]) -> ParsedRows {
        let mut p = RowParser::new(r);
        for (i, row) in cells.iter().enumerate() {
            let row: Vec<String> = row.iter().map(|s| s.to_string()).collect();
            p.push(i + 1, &row);
        }
        p.finish()
    }

    #[test]
    fn every_register_reads_its_own_template() {
        for r in Register::ALL {
            let headers: Vec<&str> = r.columns().iter().map(|c| c.header).collect();
            assert_eq!(headers.len(), r.example().len(), "{r:?}");
            let out = rows(r, &[&headers, r.example()]);
            assert!(out.errors.is_empty(), "{r:?}: {:?}", out.errors);
            assert_eq!(out.rows.len(), 1);
            assert_eq!(Register::parse(r.segment()), Some(r));
        }
    }

    #[test]
    fn labels_become_codes_and_numbers_are_read() {
        let out = rows(
            Register::Experts,
            &[
                &[
                    "姓名*",
                    "专家库分类（必填）",
                    "工作单位",
                    "联系电话",
                    "经度",
                    "纬度",
                    "所属区划代码",
                ],
                &[
                    "甲",
                    "安全生产、rescue",
                    "某院",
                    "13800000000.0",
                    "115.9",
                    "29.7",
                    "360403.0",
                ],
            ],
        );
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let body = &out.rows[0].1;
        assert_eq!(
            body["sections"],
            serde_json::json!(["work_safety", "rescue"])
        );
        assert_eq!(body["phone"], "13800000000");
        assert_eq!(body["region_code"], "360403");
        assert_eq!(body["lon"], 115.9);
    }

    #[test]
    fn bad_cells_are_reported_by_row_and_column() {
        let out = rows(
            Register::Shelters,
            &[
                &[
                    "场所名称",
                    "场所类型",
                    "地址",
                    "经度",
                    "纬度",
                    "所属区划代码",
                    "可容纳人数",
                    "管理员",
                    "联系电话",
                ],
                &[
                    "甲",
                    "帐篷",
                    "某路",
                    "东经",
                    "29.7",
                    "360403",
                    "十",
                    "乙",
                    "13800000000",
                ],
                &[
                    "",
                    "紧急避难场所",
                    "某路",
                    "115.9",
                    "29.7",
                    "360403",
                    "10",
                    "乙",
                    "13800000000",
                ],
            ],
        );
        assert!(out.rows.is_empty());
        let got: Vec<(usize, &str)> = out
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "场所类型"),
                (2, "经度"),
                (2, "可容纳人数"),
                (3, "场所名称")
            ]
        );
        assert!(
            out.errors[0].reason.contains("紧急避难场所"),
            "{:?}",
            out.errors[0]
        );
        assert!(
            out.errors[3].reason.starts_with("第3行"),
            "{:?}",
            out.errors[3]
        );
    }

    #[test]
    fn unknown_or_missing_headers_refuse_the_file() {
        let out = rows(
            Register::Warehouses,
            &[&["储备库名称", "颜色"], &["甲", "红"]],
        );
        assert!(out.rows.is_empty());
        assert!(out.errors.iter().any(|e| e.reason.contains("未知列“颜色”")));
        assert!(
            out.errors
                .iter()
                .any(|e| e.reason.contains("缺少必填列“级别”"))
        );
    }

    #[test]
    fn spreadsheet_day_numbers_are_dates() {
        assert_eq!(serial_date(46_568).as_deref(), Some("2027-06-30"));
        let c = Column {
            header: "有效期",
            field: "expiry_date",
            cell: Cell::Date,
            required: false,
            note: "",
        };
        assert_eq!(
            read_cell(&c, "46568").unwrap(),
            Some(Value::from("2027-06-30"))
        );
        assert_eq!(
            read_cell(&c, "2027-06-30 00:00:00").unwrap(),
            Some(Value::from("2027-06-30"))
        );
    }
}
