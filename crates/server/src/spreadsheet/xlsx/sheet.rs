//! The first sheet's part, streamed row by row: `<row>`s of `<c>`ells, each with a value
//! (`<v>`) or an inline string (`<is>`), turned into text as calamine's values were.

use super::super::Rows;
use super::super::limits::{ReadError, too_many_columns};
use super::super::text::{SharedStrings, Text, keep, number_text};
use super::part::Xml;
use super::text::{RAW_CHARS, RichText, attr, finish_text, push_text};
use quick_xml::events::{BytesStart, Event};

/// Streams the sheet's rows.
pub(super) fn read(
    xml: &mut Xml,
    strings: &SharedStrings,
    rows: &mut Rows,
) -> Result<(), ReadError> {
    let mut sheet = Sheet::new();
    loop {
        let ev = xml.next()?;
        if sheet.in_is && sheet.inline.event(&ev) {
            continue;
        }
        match &ev {
            Event::Start(e) => sheet.start(e, false),
            Event::Empty(e) => sheet.start(e, true),
            Event::End(e) => match sheet.end(e.local_name().as_ref(), strings, rows)? {
                After::Read => {}
                After::Stop => return Ok(()),
                After::SheetEnd => break,
            },
            Event::Eof => break,
            ev if sheet.in_v => push_text(ev, &mut sheet.value),
            _ => {}
        }
    }
    if let Some(n) = sheet.row {
        rows.deliver(n, &mut sheet.cells)?;
    }
    Ok(())
}

/// What follows an end tag.
enum After {
    /// Read on.
    Read,
    /// The caller wants no more rows.
    Stop,
    /// `</sheetData>`: no more rows in the part.
    SheetEnd,
}

/// Where the reading is in the sheet.
struct Sheet {
    in_data: bool,
    /// The open row's number, its cells, the column a cell without `r` takes.
    row: Option<usize>,
    row_no: usize,
    cells: Vec<String>,
    next_col: usize,
    /// The open cell: its column and type, its <v> and its inline string.
    cell: Option<(usize, Kind)>,
    value: Text,
    inline: RichText,
    in_v: bool,
    in_is: bool,
}

impl Sheet {
    fn new() -> Self {
        Self {
            in_data: false,
            row: None,
            row_no: 0,
            cells: Vec::new(),
            next_col: 0,
            cell: None,
            value: Text::new(RAW_CHARS),
            inline: RichText::new(),
            in_v: false,
            in_is: false,
        }
    }

    /// A start tag, or an empty element (`<c r="G5" s="3"/>`).
    fn start(&mut self, e: &BytesStart, empty: bool) {
        match e.local_name().as_ref() {
            "sheetData" => self.in_data = !empty,
            "row" if self.in_data => {
                self.row_no = attr(e, "r")
                    .and_then(|r| r.trim().parse().ok())
                    .unwrap_or(self.row_no + 1);
                self.cells.clear();
                self.next_col = 0;
                self.row = (!empty).then_some(self.row_no);
            }
            "c" if self.row.is_some() => {
                let col = attr(e, "r")
                    .and_then(|r| column_of(&r))
                    .unwrap_or(self.next_col);
                self.next_col = col.saturating_add(1);
                if !empty {
                    self.cell = Some((col, Kind::of(attr(e, "t").as_deref())));
                    self.value.clear();
                    self.inline.clear();
                }
            }
            "v" if self.cell.is_some() && !empty => self.in_v = true,
            "is" if self.cell.is_some() && !empty => self.in_is = true,
            _ => {}
        }
    }

    fn end(
        &mut self,
        name: &str,
        strings: &SharedStrings,
        rows: &mut Rows,
    ) -> Result<After, ReadError> {
        match name {
            "v" => self.in_v = false,
            "is" => self.in_is = false,
            "c" => {
                if let Some((col, kind)) = self.cell.take() {
                    let text = cell_text(kind, &self.value, &self.inline.out.s, strings);
                    if !text.is_empty() {
                        if col >= rows.limits.cols {
                            return Err(too_many_columns(rows.limits, self.row_no));
                        }
                        if self.cells.len() <= col {
                            self.cells.resize(col + 1, String::new());
                        }
                        self.cells[col] = text;
                    }
                }
                (self.in_v, self.in_is) = (false, false);
            }
            "row" => {
                if let Some(n) = self.row.take()
                    && !rows.deliver(n, &mut self.cells)?
                {
                    return Ok(After::Stop);
                }
            }
            "sheetData" => return Ok(After::SheetEnd),
            _ => {}
        }
        Ok(After::Read)
    }
}

/// The column index of a cell reference: "C7" → 2.
pub(super) fn column_of(r: &str) -> Option<usize> {
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
