//! BIFF8 records in the Workbook stream, each with the CONTINUE records that carry on its data,
//! and the strings inside them.

use super::super::limits::{KEEP_CHARS, ReadError};
use super::{corrupt, u16_at};

/// A record's data and the data of the CONTINUE records after it.
pub(super) struct Pieces<'a> {
    pub(super) pieces: Vec<&'a [u8]>,
    i: usize,
    at: usize,
}

impl<'a> Pieces<'a> {
    pub(super) fn byte(&mut self) -> Option<u8> {
        while self.at >= self.pieces.get(self.i)?.len() {
            self.i += 1;
            self.at = 0;
        }
        let b = self.pieces[self.i][self.at];
        self.at += 1;
        Some(b)
    }

    pub(super) fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.byte()?, self.byte()?]))
    }

    pub(super) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.byte()?,
            self.byte()?,
            self.byte()?,
            self.byte()?,
        ]))
    }

    pub(super) fn skip(&mut self, mut n: usize) -> Option<()> {
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

    pub(super) fn done(&mut self) -> bool {
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
    pub(super) fn string(&mut self) -> Option<String> {
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
pub(super) struct Records<'a> {
    pub(super) stream: &'a [u8],
    pub(super) at: usize,
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
