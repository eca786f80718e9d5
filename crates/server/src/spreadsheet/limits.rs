//! The bounds of a read and the errors that cross them.

pub use yingji_core::directory::import::MAX_CELL_CHARS;

/// Data rows one import reads (the header row comes on top) and one export writes.
pub const MAX_ROWS: usize = 200_000;
/// Columns one import reads; a filled cell further right refuses the file.
pub const MAX_COLS: usize = 256;
/// Everything an .xlsx holds, decompressed: the sum of the declared sizes of all its entries,
/// and the sum of what is actually read.
pub const MAX_UNZIPPED_BYTES: u64 = 384 << 20;
/// One entry of an .xlsx, decompressed (declared or read). 200,000 rows of the template make
/// a sheet of about 130 MB.
pub const MAX_PART_BYTES: u64 = 256 << 20;
/// The shared strings of an .xlsx, the one part kept in memory while the sheet is read.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 96 << 20;
/// Shared strings of an .xlsx, or of an .xls.
pub const MAX_SHARED_STRINGS: usize = 4_000_000;
/// Entries of an .xlsx.
pub const MAX_ZIP_ENTRIES: usize = 10_000;
/// One XML token (text between tags, a tag, a comment …) of an .xlsx: a cell of Excel's
/// maximum of 32,767 characters fits, escaped.
pub const MAX_XML_TOKEN_BYTES: u64 = 1 << 20;
/// Nesting of XML elements in an .xlsx.
pub const MAX_XML_DEPTH: usize = 64;
/// An .xls file: there is no compression in it, but its cells are collected before they are
/// sorted into rows.
pub const MAX_XLS_BYTES: usize = 16 << 20;
/// Filled cells of an .xls sheet (65,536 rows of 30 columns).
pub const MAX_XLS_CELLS: usize = 2_000_000;

/// The bounds of one read. Imports use [`Limits::DEFAULT`], made of the constants above; tests
/// shrink them to cross them cheaply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub rows: usize,
    pub cols: usize,
    pub unzipped_bytes: u64,
    pub part_bytes: u64,
    pub shared_strings_bytes: u64,
    pub shared_strings: usize,
    pub zip_entries: usize,
    pub xml_token_bytes: u64,
    pub xml_depth: usize,
    pub xls_bytes: usize,
    pub xls_cells: usize,
}

impl Limits {
    pub const DEFAULT: Limits = Limits {
        rows: MAX_ROWS,
        cols: MAX_COLS,
        unzipped_bytes: MAX_UNZIPPED_BYTES,
        part_bytes: MAX_PART_BYTES,
        shared_strings_bytes: MAX_SHARED_STRINGS_BYTES,
        shared_strings: MAX_SHARED_STRINGS,
        zip_entries: MAX_ZIP_ENTRIES,
        xml_token_bytes: MAX_XML_TOKEN_BYTES,
        xml_depth: MAX_XML_DEPTH,
        xls_bytes: MAX_XLS_BYTES,
        xls_cells: MAX_XLS_CELLS,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Characters kept of one cell.
pub(super) const KEEP_CHARS: usize = MAX_CELL_CHARS + 1;

/// Why an upload cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// A size bound is crossed (HTTP 413).
    TooLarge(String),
    /// Not a table we can read, or too many rows or columns (HTTP 400).
    Invalid(String),
}

impl ReadError {
    pub fn message(&self) -> &str {
        match self {
            ReadError::TooLarge(m) | ReadError::Invalid(m) => m,
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

pub(super) fn invalid(m: impl Into<String>) -> ReadError {
    ReadError::Invalid(m.into())
}

pub(super) fn too_many_rows(l: &Limits) -> ReadError {
    invalid(format!(
        "数据行过多：一次最多导入{}行，请拆分文件后分批导入",
        l.rows
    ))
}

pub(super) fn too_many_columns(l: &Limits, row: usize) -> ReadError {
    invalid(format!(
        "第{row}行超过{}列：请删除模板以外的列后再导入",
        l.cols
    ))
}
