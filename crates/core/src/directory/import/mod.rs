//! Enterprise import: Chinese column headers, one row per enterprise. Parsing is all-or-report:
//! every bad cell of every row is reported with its row number and column, so the user fixes the
//! file once. Reading the .xlsx/.csv bytes into rows of text is the server's job; this module
//! only sees text.

mod check;
mod row;

pub use check::{ImportMode, Known, check_known, codes_of, grids_of};

use crate::directory::enterprise::EnterpriseInput;
use row::read_row;
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

/// The longest cell an import accepts, in characters. A longer cell makes its row invalid; the
/// file readers keep one character more than this so that the row can be reported.
pub const MAX_CELL_CHARS: usize = 2_000;

/// How much of a bad cell a report quotes, in characters.
pub const EXCERPT_CHARS: usize = 50;

/// The longest reason a report gives, in characters (quoted cells already shortened).
pub const MAX_REASON_CHARS: usize = 300;

/// Errors a report lists; the others are only counted.
pub const MAX_LISTED_ERRORS: usize = 1_000;

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
    /// The first [`MAX_LISTED_ERRORS`] errors, in row order.
    pub errors: Vec<RowError>,
    /// Errors found after the first [`MAX_LISTED_ERRORS`]: counted, not kept.
    pub unlisted_errors: usize,
    pub total_rows: usize,
}

/// The first [`EXCERPT_CHARS`] characters of a cell, with “…” when there is more.
pub fn excerpt(cell: &str) -> String {
    match cell.char_indices().nth(EXCERPT_CHARS) {
        None => cell.to_string(),
        Some((i, _)) => format!("{}…", &cell[..i]),
    }
}

/// Shortens every “quoted” value in a message to an excerpt, then the message itself to
/// [`MAX_REASON_CHARS`]: validation messages quote what was typed, and a report must not echo a
/// whole cell.
pub fn shorten_quotes(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len().min(4 * MAX_REASON_CHARS));
    let mut rest = reason;
    while let Some(open) = rest.find('“') {
        let (before, after) = rest.split_at(open + '“'.len_utf8());
        out.push_str(before);
        match after.find('”') {
            Some(close) => {
                out.push_str(&excerpt(&after[..close]));
                rest = &after[close..];
            }
            None => {
                out.push_str(&excerpt(after));
                rest = "";
            }
        }
        if out.len() > 4 * MAX_REASON_CHARS {
            rest = "";
        }
    }
    out.push_str(rest);
    match out.char_indices().nth(MAX_REASON_CHARS) {
        None => out,
        Some((i, _)) => format!("{}…", &out[..i]),
    }
}

/// Strips the markers people add to headers: "*", "（必填）", spaces, a BOM.
pub(crate) fn normalise_header(h: &str) -> String {
    let h = h.trim().trim_start_matches('\u{feff}');
    let h = h.replace(['*', '＊', ' ', '\u{3000}'], "");
    h.replace("（必填）", "").replace("(必填)", "")
}

/// Splits a multi-value cell: 危险化学品、工贸 / a,b / a；b.
pub(crate) fn split_multi(cell: &str) -> Vec<String> {
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
                let n = excerpt(&n);
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
    let mut parser = ImportParser::new();
    for (i, row) in rows.iter().enumerate() {
        if !parser.wants_rows() {
            break;
        }
        parser.push(i + 1, row);
    }
    parser.finish()
}

enum Header {
    /// No row seen yet.
    Pending,
    Mapped(Vec<Option<&'static str>>),
    /// The header row has errors: nothing else is read.
    Failed,
}

/// Parses an import one row at a time, as the file is read, so that only valid rows and the
/// listed errors are kept: the rows themselves never all sit in memory.
pub struct ImportParser {
    header: Header,
    first_row_of_code: HashMap<String, usize>,
    out: ParsedImport,
}

impl Default for ImportParser {
    fn default() -> Self {
        Self::new()
    }
}

impl ImportParser {
    pub fn new() -> Self {
        Self {
            header: Header::Pending,
            first_row_of_code: HashMap::new(),
            out: ParsedImport::default(),
        }
    }

