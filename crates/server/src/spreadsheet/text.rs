//! Cell text shared by the readers: cutting a cell, numbers as text, text collected from
//! several pieces, and strings stored once and referred to by index.

use super::limits::{KEEP_CHARS, ReadError};

/// The first `KEEP_CHARS` characters of a cell.
pub(super) fn keep(s: &str) -> &str {
    match s.char_indices().nth(KEEP_CHARS) {
        None => s,
        Some((i, _)) => &s[..i],
    }
}

pub(super) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Text collected from several XML events, cut at a number of characters.
pub(super) struct Text {
    pub(super) s: String,
    chars: usize,
    cap: usize,
}

impl Text {
    pub(super) fn new(cap: usize) -> Self {
        Self {
            s: String::new(),
            chars: 0,
            cap,
        }
    }

    pub(super) fn clear(&mut self) {
        self.s.clear();
        self.chars = 0;
    }

    pub(super) fn push(&mut self, t: &str) {
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
pub(super) struct SharedStrings {
    pub(super) text: String,
    pub(super) ends: Vec<u32>,
}

impl SharedStrings {
    pub(super) fn push(&mut self, s: &str, max: usize) -> Result<(), ReadError> {
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

    pub(super) fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }
}
