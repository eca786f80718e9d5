//! The one writer every list export goes through: a declaration of columns (Chinese header,
//! value kind, how to read the value from a row) and the rows the list query answered.
//!
//! - dates and date-times are real Excel dates in Asia/Shanghai with a date format, never ISO
//!   text; numbers are numbers; labels are the words a user reads (the declaration maps codes);
//! - every text cell that Excel (or a CSV re-save) could take for a formula — beginning with
//!   `=`, `+`, `-`, `@`, a tab or a carriage return — is neutralised with a leading apostrophe;
//! - the row count is bounded ([`MAX_EXPORT_ROWS`]): a larger selection is refused with a
//!   message asking to narrow the filters, before anything is built.

use crate::error::{ApiError, ApiResult};
use axum::response::Response;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;
use yingji_core::kernel::clock::{shanghai, to_rfc3339};
use yingji_store::Page;

/// The most rows one export holds.
pub const MAX_EXPORT_ROWS: usize = 50_000;
/// Rows fetched per list query while exporting.
const PAGE_SIZE: i64 = 500;

/// How a column's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    /// A calendar day (`YYYY-MM-DD` text or an instant), shown as 2026-07-01.
    Date,
    /// An instant (ms), shown as 2026-07-01 10:00 in Asia/Shanghai.
    DateTime,
    /// Words standing for a code (region name, 一般/重大 …): written as text.
    Label,
}

/// One cell's value as a column reads it from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Number(f64),
    /// Milliseconds since the epoch.
    Ms(i64),
    /// `YYYY-MM-DD`.
    Day(String),
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        if s.is_empty() {
            Value::Empty
        } else {
            Value::Text(s)
        }
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        s.to_string().into()
    }
}
impl From<Option<String>> for Value {
    fn from(s: Option<String>) -> Self {
        s.map(Value::from).unwrap_or(Value::Empty)
    }
}
impl From<Option<&str>> for Value {
    fn from(s: Option<&str>) -> Self {
        s.map(Value::from).unwrap_or(Value::Empty)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n as f64)
    }
}
impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}
impl From<Option<i64>> for Value {
    fn from(n: Option<i64>) -> Self {
        n.map(Value::from).unwrap_or(Value::Empty)
    }
}
impl From<Option<f64>> for Value {
    fn from(n: Option<f64>) -> Self {
        n.map(Value::from).unwrap_or(Value::Empty)
    }
}
impl From<bool> for Value {
    /// 是 / empty, as the ledgers print flags.
    fn from(b: bool) -> Self {
        if b { "是".into() } else { Value::Empty }
    }
}

type Read<T> = Box<dyn Fn(&T) -> Value + Send + Sync>;

/// One column of an export.
pub struct Column<T> {
    pub header: &'static str,
    pub kind: Kind,
    read: Read<T>,
}

impl<T> Column<T> {
    fn new<V: Into<Value>>(
        header: &'static str,
        kind: Kind,
        read: impl Fn(&T) -> V + Send + Sync + 'static,
    ) -> Self {
        Self {
            header,
            kind,
            read: Box::new(move |r| read(r).into()),
        }
    }
    pub fn value(&self, row: &T) -> Value {
        (self.read)(row)
    }
}

pub fn text<T, V: Into<Value>>(
    h: &'static str,
    f: impl Fn(&T) -> V + Send + Sync + 'static,
) -> Column<T> {
    Column::new(h, Kind::Text, f)
}
pub fn label<T, V: Into<Value>>(
    h: &'static str,
    f: impl Fn(&T) -> V + Send + Sync + 'static,
) -> Column<T> {
    Column::new(h, Kind::Label, f)
}
pub fn number<T, V: Into<Value>>(
    h: &'static str,
    f: impl Fn(&T) -> V + Send + Sync + 'static,
) -> Column<T> {
    Column::new(h, Kind::Number, f)
}
/// A day: `YYYY-MM-DD` text (`Option<String>`) or an instant (`Option<i64>` ms).
pub fn date<T>(h: &'static str, f: impl Fn(&T) -> Value + Send + Sync + 'static) -> Column<T> {
    Column::new(h, Kind::Date, f)
}
/// An instant in ms.
pub fn datetime<T, V: Into<Option<i64>>>(
    h: &'static str,
    f: impl Fn(&T) -> V + Send + Sync + 'static,
) -> Column<T> {
    Column::new(h, Kind::DateTime, move |r| match f(r).into() {
        Some(ms) => Value::Ms(ms),
        None => Value::Empty,
    })
}
/// A `YYYY-MM-DD` day as a [`Value`].
pub fn day(s: Option<&str>) -> Value {
    match s {
        Some(s) if !s.is_empty() => Value::Day(s.to_string()),
        _ => Value::Empty,
    }
}

