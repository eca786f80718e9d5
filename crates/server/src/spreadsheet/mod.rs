//! Reading uploaded .xlsx/.xls/.csv files into rows of text, and writing .xlsx. Uploads are
//! checked by content, not by name: a zip signature means .xlsx, the OLE signature means .xls,
//! anything else must decode as CSV text (UTF-8, with or without BOM, or GB18030 as Excel saves
//! it on Chinese Windows).
//!
//! An upload is untrusted and small files can stand for huge sheets (a 300 KB .xlsx can hold a
//! 300 MB cell, a few bytes of .xls can claim a 65,536 × 65,536 range), so the readers are our
//! own and bounded as they read: the first sheet is streamed row by row to the caller, nothing
//! is reserved from counts the file declares, and reading stops at the first bound crossed —
//! [`MAX_ROWS`] data rows, [`MAX_COLS`] columns, the decompressed sizes of an .xlsx (declared
//! and actually read: [`MAX_UNZIPPED_BYTES`], [`MAX_PART_BYTES`],
//! [`MAX_SHARED_STRINGS_BYTES`]), one XML token ([`MAX_XML_TOKEN_BYTES`]), the size of an .xls
//! ([`MAX_XLS_BYTES`], [`MAX_XLS_CELLS`]). Every cell is cut to one character more than
//! [`MAX_CELL_CHARS`], so the import can tell the row it is too long without holding it.
//!
//! Layout: `limits` holds the bounds and the errors, `xlsx`, `xls` and `csv` the readers,
//! `text` the cell text they share, `export` the template writer and the download, `table`
//! the writer of every list export (column declarations: header, kind, value). Why the readers are our own and
//! not calamine's: docs/adr/0015-bounded-spreadsheet-readers.md.

mod csv;
mod export;
mod limits;
pub mod personal;
pub mod table;
mod text;
mod xls;
mod xlsx;

#[cfg(test)]
mod tests;

pub use export::{XLSX_MIME, utf8_percent, write_xlsx, xlsx_response};
pub use limits::{
    Limits, MAX_CELL_CHARS, MAX_COLS, MAX_PART_BYTES, MAX_ROWS, MAX_SHARED_STRINGS,
    MAX_SHARED_STRINGS_BYTES, MAX_UNZIPPED_BYTES, MAX_XLS_BYTES, MAX_XLS_CELLS, MAX_XML_DEPTH,
    MAX_XML_TOKEN_BYTES, MAX_ZIP_ENTRIES, ReadError,
};
use limits::{invalid, too_many_rows};

/// Hands rows to the caller: empty rows are skipped, trailing empty cells dropped, and the
/// row bound applies to row numbers and to the count of rows alike.
struct Rows<'a> {
    on_row: &'a mut dyn FnMut(usize, &[String]) -> bool,
    delivered: usize,
    limits: &'a Limits,
}

impl Rows<'_> {
    /// False when the caller wants no more rows.
    fn deliver(&mut self, row_no: usize, cells: &mut Vec<String>) -> Result<bool, ReadError> {
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        if cells.is_empty() {
            return Ok(true);
        }
        self.delivered += 1;
        let max = self.limits.rows + 1;
        if row_no > max || self.delivered > max {
            return Err(too_many_rows(self.limits));
        }
        Ok((self.on_row)(row_no, cells))
    }
}

/// Reads the first sheet of an upload row by row: `on_row(row number counting from 1, cells)`
/// for every row with a filled cell, in file order, until it returns false. Nothing of the
/// file is held but the current row (and an .xlsx's shared strings, an .xls's cells).
pub fn read_rows(
    bytes: &[u8],
    on_row: &mut dyn FnMut(usize, &[String]) -> bool,
) -> Result<(), ReadError> {
    read_rows_within(bytes, &Limits::DEFAULT, on_row)
}

/// [`read_rows`] within other bounds.
pub fn read_rows_within(
    bytes: &[u8],
    limits: &Limits,
    on_row: &mut dyn FnMut(usize, &[String]) -> bool,
) -> Result<(), ReadError> {
    let mut rows = Rows {
        on_row,
        delivered: 0,
        limits,
    };
    if bytes.is_empty() {
        return Err(invalid("上传的文件为空"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return xlsx::read(bytes, &mut rows);
    }
    if bytes.starts_with(&xls::SIGNATURE[..4]) {
        return xls::read(bytes, &mut rows);
    }
    if bytes.iter().take(4096).any(|&b| b == 0) {
        return Err(invalid("文件不是.xlsx、.xls或.csv表格，请使用下载的模板"));
    }
    csv::read(bytes, &mut rows)
}

/// The whole first sheet, `rows[i]` being sheet row `i + 1` (empty rows are empty). For
/// files we wrote ourselves and tests; imports use [`read_rows`].
pub fn read_table(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    read_table_within(bytes, &Limits::DEFAULT)
}

/// [`read_table`] within other bounds.
pub fn read_table_within(bytes: &[u8], limits: &Limits) -> Result<Vec<Vec<String>>, String> {
    let mut table: Vec<Vec<String>> = Vec::new();
    read_rows_within(bytes, limits, &mut |row_no, cells| {
        if table.len() < row_no {
            table.resize(row_no - 1, Vec::new());
            table.push(cells.to_vec());
        }
        true
    })
    .map_err(|e| e.message().to_string())?;
    Ok(table)
}
