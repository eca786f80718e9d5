//! Uploads decided by content (issue 26 item 6): a file renamed to an allowed name is refused,
//! whatever its name or Content-Type claims; an .xlsx zip bomb (1 GiB of decompressed sheet in
//! about 1 MB) is refused without the memory growing; every export neutralises formula text.

use crate::both;
use crate::helpers::{TestApp, json};
use crate::kernel::attachments::{picture, upload};
use image::ImageFormat;
use reqwest::StatusCode;
use serde_json::Value;
use yingji_server::spreadsheet::XLSX_MIME;

/// The first bytes of a Windows program, an ELF binary and an HTML page.
fn executables() -> Vec<(&'static str, Vec<u8>)> {
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    exe.resize(512, 0);
    let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
    elf.resize(512, 0);
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    vec![("程序", exe), ("ELF", elf), ("网页", html)]
}

async fn import(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    body: Vec<u8>,
    mime: &str,
) -> (StatusCode, Value) {
    json(
        c.post(app.url(path))
            .header("content-type", mime)
            .body(body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

const IMPORTS: &[&str] = &[
    "/api/v1/enterprises/import?mode=strict",
    "/api/v1/registers/teams/import?mode=strict",
];

async fn renamed_files_are_refused(app: &TestApp) {
    let admin = app.login("admin").await;
    // Attachments: a program or a page named as a photo or a PDF.
    for (what, bytes) in executables() {
        for name in ["现场.jpg", "报告.pdf", "照片.png"] {
            let (s, e) = upload(app, &admin, name, bytes.clone()).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{what} as {name}: {e}");
            assert_eq!(e["details"][0]["field"], "file", "{e}");
            assert!(e["message"].as_str().unwrap().contains("类型不允许"), "{e}");
        }
    }
    // A real picture under a PDF's name is stored as what it is.
    let (s, a) = upload(app, &admin, "报告.pdf", picture(64, 64, ImageFormat::Png)).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_ne!(a["mime"], "application/pdf", "{a}");
    // Imports: a picture or a program named .xlsx or .csv, whatever Content-Type is sent.
    let png = picture(32, 32, ImageFormat::Png);
    let mut files = executables();
    files.retain(|(w, _)| *w != "网页");
    files.push(("图片", png));
    for path in IMPORTS {
        for (what, bytes) in &files {
            for mime in ["text/csv", XLSX_MIME] {
                let (s, e) = import(app, &admin, path, bytes.clone(), mime).await;
                assert_eq!(s, StatusCode::BAD_REQUEST, "{path} {what} as {mime}: {e}");
                assert_eq!(e["details"][0]["field"], "file", "{e}");
            }
        }
    }
}
both!(renamed_files_are_refused);

/// Raw deflate of `data` ending in a sync flush: byte-aligned, not final, so copies of it can
/// follow one another in one stream.
fn deflate_segment(data: &[u8]) -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let mut out = Vec::with_capacity(data.len() / 500 + 1024);
    c.compress_vec(data, &mut out, flate2::FlushCompress::Sync)
        .unwrap();
    assert_eq!(c.total_in() as usize, data.len());
    out
}

/// One zip entry: (name, method 0 stored / 8 deflated, data as stored, declared size).
type Entry = (&'static str, u16, Vec<u8>, u32);

/// A zip written by hand, so that sizes can be declared as the test wants (the CRC is not
/// checked before the refusal, so it is left 0).
fn zip_of(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, method, data, size) in entries {
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = sig.to_le_bytes().to_vec();
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes());
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(method.to_le_bytes());
            h.extend([0u8; 4]); // time, date
            h.extend(0u32.to_le_bytes()); // crc
            h.extend((data.len() as u32).to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0u8; 6]); // comment length, disk, internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(data);
        central.extend(header(0x0201_4b50, true));
    }
    let (cd_offset, cd_len, n) = (out.len() as u32, central.len() as u32, entries.len() as u16);
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend(n.to_le_bytes());
    out.extend(n.to_le_bytes());
    out.extend(cd_len.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

const GIB: u64 = 1 << 30;

/// An .xlsx whose sheet decompresses to 1 GiB (a sheet start, then spaces), declared as
/// `declared` bytes: about 1 MB on the wire.
fn bomb(declared: u32) -> Vec<u8> {
    let stored = |s: &str| s.as_bytes().to_vec();
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let workbook = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="企业" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let workbook_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let start = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
    let mib = deflate_segment(&vec![b' '; 1 << 20]);
    let mut sheet = deflate_segment(start.as_bytes());
    for _ in 0..(GIB >> 20) {
        sheet.extend_from_slice(&mib);
    }
    sheet.extend([0x03, 0x00]); // the final, empty block
    let entries: Vec<Entry> = vec![
        ("_rels/.rels", 0, stored(rels), rels.len() as u32),
        (
            "xl/workbook.xml",
            0,
            stored(workbook),
            workbook.len() as u32,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            0,
            stored(workbook_rels),
            workbook_rels.len() as u32,
        ),
        ("xl/worksheets/sheet1.xml", 8, sheet, declared),
    ];
    zip_of(&entries)
}

/// The process's peak resident memory in KiB (Linux), if known.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn xlsx_bombs_are_refused_with_bounded_memory(app: &TestApp) {
    let admin = app.login("admin").await;
    // Declared honestly (1 GiB), or as a few KB while holding 1 GiB.
    for declared in [(GIB - 1) as u32, 4096] {
        let bytes = bomb(declared);
        assert!(bytes.len() < 2 << 20, "{} bytes", bytes.len());
        let before = peak_rss_kib();
        for path in IMPORTS {
            let (s, e) = import(app, &admin, path, bytes.clone(), XLSX_MIME).await;
            assert!(
                s == StatusCode::PAYLOAD_TOO_LARGE || s == StatusCode::BAD_REQUEST,
                "{path} declared {declared}: {s} {e}"
            );
            assert_eq!(e["details"][0]["field"], "file", "{e}");
            let m = e["message"].as_str().unwrap();
            assert!(
                m.contains("解压后") || m.contains("声明") || m.contains("标记"),
                "{m}"
            );
        }
        // The server runs in this process: had it inflated the sheet, the peak would have
        // grown by a gigabyte.
        if let (Some(b), Some(a)) = (before, peak_rss_kib()) {
            assert!(a.saturating_sub(b) < 256 * 1024, "peak grew {} KiB", a - b);
        }
    }
}
both!(xlsx_bombs_are_refused_with_bounded_memory);
