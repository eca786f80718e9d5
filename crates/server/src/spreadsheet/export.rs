//! Writing import templates (.xlsx with a notes sheet) and sending a workbook as a download;
//! list exports go through `table`, the one column-declared writer.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};

pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One sheet with a bold, frozen header row (its cells neutralised as in `table`); optional
/// second sheet of notes.
pub fn write_xlsx(
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    notes: Option<(&str, Vec<Vec<String>>)>,
) -> Result<Vec<u8>, String> {
    let inner = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold().set_background_color(0xDDEBF7);
        let text = Format::new().set_num_format("@");
        let ws = wb.add_worksheet();
        ws.set_name(sheet)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
            ws.set_column_width(c as u16, (h.chars().count() as f64 * 2.2).max(14.0))?;
            // Codes stay text, so Excel does not turn 360403001001001 into 3.60403E+14.
            ws.set_column_format(c as u16, &text)?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    // Names and numbers from records: never a formula (issue 26).
                    ws.write_string((r + 1) as u32, c as u16, super::table::neutralise(v))?;
                }
            }
        }
        if let Some((name, lines)) = notes {
            let ns = wb.add_worksheet();
            ns.set_name(name)?;
            ns.set_column_width(0, 24)?;
            ns.set_column_width(1, 90)?;
            for (r, line) in lines.iter().enumerate() {
                for (c, v) in line.iter().enumerate() {
                    if r == 0 {
                        ns.write_string_with_format(0, c as u16, v, &bold)?;
                    } else {
                        ns.write_string(r as u32, c as u16, v)?;
                    }
                }
            }
        }
        wb.save_to_buffer()
    };
    inner().map_err(|e| format!("生成Excel失败：{e}"))
}

/// An .xlsx download with a UTF-8 file name (RFC 6266).
pub fn xlsx_response(bytes: Vec<u8>, filename: &str) -> Response {
    let disposition = format!(
        "attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}",
        utf8_percent(filename)
    );
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(XLSX_MIME)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response()
}

pub fn utf8_percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
