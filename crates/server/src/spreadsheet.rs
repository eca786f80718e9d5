//! Reading uploaded .xlsx/.csv files into rows of text, and writing .xlsx. Uploads are checked
//! by content, not by name: a zip signature means .xlsx, the old OLE signature is refused with
//! advice, anything else must decode as CSV text (UTF-8, with or without BOM, or GB18030 as
//! Excel saves it on Chinese Windows).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;

pub const MAX_ROWS: usize = 200_000;
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub fn read_table(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    if bytes.is_empty() {
        return Err("上传的文件为空".into());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err("不支持旧版.xls文件，请在Excel中另存为.xlsx或.csv后再导入".into());
    }
    if bytes.iter().take(4096).any(|&b| b == 0) {
        return Err("文件不是.xlsx或.csv表格，请使用下载的模板".into());
    }
    read_csv(bytes)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| format!("无法读取.xlsx文件：{e}"))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or("文件中没有工作表")?
        .map_err(|e| format!("无法读取第一个工作表：{e}"))?;
    let (start_row, start_col) = range
        .start()
        .map(|(r, c)| (r as usize, c as usize))
        .unwrap_or((0, 0));
    if range.height() > MAX_ROWS {
        return Err(format!("数据行过多：一次最多导入{MAX_ROWS}行"));
    }
    // Keep sheet row numbers: pad rows and columns the range skipped.
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); start_row];
    for row in range.rows() {
        let mut out = vec![String::new(); start_col];
        out.extend(row.iter().map(|c| match c {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
            Data::DateTime(d) => d.to_string(),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#ERR {e:?}"),
        }));
        rows.push(out);
    }
    Ok(rows)
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{feff}').to_string(),
        Err(_) => {
            let (cow, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err("CSV文件编码无法识别，请保存为UTF-8或GBK编码".into());
            }
            cow.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        if i >= MAX_ROWS {
            return Err(format!("数据行过多：一次最多导入{MAX_ROWS}行"));
        }
        let rec = rec.map_err(|e| format!("CSV第{}行格式错误：{e}", i + 1))?;
        rows.push(rec.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

/// One sheet with a bold, frozen header row; optional second sheet of notes.
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
                    ws.write_string((r + 1) as u32, c as u16, v)?;
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

/// Several sheets, each with a bold, frozen header row.
pub fn write_workbook(sheets: &[(&str, Vec<&str>, Vec<Vec<String>>)]) -> Result<Vec<u8>, String> {
    let inner = || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new()
            .set_bold()
            .set_background_color(0xDDEBF7)
            .set_text_wrap();
        let wrap = Format::new()
            .set_text_wrap()
            .set_align(rust_xlsxwriter::FormatAlign::Top);
        for (name, headers, rows) in sheets {
            let ws = wb.add_worksheet();
            ws.set_name(*name)?;
            for (c, h) in headers.iter().enumerate() {
                ws.write_string_with_format(0, c as u16, *h, &bold)?;
                ws.set_column_width(c as u16, (h.chars().count() as f64 * 2.4).max(12.0))?;
            }
            ws.set_freeze_panes(1, 0)?;
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    ws.write_string_with_format((r + 1) as u32, c as u16, v, &wrap)?;
                }
            }
        }
        wb.save_to_buffer()
    };
    inner().map_err(|e| format!("生成Excel失败：{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xlsx_round_trip() {
        let rows = vec![
            vec!["甲".to_string(), "360403001001001".to_string()],
            vec![String::new(), "2".to_string()],
        ];
        let bytes = write_xlsx("企业", &["名称", "网格"], &rows, None).unwrap();
        let back = read_table(&bytes).unwrap();
        assert_eq!(back[0], ["名称", "网格"]);
        assert_eq!(back[1], ["甲", "360403001001001"]);
        assert_eq!(back[2][1], "2");
    }

    #[test]
    fn csv_encodings() {
        let utf8 = "\u{feff}名称,代码\n甲,1\n".as_bytes();
        assert_eq!(read_table(utf8).unwrap()[1], ["甲", "1"]);
        let (gbk, _, _) = encoding_rs::GB18030.encode("名称,代码\n乙,2\n");
        assert_eq!(read_table(&gbk).unwrap()[1], ["乙", "2"]);
    }

    #[test]
    fn refuses_binaries() {
        assert!(
            read_table(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0])
                .unwrap_err()
                .contains(".xls")
        );
        assert!(read_table(b"\x7fELF\0\0\0").is_err());
        assert!(read_table(b"").is_err());
        assert!(
            read_table(b"PK\x03\x04garbage")
                .unwrap_err()
                .contains("xlsx")
        );
    }
}