    /// False once the header row has failed: the rest of the file need not be read.
    pub fn wants_rows(&self) -> bool {
        !matches!(self.header, Header::Failed)
    }

    fn add_errors(&mut self, errors: impl IntoIterator<Item = RowError>) {
        for e in errors {
            if self.out.errors.len() < MAX_LISTED_ERRORS {
                self.out.errors.push(e);
            } else {
                self.out.unlisted_errors += 1;
            }
        }
    }

    /// One row of the sheet, `row_no` counting from 1 (the header row). Rows come in order;
    /// a reader need not push empty rows, but when the first row pushed is not row 1 the header
    /// row is empty.
    pub fn push(&mut self, row_no: usize, row: &[String]) {
        match self.header {
            Header::Failed => {}
            Header::Mapped(_) => self.push_data(row_no, row),
            Header::Pending => {
                let headers = if row_no == 1 { row } else { &[] };
                match map_headers(headers) {
                    Ok(map) => self.header = Header::Mapped(map),
                    Err(e) => {
                        self.header = Header::Failed;
                        self.add_errors(e);
                    }
                }
            }
        }
    }

    fn push_data(&mut self, row_no: usize, row: &[String]) {
        let Header::Mapped(map) = &self.header else {
            return;
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        self.out.total_rows += 1;
        let (input, mut errs) = read_row(map, row_no, row);
        self.check_repeated_code(row_no, &input, &mut errs);
        if errs.is_empty() {
            self.out.valid.push((row_no, input));
        } else {
            self.add_errors(errs);
        }
    }

    /// A 统一社会信用代码 seen in an earlier row of the file.
    fn check_repeated_code(
        &mut self,
        row_no: usize,
        input: &EnterpriseInput,
        errs: &mut Vec<RowError>,
    ) {
        let code = input.uscc.trim().to_ascii_uppercase();
        if code.is_empty() {
            return;
        }
        if let Some(first) = self.first_row_of_code.get(&code) {
            errs.push(RowError {
                row: row_no,
                column: "统一社会信用代码".into(),
                reason: format!("与第{first}行的统一社会信用代码重复"),
            });
        } else {
            self.first_row_of_code.insert(code, row_no);
        }
    }

    pub fn finish(mut self) -> ParsedImport {
        if matches!(self.header, Header::Pending) {
            self.add_errors([RowError {
                row: 1,
                column: String::new(),
                reason: "文件为空：第1行应为列名".into(),
            }]);
        } else if self.out.total_rows == 0 && self.out.errors.is_empty() {
            self.add_errors([RowError {
                row: 2,
                column: String::new(),
                reason: "文件没有数据行".into(),
            }]);
        }
        self.out
    }
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
        let e = map_headers(&h[1..]).unwrap_err();
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

    #[test]
    fn long_cells_make_their_row_invalid_quoting_a_little() {
        let mut long = good_row("91350100M000100Y43");
        long[5] = "路".repeat(MAX_CELL_CHARS + 1);
        long[2] = "X".repeat(MAX_CELL_CHARS + 1);
        let mut at_limit = good_row("91110000600037341L");
        at_limit[9] = "王".repeat(MAX_CELL_CHARS);
        let p = parse_rows(&[header(), long, at_limit]);
        let row2: Vec<&RowError> = p.errors.iter().filter(|e| e.row == 2).collect();
        assert_eq!(row2.len(), 2, "{row2:?}");
        for (e, column) in row2.iter().zip(["行业代码", "地址"]) {
            assert_eq!(e.column, column);
            assert!(
                e.reason.contains(&format!("第2行“{column}”内容过长")),
                "{}",
                e.reason
            );
            assert!(e.reason.contains("…"));
            assert!(e.reason.chars().count() < 150, "{}", e.reason);
        }
        // A cell of exactly the limit is read (and judged by the field's own rule).
        let row3: Vec<&RowError> = p.errors.iter().filter(|e| e.row == 3).collect();
        assert_eq!(row3.len(), 1);
        assert!(row3[0].reason.contains("不能超过50个字符"), "{:?}", row3[0]);
    }

    #[test]
    fn reasons_quote_only_a_little() {
        let mut bad = good_row("91350100M000100Y43");
        bad[3] = "Ж".repeat(1500);
        bad[4] = "Ψ".repeat(1500);
        bad[6] = "Ω".repeat(1500);
        let p = parse_rows(&[header(), bad]);
        let quoting: Vec<&RowError> = p
            .errors
            .iter()
            .filter(|e| e.reason.contains(['Ж', 'Ψ', 'Ω']))
            .collect();
        assert_eq!(quoting.len(), 3, "{:?}", p.errors);
        for e in quoting {
            assert!(
                e.reason.chars().count() <= MAX_REASON_CHARS + 1,
                "{}",
                e.reason
            );
            let quoted: String = e.reason.chars().filter(|c| "ЖΨΩ".contains(*c)).collect();
            assert_eq!(quoted.chars().count(), EXCERPT_CHARS, "{}", e.reason);
            assert!(e.reason.contains(&format!("{quoted}…”")), "{}", e.reason);
        }
        assert_eq!(excerpt("短"), "短");
        assert_eq!(excerpt(&"长".repeat(51)), format!("{}…", "长".repeat(50)));
        assert_eq!(shorten_quotes("值“短”无效"), "值“短”无效");
        let quoted = format!("甲“{}”乙“{}", "x".repeat(80), "y".repeat(80));
        assert_eq!(
            shorten_quotes(&quoted),
            format!("甲“{}…”乙“{}…", "x".repeat(50), "y".repeat(50))
        );
        let unquoted = "z".repeat(1000);
        assert_eq!(
            shorten_quotes(&unquoted).chars().count(),
            MAX_REASON_CHARS + 1
        );
        let header_err = map_headers(&[format!("备注{}", "长".repeat(100))]).unwrap_err();
        assert!(header_err[0].column.chars().count() <= EXCERPT_CHARS + 1);
    }

    #[test]
    fn errors_past_the_listed_ones_are_counted() {
        let mut rows = vec![header()];
        for _ in 0..MAX_LISTED_ERRORS {
            let mut r = good_row("91350100M000100Y43");
            r[0] = String::new();
            r[6] = "东经".into();
            rows.push(r);
        }
        let p = parse_rows(&rows);
        assert_eq!(p.errors.len(), MAX_LISTED_ERRORS);
        // No name, a bad longitude (so none given): three errors a row, and every row but
        // the first repeats the code.
        assert_eq!(
            p.errors.len() + p.unlisted_errors,
            4 * MAX_LISTED_ERRORS - 1
        );
        assert!(p.errors.windows(2).all(|w| w[0].row <= w[1].row));
        assert_eq!(p.total_rows, MAX_LISTED_ERRORS);
    }

    #[test]
    fn rows_pushed_one_at_a_time() {
        let mut parser = ImportParser::new();
        parser.push(1, &header());
        parser.push(5, &good_row("91350100M000100Y43"));
        parser.push(9, &good_row("91110000600037341L"));
        let p = parser.finish();
        assert_eq!(p.valid.iter().map(|v| v.0).collect::<Vec<_>>(), vec![5, 9]);
        // The first row pushed is not row 1: the header row is empty, nothing else is read.
        let mut parser = ImportParser::new();
        parser.push(2, &header());
        assert!(!parser.wants_rows());
        parser.push(3, &good_row("91350100M000100Y43"));
        let p = parser.finish();
        assert!(p.valid.is_empty());
        assert!(
            p.errors
                .iter()
                .all(|e| e.row == 1 && e.reason.contains("缺少必填列"))
        );
        assert!(
            ImportParser::new().finish().errors[0]
                .reason
                .contains("文件为空")
        );
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
