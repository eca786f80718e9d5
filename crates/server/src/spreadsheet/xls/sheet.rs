//! The first worksheet: its cells collected as (row, column, value), compactly and at most
//! `xls_cells` of them, then sorted and handed out row by row. Far-apart cells make no grid.

use super::super::Rows;
use super::super::limits::{Limits, ReadError, too_many_columns};
use super::super::text::{SharedStrings, number_text};
use super::biff::{Pieces, Records};
use super::{corrupt, u16_at};

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

/// A cell record's row and column, as one sortable number.
fn pos(p: &mut Pieces) -> Result<u32, ReadError> {
    let row = p.u16().ok_or_else(corrupt)?;
    let col = p.u16().ok_or_else(corrupt)?;
    Ok(u32::from(row) << 16 | u32::from(col))
}

/// The worksheet's cells: (row << 16 | column, value), and the texts of its Label and
/// String records.
pub(super) struct Cells {
    cells: Vec<(u32, Value)>,
    texts: SharedStrings,
    /// A formula whose text result follows in a String record.
    formula_at: Option<u32>,
    limits: Limits,
}

/// The cells of the worksheet whose BOF is at `at` in the stream.
pub(super) fn collect(stream: &[u8], at: usize, limits: &Limits) -> Result<Cells, ReadError> {
    let mut sheet = Cells {
        cells: Vec::new(),
        texts: SharedStrings::default(),
        formula_at: None,
        limits: *limits,
    };
    let mut depth = 0usize;
    let mut started = false;
    for rec in (Records { stream, at }) {
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
        match typ {
            0x0809 => depth += 1,
            0x000A => break,
            _ => sheet.record(typ, &mut p)?,
        }
    }
    if !started {
        return Err(corrupt());
    }
    Ok(sheet)
}

impl Cells {
    fn add(&mut self, at: u32, v: Value) -> Result<(), ReadError> {
        if self.cells.len() >= self.limits.xls_cells {
            return Err(ReadError::TooLarge(format!(
                ".xls工作表的单元格超过{}个，请拆分文件后再导入",
                self.limits.xls_cells
            )));
        }
        self.cells.push((at, v));
        Ok(())
    }

    fn add_text(&mut self, at: u32, s: &str) -> Result<(), ReadError> {
        self.texts.push(s, self.limits.xls_cells)?;
        self.add(at, Value::Text(self.texts.ends.len() as u32 - 1))
    }

    /// One record of the sheet's own substream.
    fn record(&mut self, typ: u16, p: &mut Pieces) -> Result<(), ReadError> {
        match typ {
            // LabelSst
            0x00FD => {
                let at = pos(p)?;
                p.skip(2).ok_or_else(corrupt)?;
                self.add(at, Value::Shared(p.u32().ok_or_else(corrupt)?))?;
            }
            // Label, RString
            0x0204 | 0x00D6 => {
                let at = pos(p)?;
                p.skip(2).ok_or_else(corrupt)?;
                let s = p.string().ok_or_else(corrupt)?;
                self.add_text(at, &s)?;
            }
            // Number
            0x0203 => {
                let at = pos(p)?;
                p.skip(2).ok_or_else(corrupt)?;
                let bits = u64::from(p.u32().ok_or_else(corrupt)?)
                    | u64::from(p.u32().ok_or_else(corrupt)?) << 32;
                self.add(at, Value::Number(f64::from_bits(bits)))?;
            }
            // RK
            0x027E => {
                let at = pos(p)?;
                p.skip(2).ok_or_else(corrupt)?;
                self.add(at, Value::Number(rk(p.u32().ok_or_else(corrupt)?)))?;
            }
            0x00BD => self.mul_rk(p)?,
            // BoolErr
            0x0205 => {
                let at = pos(p)?;
                p.skip(2).ok_or_else(corrupt)?;
                let v = p.byte().ok_or_else(corrupt)?;
                let is_error = p.byte().ok_or_else(corrupt)? != 0;
                self.add(
                    at,
                    if is_error {
                        Value::Error(v)
                    } else {
                        Value::Bool(v != 0)
                    },
                )?;
            }
            0x0006 => self.formula(p)?,
            // String: a formula's text result.
            0x0207 => {
                if let Some(at) = self.formula_at.take() {
                    let s = p.string().ok_or_else(corrupt)?;
                    self.add_text(at, &s)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// MulRk: row, first column, (format, RK)…, last column.
    fn mul_rk(&mut self, p: &mut Pieces) -> Result<(), ReadError> {
        let data = *p.pieces.first().ok_or_else(corrupt)?;
        if data.len() < 6 || (data.len() - 6) % 6 != 0 {
            return Err(corrupt());
        }
        let row = u32::from(u16_at(data, 0).ok_or_else(corrupt)?);
        let first_col = u32::from(u16_at(data, 2).ok_or_else(corrupt)?);
        for (k, item) in data[4..data.len() - 2].chunks_exact(6).enumerate() {
            let col = first_col + k as u32;
            let v = u32::from_le_bytes([item[2], item[3], item[4], item[5]]);
            self.add(row << 16 | col.min(0xFFFF), Value::Number(rk(v)))?;
        }
        Ok(())
    }

    /// Formula: its cached value, a string following in a String record.
    fn formula(&mut self, p: &mut Pieces) -> Result<(), ReadError> {
        let at = pos(p)?;
        p.skip(2).ok_or_else(corrupt)?;
        let mut v = [0u8; 8];
        for b in &mut v {
            *b = p.byte().ok_or_else(corrupt)?;
        }
        self.formula_at = None;
        if v[6] == 0xFF && v[7] == 0xFF {
            match v[0] {
                0 => self.formula_at = Some(at),
                1 => self.add(at, Value::Bool(v[2] != 0))?,
                2 => self.add(at, Value::Error(v[2]))?,
                _ => {}
            }
        } else {
            self.add(at, Value::Number(f64::from_le_bytes(v)))?;
        }
        Ok(())
    }

    /// The cells in row order, row by row (a later cell at the same place wins).
    pub(super) fn deliver(self, strings: &SharedStrings, rows: &mut Rows) -> Result<(), ReadError> {
        let limits = *rows.limits;
        let Cells {
            mut cells, texts, ..
        } = self;
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
