//! Excel 97–2003 (BIFF8) in an OLE compound file: the compound file is walked with every
//! sector chain checked against the file (no loops, nothing outside it), the Workbook
//! stream is copied out (it is at most as large as the file), and the first worksheet's
//! cells are collected compactly, sorted and handed out row by row.
//!
//! The parts: `cfb` (the compound file), `biff` (records and strings), `sheet` (the
//! worksheet's cells).

mod biff;
mod cfb;
mod sheet;

use super::Rows;
use super::limits::{ReadError, invalid};
use super::text::SharedStrings;
use biff::Records;

pub(super) const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn corrupt() -> ReadError {
    invalid("无法读取.xls文件：文件已损坏或不是Excel 97-2003工作簿，请在Excel中另存为.xlsx后再导入")
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

pub(super) fn read(bytes: &[u8], rows: &mut Rows) -> Result<(), ReadError> {
    let limits = *rows.limits;
    if bytes.len() > limits.xls_bytes {
        return Err(ReadError::TooLarge(format!(
            ".xls文件超过{}MB，请在Excel中另存为.xlsx或.csv后再导入",
            limits.xls_bytes.div_ceil(1 << 20)
        )));
    }
    let stream = cfb::workbook_stream(bytes)?;
    let (strings, sheet_at) = globals(&stream, limits.shared_strings)?;
    let cells = sheet::collect(&stream, sheet_at, &limits)?;
    cells.deliver(&strings, rows)
}

/// Workbook globals: the version, the shared strings (at most `max`), where the first
/// worksheet starts in the stream.
fn globals(stream: &[u8], max: usize) -> Result<(SharedStrings, usize), ReadError> {
    let mut strings = SharedStrings::default();
    let mut sheet_at = None;
    let mut first = true;
    for rec in (Records { stream, at: 0 }) {
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
                    strings.push(&s, max)?;
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    let sheet_at = sheet_at.ok_or_else(|| invalid("文件中没有工作表"))?;
    Ok((strings, sheet_at))
}
