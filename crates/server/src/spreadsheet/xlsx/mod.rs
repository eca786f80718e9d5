//! Office Open XML: the package relationships name the workbook, the workbook names its
//! first sheet, the workbook's relationships give that sheet's part and the shared strings.
//! Every part goes through `part::Limited`, which counts what is decompressed and how long the
//! current XML token is, so quick-xml never buffers more than one bounded token.
//!
//! The parts: `part` (bounded decompression and XML events), `text` (text inside the XML),
//! `sheet` (the sheet's rows and cells).

mod part;
mod sheet;
mod text;

use super::Rows;
use super::limits::{Limits, ReadError, invalid};
use super::text::SharedStrings;
use part::{Hit, Xml, corrupt, unzipped_too_large};
use quick_xml::events::Event;
use std::cell::Cell;
use std::collections::HashMap;
use std::io::Cursor;
use text::{RichText, attr};
use zip::ZipArchive;

type Archive<'b> = ZipArchive<Cursor<&'b [u8]>>;

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
        let file = self.zip.by_index(index).map_err(corrupt)?;
        Xml::new(file, limit_hit, &self.total, self.limits).map(Some)
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
        sheet::read(&mut xml, strings, rows)
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
    sheet::column_of(r)
}