/// A sheet: its name, columns and rows.
pub struct Table<T> {
    pub sheet: &'static str,
    pub columns: Vec<Column<T>>,
    pub rows: Vec<T>,
}

/// Text that no spreadsheet takes for a formula: a leading `= + - @`, tab or CR gets an apostrophe.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// An instant as an Excel date-time in Asia/Shanghai.
fn excel_datetime(ms: i64) -> Option<ExcelDateTime> {
    let z = jiff::Timestamp::from_millisecond(ms)
        .ok()?
        .to_zoned_datetime(shanghai());
    ExcelDateTime::from_ymd(z.year() as u16, z.month() as u8, z.day() as u8)
        .ok()?
        .and_hms(z.hour() as u16, z.minute() as u8, z.second() as f64)
        .ok()
}

fn excel_day(s: &str) -> Option<ExcelDateTime> {
    let d: jiff::civil::Date = s.get(..10)?.parse().ok()?;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
}

pub struct Formats {
    header: Format,
    text: Format,
    date: Format,
    datetime: Format,
}

fn write_cell(
    ws: &mut Worksheet,
    f: &Formats,
    (r, c): (u32, u16),
    kind: Kind,
    v: Value,
) -> Result<(), XlsxError> {
    match v {
        Value::Empty => {}
        Value::Number(n) => {
            ws.write_number(r, c, n)?;
        }
        Value::Text(s) => {
            ws.write_string_with_format(r, c, neutralise(&s), &f.text)?;
        }
        Value::Ms(ms) => {
            let fmt = if kind == Kind::Date {
                &f.date
            } else {
                &f.datetime
            };
            match excel_datetime(ms) {
                Some(d) => ws.write_datetime_with_format(r, c, d, fmt)?,
                None => ws.write_string_with_format(r, c, to_rfc3339(ms), &f.text)?,
            };
        }
        Value::Day(s) => {
            match excel_day(&s) {
                Some(d) => ws.write_datetime_with_format(r, c, d, &f.date)?,
                None => ws.write_string_with_format(r, c, neutralise(&s), &f.text)?,
            };
        }
    }
    Ok(())
}

fn width(kind: Kind, header: &str) -> f64 {
    let min = match kind {
        Kind::DateTime => 17.0,
        Kind::Date => 12.0,
        Kind::Number => 10.0,
        Kind::Text | Kind::Label => 14.0,
    };
    (header.chars().count() as f64 * 2.2).max(min)
}

fn formats() -> Formats {
    Formats {
        header: Format::new()
            .set_bold()
            .set_background_color(0xDDEBF7)
            .set_text_wrap(),
        text: Format::new().set_align(FormatAlign::Top),
        date: Format::new()
            .set_num_format("yyyy-mm-dd")
            .set_align(FormatAlign::Left),
        datetime: Format::new()
            .set_num_format("yyyy-mm-dd hh:mm")
            .set_align(FormatAlign::Left),
    }
}

/// A table of any row type, as one sheet of a workbook.
pub trait Sheet: Send {
    fn write_into(&self, wb: &mut Workbook, f: &Formats) -> Result<(), XlsxError>;
}

impl<T: Send> Sheet for Table<T> {
    fn write_into(&self, wb: &mut Workbook, f: &Formats) -> Result<(), XlsxError> {
        let ws = wb.add_worksheet();
        ws.set_name(self.sheet)?;
        for (c, col) in self.columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, col.header, &f.header)?;
            ws.set_column_width(c as u16, width(col.kind, col.header))?;
        }
        ws.set_freeze_panes(1, 0)?;
        for (r, row) in self.rows.iter().enumerate() {
            for (c, col) in self.columns.iter().enumerate() {
                write_cell(ws, f, ((r + 1) as u32, c as u16), col.kind, col.value(row))?;
            }
        }
        Ok(())
    }
}

