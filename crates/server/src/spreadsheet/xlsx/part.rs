//! One part of the package being read: its decompressed bytes counted against the bounds
//! ([`Limited`]) and handed to quick-xml one bounded token at a time ([`Xml`]).

use super::super::limits::{Limits, MAX_CELL_CHARS, ReadError, invalid};
use quick_xml::events::Event;
use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use zip::read::ZipFile;

pub(super) fn corrupt(e: impl std::fmt::Display) -> ReadError {
    invalid(format!(
        "无法读取.xlsx文件：{e}。请在Excel中打开并另存为.xlsx后再导入"
    ))
}

fn mb(bytes: u64) -> String {
    format!("{}MB", bytes.div_ceil(1 << 20))
}

pub(super) fn unzipped_too_large(l: &Limits) -> ReadError {
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
pub(super) enum Hit {
    Part,
    Strings,
    Total,
    Token,
}

impl Hit {
    pub(super) fn error(self, l: &Limits) -> ReadError {
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
pub(super) struct Xml<'z, 'b> {
    reader: quick_xml::Reader<PartReader<'z, 'b>>,
    buf: Vec<u8>,
    depth: usize,
    limits: Limits,
}

impl<'z, 'b> Xml<'z, 'b> {
    /// Reads `file` within the bound `limit_hit` names (the shared strings' or one part's),
    /// the bound on all parts (`total` counts what every part has inflated) and the bound on
    /// one token; an entry that declares more than its bound is refused before inflating.
    pub(super) fn new(
        file: ZipFile<'z, Cursor<&'b [u8]>>,
        limit_hit: Hit,
        total: &'z Cell<u64>,
        limits: Limits,
    ) -> Result<Self, ReadError> {
        let limit = match limit_hit {
            Hit::Strings => limits.shared_strings_bytes,
            _ => limits.part_bytes,
        };
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
            total,
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
        Ok(Xml {
            reader,
            buf: Vec::new(),
            depth: 0,
            limits,
        })
    }

    pub(super) fn next(&mut self) -> Result<Event<'_>, ReadError> {
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
