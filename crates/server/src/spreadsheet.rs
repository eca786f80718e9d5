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

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook};
use std::borrow::Cow;
use std::io::Cursor;
pub use yingji_core::import::MAX_CELL_CHARS;

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
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

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
const KEEP_CHARS: usize = MAX_CELL_CHARS + 1;

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

fn invalid(m: impl Into<String>) -> ReadError {
    ReadError::Invalid(m.into())
}

fn too_many_rows(l: &Limits) -> ReadError {
    invalid(format!(
        "数据行过多：一次最多导入{}行，请拆分文件后分批导入",
        l.rows
    ))
}

fn too_many_columns(l: &Limits, row: usize) -> ReadError {
    invalid(format!(
        "第{row}行超过{}列：请删除模板以外的列后再导入",
        l.cols
    ))
}

/// The first `KEEP_CHARS` characters of a cell.
fn keep(s: &str) -> &str {
    match s.char_indices().nth(KEEP_CHARS) {
        None => s,
        Some((i, _)) => &s[..i],
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

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
    read_csv(bytes, &mut rows)
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

fn read_csv(bytes: &[u8], rows: &mut Rows) -> Result<(), ReadError> {
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
        let mut b = csv::ReaderBuilder::new();
        b.has_headers(false).flexible(true);
        b
    };
    // Counting records costs little (nothing is kept): a file with too many is refused before
    // any row is parsed.
    let mut counter = builder().from_reader(&text[..]);
    let mut raw = csv::ByteRecord::new();
    let mut count = 0;
    while let Ok(true) = counter.read_byte_record(&mut raw) {
        count += 1;
        if count > rows.limits.rows + 1 {
            return Err(too_many_rows(rows.limits));
        }
    }
    let mut reader = builder().from_reader(&text[..]);
    let mut record = csv::StringRecord::new();
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

/// Text collected from several XML events, cut at a number of characters.
struct Text {
    s: String,
    chars: usize,
    cap: usize,
}

impl Text {
    fn new(cap: usize) -> Self {
        Self {
            s: String::new(),
            chars: 0,
            cap,
        }
    }

    fn clear(&mut self) {
        self.s.clear();
        self.chars = 0;
    }

    fn push(&mut self, t: &str) {
        let room = self.cap - self.chars;
        if room == 0 {
            return;
        }
        match t.char_indices().nth(room) {
            None => {
                self.s.push_str(t);
                self.chars += t.chars().count();
            }
            Some((i, _)) => {
                self.s.push_str(&t[..i]);
                self.chars = self.cap;
            }
        }
    }
}

/// Strings stored once and referred to by index (an .xlsx's shared strings, an .xls's SST):
/// one buffer and the end of each string, each cut to `KEEP_CHARS`.
#[derive(Default)]
struct SharedStrings {
    text: String,
    ends: Vec<u32>,
}

impl SharedStrings {
    fn push(&mut self, s: &str, max: usize) -> Result<(), ReadError> {
        if self.ends.len() >= max {
            return Err(ReadError::TooLarge(format!(
                "文件中的不同文字超过{max}项，请拆分文件后再导入"
            )));
        }
        self.text.push_str(keep(s));
        let end = u32::try_from(self.text.len())
            .map_err(|_| ReadError::TooLarge("文件中的文字内容过多，请拆分文件后再导入".into()))?;
        self.ends.push(end);
        Ok(())
    }

    fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }
}

mod xlsx {
    //! Office Open XML: the package relationships name the workbook, the workbook names its
    //! first sheet, the workbook's relationships give that sheet's part and the shared strings.
    //! Every part goes through [`Limited`], which counts what is decompressed and how long the
    //! current XML token is, so quick-xml never buffers more than one bounded token.

    use super::*;
    use quick_xml::events::{BytesStart, Event};
    use std::cell::Cell;
    use std::collections::HashMap;
    use std::io::{self, BufRead, BufReader, Read};
    use zip::ZipArchive;
    use zip::read::ZipFile;

    type Archive<'b> = ZipArchive<Cursor<&'b [u8]>>;

    fn corrupt(e: impl std::fmt::Display) -> ReadError {
        invalid(format!(
            "无法读取.xlsx文件：{e}。请在Excel中打开并另存为.xlsx后再导入"
        ))
    }

    fn mb(bytes: u64) -> String {
        format!("{}MB", bytes.div_ceil(1 << 20))
    }

    fn unzipped_too_large(l: &Limits) -> ReadError {
        ReadError::TooLarge(format!(
            ".xlsx文件解压后过大（单个部件最多{}，合计最多{}），请删除无关的工作表、图片或拆分文件后再导入",
            mb(l.part_bytes),
            mb(l.unzipped_bytes)
        ))
    }

    fn shared_strings_too_large(l: &Limits) -> ReadError {
        ReadError::TooLarge(format!(
            ".xlsx文件中的文字内容解压后超过{}，请拆分文件后再导入",
            mb(l.shared_strings_bytes)
        ))
    }

    fn token_too_large(l: &Limits) -> ReadError {
        ReadError::TooLarge(format!(
            ".xlsx文件中有内容超过{}KB的单元格或标记，无法读取；单元格最多{MAX_CELL_CHARS}个字符",
            l.xml_token_bytes.div_ceil(1 << 10)
        ))
    }

    #[derive(Clone, Copy, Debug)]
    enum Hit {
        Part,
        Strings,
        Total,
        Token,
    }

    impl Hit {
        fn error(self, l: &Limits) -> ReadError {
            match self {
                Hit::Part | Hit::Total => unzipped_too_large(l),
                Hit::Strings => shared_strings_too_large(l),
                Hit::Token => token_too_large(l),
            }
        }
    }

    /// A part's decompressed bytes, counted: the part's own bound, the bound on all parts
    /// together, and the bytes since the last XML event (one token).
    struct Limited<'c, R> {
        inner: R,
        read: u64,
        limit: u64,
        limit_hit: Hit,
        since_event: u64,
        token_limit: u64,
        total: &'c Cell<u64>,
        total_limit: u64,
        hit: Option<Hit>,
        /// The zip layer failed: bad deflate data, a wrong checksum, or more data than the
        /// entry declares (zip refuses to inflate past the declared size).
        broken: bool,
    }

    impl<R: BufRead> Read for Limited<'_, R> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = {
                let buf = self.fill_buf()?;
                let n = buf.len().min(out.len());
                out[..n].copy_from_slice(&buf[..n]);
                n
            };
            self.consume(n);
            Ok(n)
        }
    }

    impl<R: BufRead> BufRead for Limited<'_, R> {
        fn fill_buf(&mut self) -> io::Result<&[u8]> {
            let hit = if self.read > self.limit {
                Some(self.limit_hit)
            } else if self.total.get() > self.total_limit {
                Some(Hit::Total)
            } else if self.since_event > self.token_limit {
                Some(Hit::Token)
            } else {
                None
            };
            if let Some(hit) = hit {
                self.hit = Some(hit);
                return Err(io::Error::other("bound crossed"));
            }
            // Hand out no more than one byte past the nearest bound.
            let room = (self.token_limit - self.since_event).min(self.limit - self.read) + 1;
            let room = usize::try_from(room).unwrap_or(usize::MAX);
            match self.inner.fill_buf() {
                Ok(buf) => Ok(&buf[..buf.len().min(room)]),
                Err(e) => {
                    self.broken = true;
                    Err(e)
                }
            }
        }

        fn consume(&mut self, n: usize) {
            self.inner.consume(n);
            let n = n as u64;
            self.read += n;
            self.since_event += n;
            self.total.set(self.total.get().saturating_add(n));
        }
    }

    type PartReader<'z, 'b> = Limited<'z, BufReader<ZipFile<'z, Cursor<&'b [u8]>>>>;

    /// One XML part being read.
    struct Xml<'z, 'b> {
        reader: quick_xml::Reader<PartReader<'z, 'b>>,
        buf: Vec<u8>,
        depth: usize,
        limits: Limits,
    }

    impl<'z, 'b> Xml<'z, 'b> {
        fn next(&mut self) -> Result<Event<'_>, ReadError> {
            self.reader.get_mut().since_event = 0;
            self.buf.clear();
            match self.reader.read_event_into(&mut self.buf) {
                Ok(ev) => {
                    match &ev {
                        Event::Start(_) => {
                            self.depth += 1;
                            if self.depth > self.limits.xml_depth {
                                return Err(corrupt(format!(
                                    "XML元素嵌套超过{}层",
                                    self.limits.xml_depth
                                )));
                            }
                        }
                        Event::End(_) => self.depth = self.depth.saturating_sub(1),
                        Event::DocType(_) => return Err(corrupt("含有不允许的DOCTYPE声明")),
                        _ => {}
                    }
                    Ok(ev)
                }
                Err(e) => {
                    let part = self.reader.get_ref();
                    Err(match part.hit {
                        Some(hit) => hit.error(&self.limits),
                        None if part.broken => {
                            corrupt("压缩包中的数据已损坏，或比它声明的大小更大（文件可能被篡改）")
                        }
                        None => corrupt(format!("XML格式错误（{e}）")),
                    })
                }
            }
        }
    }

    /// Text content of an event inside an element whose text we collect.
    fn push_text(ev: &Event, out: &mut Text) {
        match ev {
            Event::Text(t) => out.push(&t.xml10_content()),
            Event::CData(t) => out.push(t),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => out.push(c.encode_utf8(&mut [0; 4])),
                _ => match quick_xml::escape::resolve_predefined_entity(r) {
                    Some(s) => out.push(s),
                    None => {
                        out.push("&");
                        out.push(r);
                        out.push(";");
                    }
                },
            },
            _ => {}
        }
    }

    /// The value of the attribute with this local name (`r:id` answers to "id"); references
    /// and white space are resolved only where there are any.
    fn attr<'e>(e: &'e BytesStart, local: &str) -> Option<Cow<'e, str>> {
        let mut attrs = e.attributes();
        attrs.with_checks(false);
        for a in attrs.flatten() {
            if a.key.local_name().as_ref() == local {
                if !a.value.contains(['&', '\t', '\r', '\n']) {
                    return Some(a.value);
                }
                return a
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| Cow::Owned(v.into_owned()));
            }
        }
        None
    }

    /// OOXML escapes characters XML cannot hold as `_xHHHH_`.
    fn unescape_ooxml(s: &str) -> Cow<'_, str> {
        if !s.contains("_x") {
            return Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find("_x") {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            let decoded = tail
                .get(2..6)
                .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32);
            match decoded {
                Some(c) => {
                    out.push(c);
                    rest = &tail[7..];
                }
                None => {
                    out.push_str("_x");
                    rest = &tail[2..];
                }
            }
        }
        out.push_str(rest);
        Cow::Owned(out)
    }

    /// Text is collected up to this many characters before `_xHHHH_` escapes are undone
    /// (seven characters each at most), then cut to `KEEP_CHARS`.
    const RAW_CHARS: usize = 7 * KEEP_CHARS;

    fn finish_text(t: &Text) -> String {
        keep(&unescape_ooxml(&t.s)).to_string()
    }

    /// A string item (`<si>`) or inline string (`<is>`): the text of its `<t>` elements, but
    /// not of phonetic guides (`<rPh>`), each trimmed of XML white space unless it says
    /// `xml:space="preserve"`, as Excel reads them.
    struct RichText {
        out: Text,
        t: Text,
        in_t: bool,
        preserve: bool,
        phonetic: usize,
    }

    impl RichText {
        fn new() -> Self {
            Self {
                out: Text::new(KEEP_CHARS),
                t: Text::new(RAW_CHARS),
                in_t: false,
                preserve: false,
                phonetic: 0,
            }
        }

        fn clear(&mut self) {
            self.out.clear();
            self.t.clear();
            self.in_t = false;
            self.phonetic = 0;
        }

        /// Takes the events inside the string; false for others.
        fn event(&mut self, ev: &Event) -> bool {
            match ev {
                Event::Start(e) | Event::Empty(e) => {
                    let empty = matches!(ev, Event::Empty(_));
                    match e.local_name().as_ref() {
                        "rPh" if !empty => self.phonetic += 1,
                        "t" if !empty && self.phonetic == 0 => {
                            self.in_t = true;
                            self.t.clear();
                            self.preserve = attr(e, "space").as_deref() == Some("preserve");
                        }
                        _ => return false,
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "rPh" => self.phonetic = self.phonetic.saturating_sub(1),
                    "t" if self.in_t => {
                        self.in_t = false;
                        let raw = if self.preserve {
                            self.t.s.as_str()
                        } else {
                            self.t.s.trim_matches([' ', '\t', '\r', '\n'])
                        };
                        self.out.push(&unescape_ooxml(raw));
                    }
                    _ => return false,
                },
                ev if self.in_t => push_text(ev, &mut self.t),
                _ => return false,
            }
            true
        }
    }

    /// A path inside the package as the lookup key: forward slashes, no leading slash, lower
    /// case (Excel treats part names case-insensitively).
    fn key(path: &str) -> String {
        path.replace('\\', "/")
            .trim_start_matches('/')
            .to_ascii_lowercase()
    }

    /// A relationship target, relative to the directory of the part that names it (or absolute).
    fn resolve(base_dir: &str, target: &str) -> String {
        let target = target.replace('\\', "/");
        let joined = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("{base_dir}{target}"),
        };
        let mut parts: Vec<&str> = Vec::new();
        for p in joined.split('/') {
            match p {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                p => parts.push(p),
            }
        }
        parts.join("/")
    }

    fn split_dir(path: &str) -> (&str, &str) {
        match path.rfind('/') {
            Some(i) => path.split_at(i + 1),
            None => ("", path),
        }
    }

    struct Package<'b> {
        zip: Archive<'b>,
        names: HashMap<String, usize>,
        total: Cell<u64>,
        limits: Limits,
    }

    impl<'b> Package<'b> {
        fn open(&mut self, path: &str, limit_hit: Hit) -> Result<Option<Xml<'_, 'b>>, ReadError> {
            let Some(&index) = self.names.get(&key(path)) else {
                return Ok(None);
            };
            let limits = self.limits;
            let limit = match limit_hit {
                Hit::Strings => limits.shared_strings_bytes,
                _ => limits.part_bytes,
            };
            let file = self.zip.by_index(index).map_err(corrupt)?;
            if file.size() > limit {
                return Err(limit_hit.error(&limits));
            }
            let mut reader = quick_xml::Reader::from_reader(Limited {
                inner: BufReader::new(file),
                read: 0,
                limit,
                limit_hit,
                since_event: 0,
                token_limit: limits.xml_token_bytes,
                total: &self.total,
                total_limit: limits.unzipped_bytes,
                hit: None,
                broken: false,
            });
            let config = reader.config_mut();
            config.trim_text(false);
            config.check_end_names = false;
            config.check_comments = false;
            config.expand_empty_elements = false;
            config.allow_unmatched_ends = true;
            Ok(Some(Xml {
                reader,
                buf: Vec::new(),
                depth: 0,
                limits,
            }))
        }

        /// The workbook part named by the package relationships.
        fn workbook_path(&mut self) -> Result<String, ReadError> {
            if let Some(mut xml) = self.open("_rels/.rels", Hit::Part)? {
                loop {
                    match xml.next()? {
                        Event::Start(e) | Event::Empty(e)
                            if e.local_name().as_ref() == "Relationship" =>
                        {
                            let office =
                                attr(&e, "Type").is_some_and(|t| t.ends_with("/officeDocument"));
                            if let (true, Some(target)) = (office, attr(&e, "Target")) {
                                return Ok(resolve("", &target));
                            }
                        }
                        Event::Eof => break,
                        _ => {}
                    }
                }
            }
            Ok("xl/workbook.xml".into())
        }

        /// The relationship id of the workbook's first sheet.
        fn first_sheet_id(&mut self, workbook: &str) -> Result<String, ReadError> {
            let Some(mut xml) = self.open(workbook, Hit::Part)? else {
                return Err(corrupt("缺少工作簿"));
            };
            loop {
                match xml.next()? {
                    Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                        if let Some(id) = attr(&e, "id") {
                            return Ok(id.into_owned());
                        }
                    }
                    Event::Eof => return Err(invalid("文件中没有工作表")),
                    _ => {}
                }
            }
        }

        /// The first sheet's part and the shared strings part, from the workbook's
        /// relationships.
        fn parts(
            &mut self,
            workbook: &str,
            sheet_id: &str,
        ) -> Result<(String, Option<String>), ReadError> {
            let (dir, file) = split_dir(workbook);
            let rels = format!("{dir}_rels/{file}.rels");
            let mut sheet = None;
            let mut strings = None;
            if let Some(mut xml) = self.open(&rels, Hit::Part)? {
                // (The part borrows the archive until the end of this block.)
                loop {
                    match xml.next()? {
                        Event::Start(e) | Event::Empty(e)
                            if e.local_name().as_ref() == "Relationship" =>
                        {
                            let Some(target) = attr(&e, "Target") else {
                                continue;
                            };
                            if sheet.is_none() && attr(&e, "Id").as_deref() == Some(sheet_id) {
                                sheet = Some(resolve(dir, &target));
                            } else if strings.is_none()
                                && attr(&e, "Type").is_some_and(|t| t.ends_with("/sharedStrings"))
                            {
                                strings = Some(resolve(dir, &target));
                            }
                        }
                        Event::Eof => break,
                        _ => {}
                    }
                }
            }
            let sheet = sheet.ok_or_else(|| invalid("文件中没有工作表"))?;
            let strings = strings.or_else(|| {
                let fallback = format!("{dir}sharedStrings.xml");
                self.names.contains_key(&key(&fallback)).then_some(fallback)
            });
            Ok((sheet, strings))
        }

        fn shared_strings(&mut self, path: &str) -> Result<SharedStrings, ReadError> {
            let mut out = SharedStrings::default();
            let max = self.limits.shared_strings;
            let Some(mut xml) = self.open(path, Hit::Strings)? else {
                return Ok(out);
            };
            let mut current = RichText::new();
            let mut in_si = false;
            loop {
                let ev = xml.next()?;
                if in_si && current.event(&ev) {
                    continue;
                }
                match &ev {
                    Event::Start(e) if e.local_name().as_ref() == "si" => {
                        in_si = true;
                        current.clear();
                    }
                    Event::Empty(e) if e.local_name().as_ref() == "si" => out.push("", max)?,
                    Event::End(e) if in_si && e.local_name().as_ref() == "si" => {
                        in_si = false;
                        out.push(&current.out.s, max)?;
                    }
                    Event::Eof => break,
                    _ => {}
                }
            }
            out.text.shrink_to_fit();
            out.ends.shrink_to_fit();
            Ok(out)
        }

        /// Streams the sheet's rows.
        fn sheet(
            &mut self,
            path: &str,
            strings: &SharedStrings,
            rows: &mut Rows,
        ) -> Result<(), ReadError> {
            let Some(mut xml) = self.open(path, Hit::Part)? else {
                return Err(corrupt("缺少工作表"));
            };
            let mut in_data = false;
            // The open row's number, its cells, the column a cell without `r` takes.
            let mut row: Option<usize> = None;
            let mut row_no = 0usize;
            let mut cells: Vec<String> = Vec::new();
            let mut next_col = 0usize;
            // The open cell: its column and type, its <v> and its inline string.
            let mut cell: Option<(usize, Kind)> = None;
            let mut value = Text::new(RAW_CHARS);
            let mut inline = RichText::new();
            let (mut in_v, mut in_is) = (false, false);
            loop {
                let ev = xml.next()?;
                if in_is && inline.event(&ev) {
                    continue;
                }
                match &ev {
                    Event::Start(e) | Event::Empty(e) => {
                        let empty = matches!(ev, Event::Empty(_));
                        match e.local_name().as_ref() {
                            "sheetData" => in_data = !empty,
                            "row" if in_data => {
                                row_no = attr(e, "r")
                                    .and_then(|r| r.trim().parse().ok())
                                    .unwrap_or(row_no + 1);
                                cells.clear();
                                next_col = 0;
                                row = (!empty).then_some(row_no);
                            }
                            "c" if row.is_some() => {
                                let col =
                                    attr(e, "r").and_then(|r| column_of(&r)).unwrap_or(next_col);
                                next_col = col.saturating_add(1);
                                if !empty {
                                    cell = Some((col, Kind::of(attr(e, "t").as_deref())));
                                    value.clear();
                                    inline.clear();
                                }
                            }
                            "v" if cell.is_some() && !empty => in_v = true,
                            "is" if cell.is_some() && !empty => in_is = true,
                            _ => {}
                        }
                    }
                    Event::End(e) => match e.local_name().as_ref() {
                        "v" => in_v = false,
                        "is" => in_is = false,
                        "c" => {
                            if let Some((col, kind)) = cell.take() {
                                let text = cell_text(kind, &value, &inline.out.s, strings);
                                if !text.is_empty() {
                                    if col >= rows.limits.cols {
                                        return Err(too_many_columns(rows.limits, row_no));
                                    }
                                    if cells.len() <= col {
                                        cells.resize(col + 1, String::new());
                                    }
                                    cells[col] = text;
                                }
                            }
                            (in_v, in_is) = (false, false);
                        }
                        "row" => {
                            if let Some(n) = row.take()
                                && !rows.deliver(n, &mut cells)?
                            {
                                return Ok(());
                            }
                        }
                        "sheetData" => break,
                        _ => {}
                    },
                    Event::Eof => break,
                    ev if in_v => push_text(ev, &mut value),
                    _ => {}
                }
            }
            if let Some(n) = row {
                rows.deliver(n, &mut cells)?;
            }
            Ok(())
        }
    }

    /// The column index of a cell reference: "C7" → 2.
    fn column_of(r: &str) -> Option<usize> {
        let letters: &str = &r[..r.bytes().take_while(u8::is_ascii_alphabetic).count()];
        if letters.is_empty() || letters.len() > 4 {
            return None;
        }
        let mut col = 0usize;
        for b in letters.bytes() {
            col = col * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize;
        }
        Some(col - 1)
    }

    /// A cell's `t`: its value is a shared string's index, an inline string, a formula's text,
    /// a boolean, an error, an ISO date or (by default) a number.
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        Shared,
        Inline,
        Str,
        Bool,
        Error,
        Date,
        Number,
    }

    impl Kind {
        fn of(t: Option<&str>) -> Self {
            match t {
                Some("s") => Kind::Shared,
                Some("inlineStr") => Kind::Inline,
                Some("str") => Kind::Str,
                Some("b") => Kind::Bool,
                Some("e") => Kind::Error,
                Some("d") => Kind::Date,
                _ => Kind::Number,
            }
        }
    }

    fn cell_text(kind: Kind, value: &Text, inline: &str, strings: &SharedStrings) -> String {
        let v = value.s.as_str();
        match kind {
            Kind::Shared => v
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|i| strings.get(i))
                .unwrap_or("")
                .to_string(),
            Kind::Inline if inline.is_empty() => finish_text(value),
            Kind::Inline => inline.to_string(),
            Kind::Str => finish_text(value),
            Kind::Bool => match v.trim() {
                "1" | "true" => "是".into(),
                "0" | "false" => "否".into(),
                other => keep(other).to_string(),
            },
            Kind::Error | Kind::Date => keep(v).to_string(),
            Kind::Number => match v.trim().parse::<f64>() {
                Ok(f) if f.is_finite() => number_text(f),
                _ => keep(v).to_string(),
            },
        }
    }

    pub(super) fn read(bytes: &[u8], rows: &mut Rows) -> Result<(), ReadError> {
        let limits = *rows.limits;
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(corrupt)?;
        if zip.len() > limits.zip_entries {
            return Err(corrupt(format!("压缩包内文件过多（{}个）", zip.len())));
        }
        // Declared sizes first: a bomb that admits its size is refused before any inflating.
        let mut names = HashMap::with_capacity(zip.len());
        let mut declared = 0u64;
        for i in 0..zip.len() {
            let entry = zip.by_index_data(i).map_err(corrupt)?;
            let size = entry.size();
            declared = declared.saturating_add(size);
            if size > limits.part_bytes || declared > limits.unzipped_bytes {
                return Err(unzipped_too_large(&limits));
            }
            let name = entry.name().map_err(corrupt)?;
            names.entry(key(&name)).or_insert(i);
        }
        let mut package = Package {
            zip,
            names,
            total: Cell::new(0),
            limits,
        };
        let workbook = package.workbook_path()?;
        let sheet_id = package.first_sheet_id(&workbook)?;
        let (sheet, strings_path) = package.parts(&workbook, &sheet_id)?;
        let strings = match strings_path {
            Some(p) => package.shared_strings(&p)?,
            None => SharedStrings::default(),
        };
        package.sheet(&sheet, &strings, rows)
    }

    #[cfg(test)]
    pub(super) fn column_of_for_tests(r: &str) -> Option<usize> {
        column_of(r)
    }
}

