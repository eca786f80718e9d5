//! CSV text: UTF-8 (with or without BOM) or GB18030 as Excel saves it on Chinese Windows.

use super::Rows;
use super::limits::{ReadError, invalid, too_many_columns, too_many_rows};
use super::text::keep;
use std::borrow::Cow;

pub(super) fn read(bytes: &[u8], rows: &mut Rows) -> Result<(), ReadError> {
    let text: Cow<[u8]> = match std::str::from_utf8(bytes) {
        Ok(_) => Cow::Borrowed(bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes)),
        Err(_) => {
            let (cow, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err(invalid("CSV文件编码无法识别，请保存为UTF-8或GBK编码"));
            }
            Cow::Owned(cow.into_owned().into_bytes())
        }
    };
    let builder = || {
        let mut b = ::csv::ReaderBuilder::new();
        b.has_headers(false).flexible(true);
        b
    };
    // Counting records costs little (nothing is kept): a file with too many is refused before
    // any row is parsed.
    let mut counter = builder().from_reader(&text[..]);
    let mut raw = ::csv::ByteRecord::new();
    let mut count = 0;
    while let Ok(true) = counter.read_byte_record(&mut raw) {
        count += 1;
        if count > rows.limits.rows + 1 {
            return Err(too_many_rows(rows.limits));
        }
    }
    let mut reader = builder().from_reader(&text[..]);
    let mut record = ::csv::StringRecord::new();
    let mut cells: Vec<String> = Vec::new();
    let mut row_no = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return Ok(()),
            Err(e) => return Err(invalid(format!("CSV第{}行格式错误：{e}", row_no + 1))),
        }
        row_no += 1;
        if row_no > rows.limits.rows + 1 {
            return Err(too_many_rows(rows.limits));
        }
        cells.clear();
        for (col, field) in record.iter().enumerate() {
            if col < rows.limits.cols {
                cells.push(keep(field).to_string());
            } else if !field.trim().is_empty() {
                return Err(too_many_columns(rows.limits, row_no));
            }
        }
        if !rows.deliver(row_no, &mut cells)? {
            return Ok(());
        }
    }
}