/// A workbook of one or more tables, each with a bold, frozen header row.
pub fn write(sheets: &[Box<dyn Sheet>]) -> Result<Vec<u8>, String> {
    let inner = || -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        let f = formats();
        for s in sheets {
            s.write_into(&mut wb, &f)?;
        }
        wb.save_to_buffer()
    };
    inner().map_err(|e| format!("生成Excel失败：{e}"))
}

/// Sheets of text rows (headers and cells as a core module words them), as tables.
pub fn text_sheet(
    sheet: &'static str,
    headers: &[&'static str],
    rows: Vec<Vec<String>>,
) -> Table<Vec<String>> {
    Table {
        sheet,
        columns: headers
            .iter()
            .enumerate()
            .map(|(i, h)| text(h, move |r: &Vec<String>| r.get(i).cloned()))
            .collect(),
        rows,
    }
}

/// The message of a selection beyond [`MAX_EXPORT_ROWS`].
pub fn too_many(total: i64) -> ApiError {
    ApiError::bad_request(format!(
        "符合条件的记录共{total}条，超过单次导出上限{MAX_EXPORT_ROWS}条，请缩小筛选范围后再导出"
    ))
}

/// Every row of a paged list query (the list endpoint's own, with its filters and scope),
/// refused when the selection holds more than [`MAX_EXPORT_ROWS`].
pub async fn collect<T, E, F, Fut>(mut fetch: F) -> ApiResult<Vec<T>>
where
    F: FnMut(Page) -> Fut,
    Fut: std::future::Future<Output = Result<(Vec<T>, i64), E>>,
    ApiError: From<E>,
{
    let mut rows = Vec::new();
    let mut page = 1;
    loop {
        let (items, total) = fetch(Page {
            page,
            page_size: PAGE_SIZE,
        })
        .await?;
        if total > MAX_EXPORT_ROWS as i64 {
            return Err(too_many(total));
        }
        let n = items.len();
        rows.extend(items);
        if n == 0 || rows.len() as i64 >= total {
            return Ok(rows);
        }
        page += 1;
    }
}

/// Refuses a whole (unpaged) selection beyond [`MAX_EXPORT_ROWS`].
pub fn bounded<T>(rows: Vec<T>) -> ApiResult<Vec<T>> {
    if rows.len() > MAX_EXPORT_ROWS {
        return Err(too_many(rows.len() as i64));
    }
    Ok(rows)
}

/// Builds the workbook off the async runtime and answers it as a download named `filename`.
pub async fn respond<T: Send + 'static>(table: Table<T>, filename: &str) -> ApiResult<Response> {
    respond_all(vec![Box::new(table)], filename).await
}

/// [`respond`] with several sheets.
pub async fn respond_all(sheets: Vec<Box<dyn Sheet>>, filename: &str) -> ApiResult<Response> {
    let bytes = tokio::task::spawn_blocking(move || write(&sheets))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(super::xlsx_response(bytes, filename))
}

/// Region code → name, for the region columns of an export (names of 行政区划 and grids are
/// not restricted; the rows themselves come from the caller's scoped list).
pub async fn region_names(store: &yingji_store::Store) -> ApiResult<RegionNames> {
    let all = yingji_store::directory::regions::list(
        store,
        &yingji_core::kernel::role::Scope::All,
        &Default::default(),
    )
    .await?;
    Ok(RegionNames(std::sync::Arc::new(
        all.into_iter().map(|r| (r.code, r.name)).collect(),
    )))
}

/// Region names by code; a code not found reads 未知区域.
#[derive(Debug, Clone, Default)]
pub struct RegionNames(std::sync::Arc<HashMap<String, String>>);

impl RegionNames {
    pub fn name(&self, code: &str) -> String {
        if code.is_empty() {
            return String::new();
        }
        self.0
            .get(code)
            .cloned()
            .unwrap_or_else(|| "未知区域".to_string())
    }
}