mod xls {
    //! Excel 97–2003 (BIFF8) in an OLE compound file: the compound file is walked with every
    //! sector chain checked against the file (no loops, nothing outside it), the Workbook
    //! stream is copied out (it is at most as large as the file), and the first worksheet's
    //! cells are collected compactly, sorted and handed out row by row.

    use super::*;

    pub(super) const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
    const MAXREGSECT: u32 = 0xFFFF_FFFA;

    fn corrupt() -> ReadError {
        invalid(
            "无法读取.xls文件：文件已损坏或不是Excel 97-2003工作簿，请在Excel中另存为.xlsx后再导入",
        )
    }

    fn u16_at(b: &[u8], at: usize) -> Option<u16> {
        Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
    }

    fn u32_at(b: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
    }

    struct Cfb<'a> {
        bytes: &'a [u8],
        sector_size: usize,
        /// Sectors the file holds after its header: no chain is longer.
        sectors: usize,
        fat: Vec<u32>,
    }

    impl<'a> Cfb<'a> {
        fn sector(&self, id: u32) -> Result<&'a [u8], ReadError> {
            let start = (id as usize + 1) * self.sector_size;
            self.bytes
                .get(start..start + self.sector_size)
                .ok_or_else(corrupt)
        }

        /// The sectors of a chain, in order; a loop or a pointer outside the table is an error.
        fn chain(&self, start: u32, table: &[u32], max: usize) -> Result<Vec<u32>, ReadError> {
            let mut ids = Vec::new();
            let mut id = start;
            while id != ENDOFCHAIN {
                if id > MAXREGSECT || ids.len() >= max {
                    return Err(corrupt());
                }
                ids.push(id);
                id = *table.get(id as usize).ok_or_else(corrupt)?;
            }
            Ok(ids)
        }

        fn stream(&self, start: u32, len: usize) -> Result<Vec<u8>, ReadError> {
            let mut out = Vec::with_capacity(len);
            for id in self.chain(start, &self.fat, self.sectors)? {
                if out.len() >= len {
                    break;
                }
                let s = self.sector(id)?;
                out.extend_from_slice(&s[..s.len().min(len - out.len())]);
            }
            if out.len() < len {
                return Err(corrupt());
            }
            Ok(out)
        }
    }

    struct Entry {
        name: String,
        kind: u8,
        start: u32,
        len: u64,
    }

    /// The Workbook stream of a compound file.
    fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
        let header = bytes.get(..512).ok_or_else(corrupt)?;
        let sector_size = match u16_at(header, 0x1E) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Err(corrupt()),
        };
        if u16_at(header, 0x20) != Some(6) {
            return Err(corrupt());
        }
        let sectors = (bytes.len() / sector_size).saturating_sub(1);
        let word = |b: &[u8], at: usize| u32_at(b, at).ok_or_else(corrupt);
        let mut cfb = Cfb {
            bytes,
            sector_size,
            sectors,
            fat: Vec::new(),
        };
        // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
        let mut fat_sectors = Vec::new();
        for k in 0..109 {
            let id = word(header, 0x4C + 4 * k)?;
            if id <= MAXREGSECT {
                fat_sectors.push(id);
            }
        }
        let mut difat = word(header, 0x44)?;
        let mut hops = 0;
        while difat <= MAXREGSECT {
            hops += 1;
            if hops > sectors {
                return Err(corrupt());
            }
            let s = cfb.sector(difat)?;
            for k in 0..sector_size / 4 - 1 {
                let id = word(s, 4 * k)?;
                if id <= MAXREGSECT {
                    fat_sectors.push(id);
                }
            }
            difat = word(s, sector_size - 4)?;
        }
        if fat_sectors.len() > sectors {
            return Err(corrupt());
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * sector_size / 4);
        for id in fat_sectors {
            let s = cfb.sector(id)?;
            fat.extend(
                s.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        cfb.fat = fat;
        // The directory.
        let mut entries = Vec::new();
        for id in cfb.chain(word(header, 0x30)?, &cfb.fat, sectors)? {
            for e in cfb.sector(id)?.chunks_exact(128) {
                let name_len = (u16_at(e, 0x40).unwrap_or(0) as usize).min(64);
                let units: Vec<u16> = e[..name_len]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|&u| u != 0)
                    .collect();
                let len = if sector_size == 512 {
                    u64::from(word(e, 0x78)?)
                } else {
                    u64::from(word(e, 0x78)?) | u64::from(word(e, 0x7C)?) << 32
                };
                entries.push(Entry {
                    name: String::from_utf16_lossy(&units),
                    kind: e[0x42],
                    start: word(e, 0x74)?,
                    len,
                });
            }
        }
        let find = |name: &str| {
            entries
                .iter()
                .find(|e| e.kind == 2 && e.name.eq_ignore_ascii_case(name))
        };
        let Some(book) = find("Workbook") else {
            return Err(if find("EncryptedPackage").is_some() {
                invalid("文件设置了打开密码，请在Excel中取消密码后再导入")
            } else if find("Book").is_some() {
                invalid("不支持Excel 95及更早版本的.xls文件，请在Excel中另存为.xlsx后再导入")
            } else {
                corrupt()
            });
        };
        let len = usize::try_from(book.len)
            .ok()
            .filter(|&l| l <= bytes.len())
            .ok_or_else(corrupt)?;
        if len >= 4096 {
            return cfb.stream(book.start, len);
        }
        // Small streams live in the mini stream: 64-byte sectors inside the root's stream.
        let root = entries
            .first()
            .filter(|e| e.kind == 5)
            .ok_or_else(corrupt)?;
        let root_len = usize::try_from(root.len)
            .ok()
            .filter(|&l| l <= bytes.len())
            .ok_or_else(corrupt)?;
        let mini = cfb.stream(root.start, root_len)?;
        let mut minifat = Vec::new();
        for id in cfb.chain(word(header, 0x3C)?, &cfb.fat, sectors)? {
            let s = cfb.sector(id)?;
            minifat.extend(
                s.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        let mut out = Vec::with_capacity(len);
        for id in cfb.chain(book.start, &minifat, mini.len() / 64 + 1)? {
            if out.len() >= len {
                break;
            }
            let at = id as usize * 64;
            let s = mini.get(at..at + 64).ok_or_else(corrupt)?;
            out.extend_from_slice(&s[..64.min(len - out.len())]);
        }
        if out.len() < len {
            return Err(corrupt());
        }
        Ok(out)
    }

    /// A record's data and the data of the CONTINUE records after it.
    struct Pieces<'a> {
        pieces: Vec<&'a [u8]>,
        i: usize,
        at: usize,
    }

    impl<'a> Pieces<'a> {
        fn byte(&mut self) -> Option<u8> {
            while self.at >= self.pieces.get(self.i)?.len() {
                self.i += 1;
                self.at = 0;
            }
            let b = self.pieces[self.i][self.at];
            self.at += 1;
            Some(b)
        }

        fn u16(&mut self) -> Option<u16> {
            Some(u16::from_le_bytes([self.byte()?, self.byte()?]))
        }

        fn u32(&mut self) -> Option<u32> {
            Some(u32::from_le_bytes([
                self.byte()?,
                self.byte()?,
                self.byte()?,
                self.byte()?,
            ]))
        }

        fn skip(&mut self, mut n: usize) -> Option<()> {
            while n > 0 {
                let piece = self.pieces.get(self.i)?;
                let step = n.min(piece.len() - self.at.min(piece.len()));
                if step == 0 {
                    self.i += 1;
                    self.at = 0;
                    continue;
                }
                self.at += step;
                n -= step;
            }
            Some(())
        }

        fn done(&mut self) -> bool {
            while let Some(p) = self.pieces.get(self.i) {
                if self.at < p.len() {
                    return false;
                }
                self.i += 1;
                self.at = 0;
            }
            true
        }

        /// A BIFF8 string (XLUnicodeRichExtendedString, and its plainer kin): characters are
        /// one or two bytes, and where the characters run into a CONTINUE record, that record
        /// starts with a new flags byte. Only `KEEP_CHARS` characters are kept.
        fn string(&mut self) -> Option<String> {
            let cch = self.u16()? as usize;
            let flags = self.byte()?;
            let mut high = flags & 0x01 != 0;
            let runs = if flags & 0x08 != 0 {
                self.u16()? as usize
            } else {
                0
            };
            let ext = if flags & 0x04 != 0 {
                self.u32()? as usize
            } else {
                0
            };
            let mut units: Vec<u16> = Vec::with_capacity(cch.min(2 * KEEP_CHARS));
            let mut left = cch;
            while left > 0 {
                let piece = *self.pieces.get(self.i)?;
                if self.at >= piece.len() {
                    self.i += 1;
                    let next = *self.pieces.get(self.i)?;
                    high = *next.first()? & 0x01 != 0;
                    self.at = 1;
                    continue;
                }
                let width = if high { 2 } else { 1 };
                let n = ((piece.len() - self.at) / width).min(left);
                if n == 0 {
                    return None;
                }
                let chunk = &piece[self.at..self.at + n * width];
                for c in chunk.chunks_exact(width) {
                    if units.len() < 2 * KEEP_CHARS {
                        units.push(if high {
                            u16::from_le_bytes([c[0], c[1]])
                        } else {
                            u16::from(c[0])
                        });
                    }
                }
                self.at += n * width;
                left -= n;
            }
            self.skip(4 * runs)?;
            self.skip(ext)?;
            let s: String = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .take(KEEP_CHARS)
                .collect();
            Some(s)
        }
    }

    /// BIFF records from `at`: (type, data, data of the CONTINUE records that follow).
    struct Records<'a> {
        stream: &'a [u8],
        at: usize,
    }

    impl<'a> Iterator for Records<'a> {
        type Item = Result<(u16, Pieces<'a>), ReadError>;

        fn next(&mut self) -> Option<Self::Item> {
            let stream: &'a [u8] = self.stream;
            let head = |at: usize| -> Option<(u16, usize)> {
                Some((u16_at(stream, at)?, u16_at(stream, at + 2)? as usize))
            };
            if self.at >= stream.len() {
                return None;
            }
            let Some((typ, len)) = head(self.at) else {
                return Some(Err(corrupt()));
            };
            let Some(data) = stream.get(self.at + 4..self.at + 4 + len) else {
                return Some(Err(corrupt()));
            };
            self.at += 4 + len;
            let mut pieces = vec![data];
            while let Some((0x003C, len)) = head(self.at) {
                let Some(more) = stream.get(self.at + 4..self.at + 4 + len) else {
                    return Some(Err(corrupt()));
                };
                pieces.push(more);
                self.at += 4 + len;
            }
            Some(Ok((
                typ,
                Pieces {
                    pieces,
                    i: 0,
                    at: 0,
                },
            )))
        }
    }

    #[derive(Clone, Copy)]
    enum Value {
        Shared(u32),
        Number(f64),
        Text(u32),
        Bool(bool),
        Error(u8),
    }

    fn rk(v: u32) -> f64 {
        let n = if v & 0x02 != 0 {
            f64::from((v as i32) >> 2)
        } else {
            f64::from_bits(u64::from(v & 0xFFFF_FFFC) << 32)
        };
        if v & 0x01 != 0 { n / 100.0 } else { n }
    }

    fn error_text(code: u8) -> &'static str {
        match code {
            0x00 => "#NULL!",
            0x07 => "#DIV/0!",
            0x0F => "#VALUE!",
            0x17 => "#REF!",
            0x1D => "#NAME?",
            0x24 => "#NUM!",
            0x2A => "#N/A",
            _ => "#ERR",
        }
    }

    pub(super) fn read(bytes: &[u8], rows: &mut Rows) -> Result<(), ReadError> {
        let limits = *rows.limits;
        if bytes.len() > limits.xls_bytes {
            return Err(ReadError::TooLarge(format!(
                ".xls文件超过{}MB，请在Excel中另存为.xlsx或.csv后再导入",
                limits.xls_bytes.div_ceil(1 << 20)
            )));
        }
        let stream = workbook_stream(bytes)?;
        // Workbook globals: the version, the shared strings, the first worksheet.
        let mut strings = SharedStrings::default();
        let mut sheet_at = None;
        let mut first = true;
        for rec in (Records {
            stream: &stream,
            at: 0,
        }) {
            let (typ, mut p) = rec?;
            if first {
                first = false;
                if typ != 0x0809 {
                    return Err(corrupt());
                }
                match p.u16() {
                    Some(0x0600) => {}
                    Some(0x0500) => {
                        return Err(invalid(
                            "不支持Excel 95及更早版本的.xls文件，请在Excel中另存为.xlsx后再导入",
                        ));
                    }
                    _ => return Err(corrupt()),
                }
                continue;
            }
            match typ {
                0x002F => return Err(invalid("文件设置了打开密码，请在Excel中取消密码后再导入")),
                0x0085 if sheet_at.is_none() => {
                    let at = p.u32().ok_or_else(corrupt)?;
                    let _visibility = p.byte();
                    if p.byte() == Some(0) {
                        sheet_at = Some(at as usize);
                    }
                }
                0x00FC => {
                    strings = SharedStrings::default();
                    p.skip(8).ok_or_else(corrupt)?;
                    while !p.done() {
                        let s = p.string().ok_or_else(corrupt)?;
                        strings.push(&s, limits.shared_strings)?;
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
        let sheet_at = sheet_at.ok_or_else(|| invalid("文件中没有工作表"))?;
        // The worksheet: (row, column, value), then sorted into rows.
        let mut cells: Vec<(u32, Value)> = Vec::new();
        let mut texts = SharedStrings::default();
        let mut formula_at: Option<u32> = None;
        let mut depth = 0usize;
        let mut started = false;
        for rec in (Records {
            stream: &stream,
            at: sheet_at,
        }) {
            let (typ, mut p) = rec?;
            if !started {
                if typ != 0x0809 {
                    return Err(corrupt());
                }
                started = true;
                continue;
            }
            // Substreams inside the sheet (embedded charts) hold cells of their own.
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let pos = |p: &mut Pieces| -> Result<u32, ReadError> {
                let row = p.u16().ok_or_else(corrupt)?;
                let col = p.u16().ok_or_else(corrupt)?;
                Ok(u32::from(row) << 16 | u32::from(col))
            };
            let mut add = |at: u32, v: Value| -> Result<(), ReadError> {
                if cells.len() >= limits.xls_cells {
                    return Err(ReadError::TooLarge(format!(
                        ".xls工作表的单元格超过{}个，请拆分文件后再导入",
                        limits.xls_cells
                    )));
                }
                cells.push((at, v));
                Ok(())
            };
            match typ {
                0x0809 => depth += 1,
                0x000A => break,
                // LabelSst
                0x00FD => {
                    let at = pos(&mut p)?;
                    p.skip(2).ok_or_else(corrupt)?;
                    add(at, Value::Shared(p.u32().ok_or_else(corrupt)?))?;
                }
                // Label, RString
                0x0204 | 0x00D6 => {
                    let at = pos(&mut p)?;
                    p.skip(2).ok_or_else(corrupt)?;
                    let s = p.string().ok_or_else(corrupt)?;
                    texts.push(&s, limits.xls_cells)?;
                    add(at, Value::Text(texts.ends.len() as u32 - 1))?;
                }
                // Number
                0x0203 => {
                    let at = pos(&mut p)?;
                    p.skip(2).ok_or_else(corrupt)?;
                    let bits = u64::from(p.u32().ok_or_else(corrupt)?)
                        | u64::from(p.u32().ok_or_else(corrupt)?) << 32;
                    add(at, Value::Number(f64::from_bits(bits)))?;
                }
                // RK
                0x027E => {
                    let at = pos(&mut p)?;
                    p.skip(2).ok_or_else(corrupt)?;
                    add(at, Value::Number(rk(p.u32().ok_or_else(corrupt)?)))?;
                }
                // MulRk: row, first column, (format, RK)…, last column.
                0x00BD => {
                    let data = *p.pieces.first().ok_or_else(corrupt)?;
                    if data.len() < 6 || (data.len() - 6) % 6 != 0 {
                        return Err(corrupt());
                    }
                    let row = u32::from(u16_at(data, 0).ok_or_else(corrupt)?);
                    let first_col = u32::from(u16_at(data, 2).ok_or_else(corrupt)?);
                    for (k, item) in data[4..data.len() - 2].chunks_exact(6).enumerate() {
                        let col = first_col + k as u32;
                        let v = u32::from_le_bytes([item[2], item[3], item[4], item[5]]);
                        add(row << 16 | col.min(0xFFFF), Value::Number(rk(v)))?;
                    }
                }
                // BoolErr
                0x0205 => {
                    let at = pos(&mut p)?;
                    p.skip(2).ok_or_else(corrupt)?;
                    let v = p.byte().ok_or_else(corrupt)?;
                    let is_error = p.byte().ok_or_else(corrupt)? != 0;
                    add(
                        at,
                        if is_error {
                            Value::Error(v)
                        } else {
                            Value::Bool(v != 0)
                        },
                    )?;
                }
                // Formula: its cached value, a string following in a String record.
                0x0006 => {
                    let at = pos(&mut p)?;
                    p.skip(2).ok_or_else(corrupt)?;
                    let mut v = [0u8; 8];
                    for b in &mut v {
                        *b = p.byte().ok_or_else(corrupt)?;
                    }
                    formula_at = None;
                    if v[6] == 0xFF && v[7] == 0xFF {
                        match v[0] {
                            0 => formula_at = Some(at),
                            1 => add(at, Value::Bool(v[2] != 0))?,
                            2 => add(at, Value::Error(v[2]))?,
                            _ => {}
                        }
                    } else {
                        add(at, Value::Number(f64::from_le_bytes(v)))?;
                    }
                }
                // String: a formula's text result.
                0x0207 => {
                    if let Some(at) = formula_at.take() {
                        let s = p.string().ok_or_else(corrupt)?;
                        texts.push(&s, limits.xls_cells)?;
                        add(at, Value::Text(texts.ends.len() as u32 - 1))?;
                    }
                }
                _ => {}
            }
        }
        if !started {
            return Err(corrupt());
        }
        // Row order; a later cell at the same place wins.
        cells.sort_by_key(|c| c.0);
        let mut row_cells: Vec<String> = Vec::new();
        let mut current: Option<u32> = None;
        for (at, value) in cells {
            let (row, col) = (at >> 16, (at & 0xFFFF) as usize);
            if current != Some(row) {
                if let Some(r) = current
                    && !rows.deliver(r as usize + 1, &mut row_cells)?
                {
                    return Ok(());
                }
                row_cells.clear();
                current = Some(row);
            }
            let text = match value {
                Value::Shared(i) => strings.get(i as usize).unwrap_or("").to_string(),
                Value::Text(i) => texts.get(i as usize).unwrap_or("").to_string(),
                Value::Number(f) if f.is_finite() => number_text(f),
                Value::Number(_) => String::new(),
                Value::Bool(b) => if b { "是" } else { "否" }.to_string(),
                Value::Error(code) => error_text(code).to_string(),
            };
            if text.is_empty() {
                continue;
            }
            if col >= limits.cols {
                return Err(too_many_columns(&limits, row as usize + 1));
            }
            if row_cells.len() <= col {
                row_cells.resize(col + 1, String::new());
            }
            row_cells[col] = text;
        }
        if let Some(r) = current {
            rows.deliver(r as usize + 1, &mut row_cells)?;
        }
        Ok(())
    }
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
    use std::io::Write;

    type Numbered = Vec<(usize, Vec<String>)>;

    /// Rows as (row number, cells) as `read_rows_within` hands them out.
    fn rows_of(bytes: &[u8], limits: &Limits) -> Result<Numbered, ReadError> {
        let mut out = Vec::new();
        read_rows_within(bytes, limits, &mut |n, cells| {
            out.push((n, cells.to_vec()));
            true
        })?;
        Ok(out)
    }

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    /// How the import used to turn calamine's values into text: the reference for ours.
    fn calamine_text(d: &calamine::Data) -> String {
        use calamine::Data;
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Int(i) => i.to_string(),
            Data::Float(f) => number_text(*f),
            Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
            Data::DateTime(d) => number_text(d.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("{e}"),
        }
    }

    /// The first sheet as calamine reads it, in the shape of `read_table`.
    fn calamine_table(bytes: &[u8]) -> Vec<Vec<String>> {
        use calamine::Reader;
        let range = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
            .expect("calamine opens it")
            .worksheet_range_at(0)
            .expect("a sheet")
            .expect("readable");
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut table = vec![Vec::new(); r0 as usize];
        for row in range.rows() {
            let mut cells = vec![String::new(); c0 as usize];
            cells.extend(row.iter().map(calamine_text));
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            table.push(cells);
        }
        while table.last().is_some_and(Vec::is_empty) {
            table.pop();
        }
        table
    }

    // ---------------------------------------------------------------------------------
    // .xlsx written by hand

    const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="企业" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

    fn sheet_xml(rows: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
        )
    }

    fn sst_xml(items: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{items}</sst>"#
        )
    }

    struct Zip(zip::ZipWriter<Cursor<Vec<u8>>>);

    impl Zip {
        fn new() -> Self {
            Zip(zip::ZipWriter::new(Cursor::new(Vec::new())))
        }
        fn part(mut self, name: &str, text: &str) -> Self {
            self.start(name);
            self.0.write_all(text.as_bytes()).unwrap();
            self
        }
        fn start(&mut self, name: &str) {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            self.0.start_file(name, options).unwrap();
        }
        fn bytes(self) -> Vec<u8> {
            self.0.finish().unwrap().into_inner()
        }
    }

    fn package(sheet_rows: &str, shared: Option<&str>) -> Vec<u8> {
        let mut z = Zip::new()
            .part("[Content_Types].xml", CONTENT_TYPES)
            .part("_rels/.rels", ROOT_RELS)
            .part("xl/workbook.xml", WORKBOOK)
            .part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
            .part("xl/worksheets/sheet1.xml", &sheet_xml(sheet_rows));
        if let Some(items) = shared {
            z = z.part("xl/sharedStrings.xml", &sst_xml(items));
        }
        z.bytes()
    }

    /// Sets the declared uncompressed size of every entry called `name`, in its local header
    /// and in the central directory: a zip that lies about its size.
    fn declare_size(zip: &mut [u8], name: &str, size: u32) {
        let name = name.as_bytes();
        let mut i = 0;
        while i + 46 <= zip.len() {
            let sig = &zip[i..i + 4];
            if sig == b"PK\x03\x04" {
                let n = u16::from_le_bytes([zip[i + 26], zip[i + 27]]) as usize;
                if zip.get(i + 30..i + 30 + n) == Some(name) {
                    zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
                }
            } else if sig == b"PK\x01\x02" {
                let n = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
                if zip.get(i + 46..i + 46 + n) == Some(name) {
                    zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
                }
            }
            i += 1;
        }
    }

    fn small(f: impl FnOnce(&mut Limits)) -> Limits {
        let mut l = Limits::DEFAULT;
        f(&mut l);
        l
    }

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
        assert_eq!(back, calamine_table(&bytes));
    }

    #[test]
    fn xlsx_cells_of_every_kind() {
        let shared = concat!(
            r#"<si><t>名称</t></si>"#,
            r#"<si><r><rPr><b/></rPr><t>九江</t></r><r><t xml:space="preserve"> 化工 </t></r><rPh sb="0" eb="2"><t>ジウジャン</t></rPh></si>"#,
            r#"<si><t>A&amp;B &#x4E2D;_x000D_</t></si>"#,
        );
        let rows = concat!(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>"#,
            // No r attributes: cells follow one another, the row follows row 1.
            r#"<row><c t="s"><v>2</v></c><c><v>115.98</v></c><c><v>360403001001001</v></c><c t="b"><v>1</v></c></row>"#,
            r#"<row r="5"><c r="B5" t="inlineStr"><is><t>行内</t></is></c><c r="D5" t="str"><f>A1</f><v>公式</v></c><c r="E5" t="e"><v>#N/A</v></c><c r="F5"><v>2.0</v></c><c r="G5" s="3"/></row>"#,
        );
        let bytes = package(rows, Some(shared));
        let table = read_table(&bytes).unwrap();
        assert_eq!(table[0], strings(&["名称", "", "九江 化工 "]));
        assert_eq!(
            table[1],
            strings(&["A&B 中\r", "115.98", "360403001001001", "是"])
        );
        assert!(table[2].is_empty() && table[3].is_empty());
        assert_eq!(table[4], strings(&["", "行内", "", "公式", "#N/A", "2"]));
        assert_eq!(table, calamine_table(&bytes));
        // An empty item still takes its index; an index past the end reads as empty.
        let bytes = package(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>99</v></c></row>"#,
            Some(r#"<si/><si><t>二</t></si>"#),
        );
        assert_eq!(read_table(&bytes).unwrap(), vec![strings(&["", "二"])]);
    }

    #[test]
    fn xlsx_parts_found_as_excel_does() {
        // Prefixed elements, the workbook elsewhere, absolute and backslashed targets, part
        // names in another case.
        let root = ROOT_RELS.replace("xl/workbook.xml", "/Book/WB.xml");
        let wb = r#"<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="S" sheetId="1" r:id="rId7"/><x:sheet name="T" sheetId="2" r:id="rId1"/></x:sheets></x:workbook>"#;
        let rels = WORKBOOK_RELS
            .replace("rId1", "rId7")
            .replace("worksheets/sheet1.xml", "..\\Book\\Sheets\\One.xml")
            .replace("\"sharedStrings.xml", "\"/book/strings.xml");
        let sheet = sheet_xml(r#"<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row>"#)
            .replace("<worksheet xmlns=", "<x:worksheet xmlns:x=")
            .replace("<sheetData>", "<x:sheetData>")
            .replace("</sheetData></worksheet>", "</x:sheetData></x:worksheet>");
        let bytes = Zip::new()
            .part("_rels/.rels", &root)
            .part("book/wb.xml", wb)
            .part("Book/_rels/WB.xml.rels", &rels)
            .part("book/sheets/one.xml", &sheet)
            .part("book/Strings.xml", &sst_xml("<si><t>找到了</t></si>"))
            .bytes();
        assert_eq!(read_table(&bytes).unwrap(), vec![strings(&["找到了"])]);
    }

    #[test]
    fn xlsx_bombs_are_refused_before_inflating() {
        // A part that admits its size.
        let big = "A".repeat(4096);
        let bytes = package(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
            Some(&format!("<si><t>{big}</t></si>")),
        );
        let err = rows_of(&bytes, &small(|l| l.shared_strings_bytes = 1024)).unwrap_err();
        assert!(
            matches!(&err, ReadError::TooLarge(m) if m.contains("文字内容")),
            "{err:?}"
        );
        let err = rows_of(&bytes, &small(|l| l.part_bytes = 1024)).unwrap_err();
        assert!(
            matches!(&err, ReadError::TooLarge(m) if m.contains("解压后")),
            "{err:?}"
        );
        let err = rows_of(&bytes, &small(|l| l.unzipped_bytes = 4096)).unwrap_err();
        assert!(
            matches!(&err, ReadError::TooLarge(m) if m.contains("解压后")),
            "{err:?}"
        );
        // The same part lying about its size: refused once too much has been read.
        for declared in [10, 1000] {
            let mut lying = bytes.clone();
            declare_size(&mut lying, "xl/sharedStrings.xml", declared);
            let err = rows_of(&lying, &small(|l| l.shared_strings_bytes = 2048)).unwrap_err();
            assert!(err.message().contains("比它声明的大小更大"), "{err:?}");
        }
        // One token longer than the bound.
        let err = rows_of(&bytes, &small(|l| l.xml_token_bytes = 1000)).unwrap_err();
        assert!(
            matches!(&err, ReadError::TooLarge(m) if m.contains("单元格或标记")),
            "{err:?}"
        );
        // Within the bounds the long string is read and cut.
        let table = read_table(&bytes).unwrap();
        assert_eq!(table[0][0].chars().count(), MAX_CELL_CHARS + 1);
    }

    #[test]
    fn xlsx_counts_what_it_reads_not_what_it_is_told() {
        // Every part is counted towards the total, whatever the zip declares.
        let rows: String = (1..=200)
            .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#))
            .collect();
        let mut bytes = package(&rows, None);
        let actual = sheet_xml(&rows).len() as u64;
        declare_size(&mut bytes, "xl/worksheets/sheet1.xml", 100);
        let err = rows_of(&bytes, &small(|l| l.part_bytes = actual / 2)).unwrap_err();
        assert!(err.message().contains("比它声明的大小更大"), "{err:?}");
        // Honest parts, each within its bound, together beyond the total.
        let honest = package(&rows, None);
        let err = rows_of(&honest, &small(|l| l.unzipped_bytes = actual + 200)).unwrap_err();
        assert!(
            matches!(&err, ReadError::TooLarge(m) if m.contains("合计")),
            "{err:?}"
        );
        // Deep nesting and many shared strings.
        let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
        let bytes = package(&format!("<row r=\"1\">{deep}</row>"), None);
        let err = rows_of(&bytes, &Limits::DEFAULT).unwrap_err();
        assert!(err.message().contains("嵌套"), "{err:?}");
        let many = "<si><t>x</t></si>".repeat(50);
        let bytes = package("", Some(&many));
        let err = rows_of(&bytes, &small(|l| l.shared_strings = 10)).unwrap_err();
        assert!(
            matches!(&err, ReadError::TooLarge(m) if m.contains("不同文字")),
            "{err:?}"
        );
        // A declared uniqueCount reserves nothing.
        let bytes = package(
            r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
            Some(r#"<si><t>一</t></si>"#),
        );
        let told = String::from_utf8_lossy(&bytes).contains("uniqueCount");
        assert!(!told);
        let huge = Zip::new()
            .part("_rels/.rels", ROOT_RELS)
            .part("xl/workbook.xml", WORKBOOK)
            .part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
            .part(
                "xl/worksheets/sheet1.xml",
                &sheet_xml(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
            )
            .part(
                "xl/sharedStrings.xml",
                &sst_xml("<si><t>一</t></si>").replace(
                    "<sst ",
                    r#"<sst count="9999999999999" uniqueCount="9999999999999" "#,
                ),
            )
            .bytes();
        assert_eq!(read_table(&huge).unwrap(), vec![strings(&["一"])]);
    }

    #[test]
    fn rows_and_columns_are_bounded_while_reading() {
        let limits = small(|l| l.rows = 100);
        let rows: String = (1..=1000)
            .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#))
            .collect();
        let bytes = package(&rows, None);
        let mut seen = 0;
        let err = read_rows_within(&bytes, &limits, &mut |_, _| {
            seen += 1;
            true
        })
        .unwrap_err();
        assert!(err.message().contains("数据行过多"), "{err:?}");
        assert_eq!(seen, 101, "the header and 100 rows, then the reader stops");
        // A row number past the bound counts as well, and so do repeated row numbers.
        let far = package(
            r#"<row r="1"><c><v>1</v></c></row><row r="5000"><c><v>1</v></c></row>"#,
            None,
        );
        assert!(rows_of(&far, &limits).is_err());
        let same: String = (0..200)
            .map(|_| r#"<row r="2"><c><v>1</v></c></row>"#)
            .collect();
        assert!(rows_of(&package(&same, None), &limits).is_err());
        // Columns: a filled cell beyond the bound refuses the file, an empty one is ignored.
        let wide = package(
            r#"<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="1"/></row><row r="2"><c r="IW2"><v>2</v></c></row>"#,
            None,
        );
        let err = rows_of(&wide, &Limits::DEFAULT).unwrap_err();
        assert!(err.message().contains("第2行超过256列"), "{err:?}");
        // The caller stops the reading.
        let mut seen = 0;
        read_rows(&bytes, &mut |_, _| {
            seen += 1;
            seen < 3
        })
        .unwrap();
        assert_eq!(seen, 3);
        assert_eq!(xlsx::column_of_for_tests("XFD1048576"), Some(16383));
        assert_eq!(xlsx::column_of_for_tests("A1"), Some(0));
        assert_eq!(xlsx::column_of_for_tests("12"), None);
    }

    // ---------------------------------------------------------------------------------
    // CSV

    #[test]
    fn csv_encodings() {
        let utf8 = "\u{feff}名称,代码\n甲,1\n".as_bytes();
        assert_eq!(read_table(utf8).unwrap()[1], ["甲", "1"]);
        let (gbk, _, _) = encoding_rs::GB18030.encode("名称,代码\n乙,2\n");
        assert_eq!(read_table(&gbk).unwrap()[1], ["乙", "2"]);
    }

    #[test]
    fn csv_bounds() {
        let long = "长".repeat(5000);
        let table = read_table(format!("a,b\n{long},x\n").as_bytes()).unwrap();
        assert_eq!(table[1][0].chars().count(), MAX_CELL_CHARS + 1);
        assert_eq!(table[1][1], "x");
        let many: String = (0..150).map(|i| format!("{i}\n")).collect();
        let err = rows_of(many.as_bytes(), &small(|l| l.rows = 100)).unwrap_err();
        assert!(err.message().contains("数据行过多"));
        let wide = format!("a{}\n1{},x\n", ",".repeat(400), ",".repeat(300));
        let err = rows_of(wide.as_bytes(), &Limits::DEFAULT).unwrap_err();
        assert!(err.message().contains("第2行超过256列"), "{err:?}");
        let ok = format!("a{}\n", ",".repeat(400));
        assert_eq!(
            rows_of(ok.as_bytes(), &Limits::DEFAULT).unwrap(),
            vec![(1, strings(&["a"]))]
        );
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

    // ---------------------------------------------------------------------------------
    // .xls written by hand: BIFF8 records in a compound file

    fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend(typ.to_le_bytes());
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
    }

    /// BIFF8 string: 16-bit length, flags, then one byte per character when all fit.
    fn xl_string(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut out = (units.len() as u16).to_le_bytes().to_vec();
        if units.iter().all(|&u| u < 0x100) {
            out.push(0);
            out.extend(units.iter().map(|&u| u as u8));
        } else {
            out.push(1);
            out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        }
        out
    }

    fn cell_head(row: u16, col: u16) -> Vec<u8> {
        let mut v = row.to_le_bytes().to_vec();
        v.extend(col.to_le_bytes());
        v.extend(0u16.to_le_bytes());
        v
    }

    /// A workbook stream: globals with the SST records given, one worksheet with the cell
    /// records given.
    fn biff(sst: &[Vec<u8>], cells: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let bof = |dt: u16| {
            let mut d = 0x0600u16.to_le_bytes().to_vec();
            d.extend(dt.to_le_bytes());
            d.extend([0u8; 12]);
            d
        };
        let mut g = Vec::new();
        rec(&mut g, 0x0809, &bof(0x0005));
        let sheet_pos_at = g.len() + 4;
        let mut bs = vec![0u8; 6];
        bs.push(2);
        bs.push(0);
        bs.extend(b"S1");
        rec(&mut g, 0x0085, &bs);
        for (i, piece) in sst.iter().enumerate() {
            rec(&mut g, if i == 0 { 0x00FC } else { 0x003C }, piece);
        }
        rec(&mut g, 0x000A, &[]);
        let at = g.len() as u32;
        g[sheet_pos_at..sheet_pos_at + 4].copy_from_slice(&at.to_le_bytes());
        rec(&mut g, 0x0809, &bof(0x0010));
        for (typ, data) in cells {
            rec(&mut g, *typ, data);
        }
        rec(&mut g, 0x000A, &[]);
        g
    }

    /// A version 3 compound file holding `stream` as "Workbook": in regular sectors when it
    /// is 4096 bytes or more, else in the mini stream.
    fn cfb(stream: &[u8]) -> Vec<u8> {
        const FREE: u32 = 0xFFFF_FFFF;
        const END: u32 = 0xFFFF_FFFE;
        let sectors = |n: usize| n.div_ceil(512);
        let mini = stream.len() < 4096;
        // Sector 0: FAT; 1: directory; 2: mini FAT (mini only); then data.
        let first_data = if mini { 3 } else { 2 };
        let data_len = if mini {
            stream.len().div_ceil(64) * 64
        } else {
            stream.len()
        };
        let n = sectors(data_len);
        let mut fat = vec![FREE; 128];
        fat[0] = 0xFFFF_FFFD;
        fat[1] = END;
        if mini {
            fat[2] = END;
        }
        for k in 0..n {
            fat[first_data + k] = if k + 1 == n {
                END
            } else {
                (first_data + k + 1) as u32
            };
        }
        let mut h = vec![0u8; 512];
        h[..8].copy_from_slice(&xls::SIGNATURE);
        h[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
        h[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
        h[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
        h[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
        h[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
        h[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes());
        h[0x30..0x34].copy_from_slice(&1u32.to_le_bytes());
        h[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
        h[0x3C..0x40].copy_from_slice(&(if mini { 2 } else { END }).to_le_bytes());
        h[0x40..0x44].copy_from_slice(&u32::from(mini).to_le_bytes());
        h[0x44..0x48].copy_from_slice(&END.to_le_bytes());
        for k in 0..109 {
            let v = if k == 0 { 0 } else { FREE };
            h[0x4C + 4 * k..0x50 + 4 * k].copy_from_slice(&v.to_le_bytes());
        }
        let mut out = h;
        out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
        let entry = |name: &str, kind: u8, start: u32, len: u32, child: u32| {
            let mut e = vec![0u8; 128];
            let units: Vec<u8> = name
                .encode_utf16()
                .chain([0])
                .flat_map(|u| u.to_le_bytes())
                .collect();
            e[..units.len()].copy_from_slice(&units);
            e[0x40..0x42].copy_from_slice(&(units.len() as u16).to_le_bytes());
            e[0x42] = kind;
            e[0x43] = 1;
            e[0x44..0x48].copy_from_slice(&FREE.to_le_bytes());
            e[0x48..0x4C].copy_from_slice(&FREE.to_le_bytes());
            e[0x4C..0x50].copy_from_slice(&child.to_le_bytes());
            e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
            e[0x78..0x7C].copy_from_slice(&len.to_le_bytes());
            e
        };
        let (root_start, root_len, book_start) = if mini {
            (first_data as u32, data_len as u32, 0)
        } else {
            (END, 0, first_data as u32)
        };
        out.extend(entry("Root Entry", 5, root_start, root_len, 1));
        out.extend(entry("Workbook", 2, book_start, stream.len() as u32, FREE));
        out.extend(vec![0u8; 256]);
        if mini {
            let m = stream.len().div_ceil(64);
            let mut minifat = vec![FREE; 128];
            for (k, next) in minifat.iter_mut().enumerate().take(m) {
                *next = if k + 1 == m { END } else { (k + 1) as u32 };
            }
            out.extend(minifat.iter().flat_map(|v| v.to_le_bytes()));
        }
        let mut data = stream.to_vec();
        data.resize(n * 512, 0);
        out.extend(data);
        out
    }

    fn number(row: u16, col: u16, f: f64) -> (u16, Vec<u8>) {
        let mut d = cell_head(row, col);
        d.extend(f.to_le_bytes());
        (0x0203, d)
    }

    fn label_sst(row: u16, col: u16, i: u32) -> (u16, Vec<u8>) {
        let mut d = cell_head(row, col);
        d.extend(i.to_le_bytes());
        (0x00FD, d)
    }

    /// Strings, the second split across a CONTINUE record that switches to two-byte
    /// characters, as Excel writes them.
    fn sample_sst() -> Vec<Vec<u8>> {
        let mut first = 3u32.to_le_bytes().to_vec();
        first.extend(3u32.to_le_bytes());
        first.extend(xl_string("企业名称"));
        first.extend(4u16.to_le_bytes());
        first.push(0);
        first.extend(b"ab");
        let mut cont = vec![1u8];
        cont.extend("九江".encode_utf16().flat_map(|u| u.to_le_bytes()));
        cont.extend(xl_string("360403001001001"));
        vec![first, cont]
    }

    fn sample_cells() -> Vec<(u16, Vec<u8>)> {
        let mut cells = vec![
            label_sst(0, 0, 0),
            label_sst(0, 2, 1),
            number(1, 0, 115.98),
            number(1, 1, 360403001001001.0),
            label_sst(1, 2, 2),
        ];
        // RK: 35 as an integer; MulRk: 1.5 (×100 flag on 150) and 7.
        let mut rk = cell_head(2, 0);
        rk.extend(((35u32 << 2) | 0x02).to_le_bytes());
        cells.push((0x027E, rk));
        let mut mul = 2u16.to_le_bytes().to_vec();
        mul.extend(1u16.to_le_bytes());
        for v in [(150u32 << 2) | 0x03, (7 << 2) | 0x02] {
            mul.extend(0u16.to_le_bytes());
            mul.extend(v.to_le_bytes());
        }
        mul.extend(2u16.to_le_bytes());
        cells.push((0x00BD, mul));
        // Label, bool, a formula with a string result.
        let mut label = cell_head(3, 1);
        label.extend(xl_string("标签"));
        cells.push((0x0204, label));
        let mut boolean = cell_head(3, 2);
        boolean.extend([1, 0]);
        cells.push((0x0205, boolean));
        let mut formula = cell_head(4, 0);
        formula.extend([0, 0, 0, 0, 0, 0, 0xFF, 0xFF]);
        formula.extend([0u8; 6]);
        // The formula: =1 (cce 3, PtgInt 1).
        formula.extend([3, 0, 0x1E, 0x01, 0x00]);
        cells.push((0x0006, formula));
        cells.push((0x0207, xl_string("公式结果")));
        // An embedded chart's cells are not the sheet's.
        let mut chart_bof = 0x0600u16.to_le_bytes().to_vec();
        chart_bof.extend(0x0020u16.to_le_bytes());
        chart_bof.extend([0u8; 12]);
        cells.push((0x0809, chart_bof));
        cells.push(number(9, 9, 1.0));
        cells.push((0x000A, Vec::new()));
        cells
    }

    fn sample_expected() -> Vec<Vec<String>> {
        vec![
            strings(&["企业名称", "", "ab九江"]),
            strings(&["115.98", "360403001001001", "360403001001001"]),
            strings(&["35", "1.5", "7"]),
            strings(&["", "标签", "是"]),
            strings(&["公式结果"]),
        ]
    }

    #[test]
    fn xls_read_from_mini_and_regular_streams() {
        let stream = biff(&sample_sst(), &sample_cells());
        assert!(stream.len() < 4096);
        let small_file = cfb(&stream);
        assert_eq!(read_table(&small_file).unwrap(), sample_expected());
        assert_eq!(calamine_table(&small_file), sample_expected());
        // Padded past the mini stream cut-off (bytes after the sheet's EOF are not read).
        let mut padded = stream.clone();
        padded.resize(9000, 0);
        let big_file = cfb(&padded);
        assert_eq!(read_table(&big_file).unwrap(), sample_expected());
        assert_eq!(calamine_table(&big_file), sample_expected());
    }

    #[test]
    fn xls_bounds_and_broken_files() {
        let mut padded = biff(&sample_sst(), &sample_cells());
        padded.resize(9000, 0);
        let file = cfb(&padded);
        // A sector chain that loops, and one that leaves the file.
        let fat_at = 512;
        for (sector, next) in [(3u32, 2u32), (3, 0x00FF_FFFF)] {
            let mut broken = file.clone();
            let at = fat_at + 4 * sector as usize;
            broken[at..at + 4].copy_from_slice(&next.to_le_bytes());
            let err = read_table(&broken).unwrap_err();
            assert!(err.contains("无法读取.xls文件"), "{err}");
        }
        // A stream longer than the file.
        let mut broken = file.clone();
        let len_at = 1024 + 128 + 0x78;
        broken[len_at..len_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(read_table(&broken).unwrap_err().contains(".xls"));
        // A worksheet said to start past the end of the stream.
        let mut lost = biff(&sample_sst(), &sample_cells());
        lost[24..28].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
        assert!(read_table(&cfb(&lost)).unwrap_err().contains("无法读取.xls文件"));
        // Far cells make no dense range: two cells, two rows.
        let far = cfb(&biff(
            &sample_sst(),
            &[label_sst(0, 0, 0), number(65535, 255, 1.0)],
        ));
        let rows = rows_of(&far, &Limits::DEFAULT).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].0, 65536);
        assert_eq!(rows[1].1.len(), 256);
        let wide = cfb(&biff(&sample_sst(), &[number(1, 300, 1.0)]));
        assert!(read_table(&wide).unwrap_err().contains("超过256列"));
        // Cell count, file size, rows.
        let err = rows_of(&file, &small(|l| l.xls_cells = 5)).unwrap_err();
        assert!(
            matches!(&err, ReadError::TooLarge(m) if m.contains("单元格超过5个")),
            "{err:?}"
        );
        let err = rows_of(&file, &small(|l| l.xls_bytes = 4096)).unwrap_err();
        assert!(matches!(&err, ReadError::TooLarge(_)), "{err:?}");
        let err = rows_of(&file, &small(|l| l.rows = 2)).unwrap_err();
        assert!(err.message().contains("数据行过多"));
        let err = rows_of(&file, &small(|l| l.shared_strings = 2)).unwrap_err();
        assert!(matches!(&err, ReadError::TooLarge(_)), "{err:?}");
        // Encrypted, and Excel 95.
        let mut enc = biff(&sample_sst(), &[]);
        let mut filepass = Vec::new();
        rec(&mut filepass, 0x002F, &[1, 0, 0, 0]);
        let bof_len = 4 + 16;
        enc.splice(bof_len..bof_len, filepass);
        assert!(read_table(&cfb(&enc)).unwrap_err().contains("密码"));
        let mut old = biff(&sample_sst(), &[]);
        old[4..6].copy_from_slice(&0x0500u16.to_le_bytes());
        assert!(read_table(&cfb(&old)).unwrap_err().contains("Excel 95"));
        // Long strings are cut.
        let long = "长".repeat(3000);
        let mut sst = 1u32.to_le_bytes().to_vec();
        sst.extend(1u32.to_le_bytes());
        sst.extend(xl_string(&long));
        let file = cfb(&biff(&[sst], &[label_sst(0, 0, 0)]));
        assert_eq!(
            read_table(&file).unwrap()[0][0].chars().count(),
            MAX_CELL_CHARS + 1
        );
    }

    /// Every .xls and .xlsx of calamine's own tests read as calamine reads them (where
    /// calamine does): run with `YINGJI_CALAMINE_FIXTURES=dir cargo test -- --ignored`.
    #[test]
    #[ignore]
    fn same_as_calamine_on_its_fixtures() {
        let Ok(dir) = std::env::var("YINGJI_CALAMINE_FIXTURES") else {
            return;
        };
        let mut compared = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            let theirs = std::panic::catch_unwind(|| calamine_table(&bytes));
            let ours = read_table(&bytes);
            match (theirs, ours) {
                (Ok(theirs), Ok(ours)) => {
                    compared += 1;
                    if theirs != ours {
                        let first = theirs
                            .iter()
                            .zip(&ours)
                            .position(|(a, b)| a != b)
                            .unwrap_or(theirs.len().min(ours.len()));
                        eprintln!(
                            "DIFF {}: row {first}: calamine {:?} / ours {:?}",
                            path.display(),
                            theirs.get(first),
                            ours.get(first)
                        );
                    }
                }
                (Ok(_), Err(e)) => eprintln!("OURS FAIL {}: {e}", path.display()),
                (Err(_), Ok(_)) => eprintln!("CALAMINE FAIL {}", path.display()),
                (Err(_), Err(e)) => eprintln!("BOTH FAIL {}: {e}", path.display()),
            }
        }
        eprintln!("compared {compared}");
    }
}
