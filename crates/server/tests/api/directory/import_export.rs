use crate::both;
use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;
use std::io::{Cursor, Write};
use std::time::{Duration, Instant};
use yingji_core::directory::import::COLUMNS;
use yingji_server::spreadsheet::{XLSX_MIME, read_table, write_xlsx};

fn header_line() -> String {
    COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>().join(",")
}

/// A CSV row in template order with the given code and grid.
fn csv_row(name: &str, code: &str, grid: &str) -> String {
    format!(
        "{name},{code},C3311,工贸、消防重点单位,规下,九江市浔阳区导入路8号,115.98,29.72,{grid},王五,13700000000,,,有限空间作业,在营,35"
    )
}

async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    mode: &str,
    body: Vec<u8>,
    mime: &str,
) -> (StatusCode, Value) {
    json(
        c.post(app.url(&format!("/api/v1/enterprises/import?mode={mode}")))
            .header("content-type", mime)
            .body(body)
            .send_checked()
            .await
            .unwrap(),
    )
    .await
}

async fn csv_import_reports_every_bad_row(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = first_grid(app, &admin, "360403001").await;
    let csv = [
        header_line(),
        csv_row("导入甲公司", &uscc(500), &grid),
        csv_row("导入乙公司", "91350100M000100Y44", &grid),
        csv_row("导入丙公司", &uscc(502), "360403999999999"),
        csv_row("", &uscc(503), &grid).replace("115.98", "东经"),
        csv_row("导入戊公司", &uscc(500), &grid),
    ]
    .join("\n");
    let before = (app.count("enterprises").await, app.count("audit_log").await);
    let (s, e) = upload(app, &admin, "strict", csv.clone().into_bytes(), "text/csv").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["message"].as_str().unwrap().contains("未导入任何数据"));
    let errors = e["details"]["errors"].as_array().unwrap();
    let found: Vec<(i64, &str)> = errors
        .iter()
        .map(|x| (x["row"].as_i64().unwrap(), x["column"].as_str().unwrap()))
        .collect();
    assert!(found.contains(&(3, "统一社会信用代码")), "{found:?}");
    assert!(found.contains(&(4, "所属网格代码")), "{found:?}");
    assert!(found.contains(&(5, "企业名称")), "{found:?}");
    assert!(found.contains(&(5, "经度")), "{found:?}");
    assert!(found.contains(&(6, "统一社会信用代码")), "{found:?}");
    assert!(!found.iter().any(|(r, _)| *r == 2));
    assert_eq!(e["details"]["total_rows"], 5);
    assert_eq!(
        (app.count("enterprises").await, app.count("audit_log").await),
        before
    );
    // The user chooses to import only the valid rows.
    let (s, r) = upload(app, &admin, "valid_only", csv.into_bytes(), "text/csv").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["imported"], 1);
    assert_eq!(app.count("enterprises").await, before.0 + 1);
    let (_, found) = app
        .get(&admin, "/api/v1/enterprises?q=%E5%AF%BC%E5%85%A5%E7%94%B2")
        .await; // 导入甲
    assert_eq!(found["total"], 1);
    assert_eq!(
        found["items"][0]["flags"],
        serde_json::json!(["confined_space"])
    );
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?action=import&entity_type=enterprise",
        )
        .await;
    assert!(audit["total"].as_i64().unwrap() >= 2);
}
both!(csv_import_reports_every_bad_row);

async fn header_and_file_checks(app: &TestApp) {
    let admin = app.login("admin").await;
    let before = app.count("enterprises").await;
    let (s, e) = upload(
        app,
        &admin,
        "strict",
        format!("{},备注\n", header_line()).into_bytes(),
        "text/csv",
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(e["details"]["errors"][0]["column"], "备注");
    assert!(
        e["details"]["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("未知列")
    );
    let (s, e) = upload(
        app,
        &admin,
        "strict",
        vec![0xD0, 0xCF, 0x11, 0xE0, 0, 1, 2],
        "application/vnd.ms-excel",
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(e["message"].as_str().unwrap().contains(".xlsx"));
    let (s, _) = upload(
        app,
        &admin,
        "strict",
        b"\x89PNG\r\n\x1a\n\0\0\0".to_vec(),
        "image/png",
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, e) = upload(app, &admin, "everything", b"a".to_vec(), "text/csv").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(e["details"][0]["field"], "mode");
    // GBK-encoded CSV, as Excel saves it on Chinese Windows.
    let grid = first_grid(app, &admin, "360403001").await;
    let text = format!(
        "{}\n{}\n",
        header_line(),
        csv_row("编码测试公司", &uscc(600), &grid)
    );
    let (gbk, _, _) = encoding_rs::GB18030.encode(&text);
    let (s, r) = upload(app, &admin, "strict", gbk.into_owned(), "text/csv").await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["imported"], 1);
    assert_eq!(app.count("enterprises").await, before + 1);
    // A street user cannot import into another street.
    let street = app.login("street").await;
    let other = first_grid(app, &admin, "360403003").await;
    let text = format!(
        "{}\n{}\n",
        header_line(),
        csv_row("越界公司", &uscc(601), &other)
    );
    let (s, e) = upload(app, &street, "strict", text.into_bytes(), "text/csv").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["details"]["errors"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("管辖范围")
    );
    // Grid workers do not import.
    let g = app.login("grid").await;
    assert_eq!(
        upload(app, &g, "check", b"x".to_vec(), "text/csv").await.0,
        StatusCode::FORBIDDEN
    );
}
both!(header_and_file_checks);

async fn xlsx_template_export_round_trip(app: &TestApp) {
    let admin = app.login("admin").await;
    let r = admin
        .get(app.url("/api/v1/enterprises/import/template"))
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], XLSX_MIME);
    let rows = read_table(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(
        rows[0].iter().map(String::as_str).collect::<Vec<_>>(),
        COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>()
    );
    // The template's example row is valid apart from its grid, which the demo lacks.
    let grid = first_grid(app, &admin, "360403002").await;
    let mut example = rows[1].clone();
    example[8] = grid;
    let bytes = write_xlsx(
        "企业",
        &COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>(),
        &[example],
        None,
    )
    .unwrap();
    let (s, r) = upload(app, &admin, "strict", bytes, XLSX_MIME).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["imported"], 1);

    let street = app.login("street").await;
    let r = street
        .get(app.url("/api/v1/enterprises/export?category=industry_trade"))
        .send_checked()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let rows = read_table(&r.bytes().await.unwrap()).unwrap();
    let (_, listed) = app
        .get(&street, "/api/v1/enterprises?category=industry_trade")
        .await;
    assert_eq!(rows.len() as i64 - 1, listed["total"].as_i64().unwrap());
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[8].starts_with("360403001") && r[3].contains("工贸"))
    );
    // An export imports back: every row is valid but already registered.
    let bytes = write_xlsx(
        "企业",
        &COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>(),
        &rows[1..],
        None,
    )
    .unwrap();
    let (s, r) = upload(app, &admin, "check", bytes, XLSX_MIME).await;
    assert_eq!(s, StatusCode::OK);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), rows.len() - 1);
    assert!(
        errors
            .iter()
            .all(|e| e["reason"].as_str().unwrap().contains("已登记"))
    );
    assert_eq!(r["imported"], 0);
}
both!(xlsx_template_export_round_trip);

// ---------------------------------------------------------------------------------------------
// Import amplification: small files standing for huge sheets are refused while being read, with
// the server's memory bounded, and nothing is stored.

/// Peak resident memory of this process so far (VmHWM), in MB. The server runs in the test's
/// process, and nextest runs every test in a process of its own.
fn peak_rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kb / 1024
}

/// One upload's outcome: what was sent, status, message, answer size and time taken.
type Outcome = (&'static str, StatusCode, Value, usize, std::time::Duration);

/// Sends each file, prints the outcomes and asserts the server's peak memory grew by less than
/// 200 MB over them.
async fn upload_bounded(
    app: &TestApp,
    c: &reqwest::Client,
    mode: &str,
    files: Vec<(&'static str, Vec<u8>)>,
) -> Vec<Outcome> {
    let base = peak_rss_mb();
    let mut results = Vec::new();
    for (what, bytes) in files {
        let started = Instant::now();
        let (status, e, size) = send_file(app, c, mode, bytes).await;
        results.push((what, status, e, size, started.elapsed()));
    }
    let grown = peak_rss_mb().saturating_sub(base);
    for (what, status, e, size, took) in &results {
        eprintln!(
            "{what}: {status}, {size} bytes in {took:?}: {}",
            e["message"]
        );
    }
    eprintln!("peak RSS: {base} MB before the uploads, grown by {grown} MB");
    assert!(grown < 200, "the server's peak memory grew by {grown} MB");
    results
}

/// An upload's status, its message (when the answer is small enough to be JSON we read) and
/// the size of the answer.
async fn send_file(
    app: &TestApp,
    c: &reqwest::Client,
    mode: &str,
    body: Vec<u8>,
) -> (StatusCode, Value, usize) {
    let r = c
        .post(app.url(&format!("/api/v1/enterprises/import?mode={mode}")))
        .header("content-type", "application/octet-stream")
        .body(body)
        .send_checked()
        .await
        .unwrap();
    let status = r.status();
    // Read in chunks, keeping only the start: a huge answer must not count as the server's.
    let (mut r, mut head, mut size) = (r, Vec::new(), 0);
    while let Some(chunk) = r.chunk().await.unwrap() {
        size += chunk.len();
        if head.len() < 1 << 20 {
            head.extend_from_slice(&chunk);
        }
    }
    let value = if size < 1 << 20 {
        serde_json::from_slice(&head).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    (status, value, size)
}

/// An .xlsx written part by part, so that a part of hundreds of MB never sits in memory here.
struct Xlsx(zip::ZipWriter<Cursor<Vec<u8>>>);

impl Xlsx {
    fn new() -> Self {
        let mut x = Xlsx(zip::ZipWriter::new(Cursor::new(Vec::new())));
        x.part("_rels/.rels").write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).unwrap();
        x.part("xl/workbook.xml").write_all(br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S1" sheetId="1" r:id="rId1"/></sheets></workbook>"#).unwrap();
        x.part("xl/_rels/workbook.xml.rels").write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#).unwrap();
        x
    }
    fn part(&mut self, name: &str) -> &mut zip::ZipWriter<Cursor<Vec<u8>>> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        self.0.start_file(name, options).unwrap();
        &mut self.0
    }
    fn bytes(self) -> Vec<u8> {
        self.0.finish().unwrap().into_inner()
    }
}

const SHEET_HEAD: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &[u8] = b"</sheetData></worksheet>";
const SST_HEAD: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// One cell of about 300 MB of “A” in the first row: a shared string, or an inline string.
fn huge_cell_xlsx(inline: bool) -> Vec<u8> {
    let chunk = vec![b'A'; 1 << 20];
    let mut x = Xlsx::new();
    let sheet = x.part("xl/worksheets/sheet1.xml");
    sheet.write_all(SHEET_HEAD).unwrap();
    if inline {
        sheet
            .write_all(br#"<row r="1"><c r="A1" t="inlineStr"><is><t>"#)
            .unwrap();
        for _ in 0..300 {
            sheet.write_all(&chunk).unwrap();
        }
        sheet.write_all(b"</t></is></c></row>").unwrap();
    } else {
        sheet
            .write_all(br#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#)
            .unwrap();
    }
    sheet.write_all(SHEET_TAIL).unwrap();
    let sst = x.part("xl/sharedStrings.xml");
    sst.write_all(SST_HEAD).unwrap();
    sst.write_all(b"<si><t>").unwrap();
    if !inline {
        for _ in 0..300 {
            sst.write_all(&chunk).unwrap();
        }
    }
    sst.write_all(b"</t></si></sst>").unwrap();
    x.bytes()
}

/// Sets the uncompressed size an entry declares (local header and central directory).
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    for i in 0..zip.len().saturating_sub(46) {
        if &zip[i..i + 4] == b"PK\x03\x04" {
            let n = u16::from_le_bytes([zip[i + 26], zip[i + 27]]) as usize;
            if zip.get(i + 30..i + 30 + n) == Some(name) {
                zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
            }
        } else if &zip[i..i + 4] == b"PK\x01\x02" {
            let n = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
            if zip.get(i + 46..i + 46 + n) == Some(name) {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            }
        }
    }
}

fn is_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_refuses_a_300_mb_cell() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.login("admin").await;
    let shared = huge_cell_xlsx(false);
    let inline = huge_cell_xlsx(true);
    // The same files lying about their size: small enough to pass the declared bound (the
    // zip layer then refuses to inflate past it), or large enough that the reading runs into
    // the bound on one cell.
    let mut shared_lying = shared.clone();
    declare_size(&mut shared_lying, "xl/sharedStrings.xml", 1000);
    let mut inline_lying = inline.clone();
    declare_size(&mut inline_lying, "xl/worksheets/sheet1.xml", 200 << 20);
    assert!(shared.len() < 1 << 20 && inline.len() < 1 << 20);
    let before = (app.count("enterprises").await, app.count("audit_log").await);
    let results = upload_bounded(
        &app,
        &admin,
        "check",
        vec![
            ("shared string", shared),
            ("inline string", inline),
            ("shared string, declared 1000 bytes", shared_lying),
            ("inline string, declared 200 MB", inline_lying),
        ],
    )
    .await;
    for (what, status, e, size, took) in &results {
        assert!(
            [StatusCode::PAYLOAD_TOO_LARGE, StatusCode::BAD_REQUEST].contains(status),
            "{what}: {status}"
        );
        assert!(*size < 4096, "{what}: an answer of {size} bytes");
        let message = e["message"].as_str().unwrap_or_default();
        assert!(
            is_chinese(message) && message.contains(".xlsx"),
            "{what}: {message}"
        );
        assert!(*took < Duration::from_secs(10), "{what}: {took:?}");
    }
    // Both declare 300 MB: refused before anything is inflated.
    assert!(
        results[0].2["message"]
            .as_str()
            .unwrap()
            .contains("解压后过大")
    );
    assert!(
        results[1].2["message"]
            .as_str()
            .unwrap()
            .contains("解压后过大")
    );
    assert!(
        results[2].2["message"]
            .as_str()
            .unwrap()
            .contains("比它声明的大小更大")
    );
    assert!(
        results[3].2["message"]
            .as_str()
            .unwrap()
            .contains("超过1024KB的单元格")
    );
    assert_eq!(
        (app.count("enterprises").await, app.count("audit_log").await),
        before
    );
}

/// 1,250,000 data rows under the template's header: an .xlsx of about 1.5 MB, a CSV of 5 MB.
fn million_rows_xlsx() -> Vec<u8> {
    let mut x = Xlsx::new();
    let sst = x.part("xl/sharedStrings.xml");
    sst.write_all(SST_HEAD).unwrap();
    for (h, ..) in COLUMNS {
        write!(sst, "<si><t>{h}</t></si>").unwrap();
    }
    sst.write_all("<si><t>某公司</t></si><si><t>工贸</t></si></sst>".as_bytes())
        .unwrap();
    let n = COLUMNS.len();
    let sheet = x.part("xl/worksheets/sheet1.xml");
    sheet.write_all(SHEET_HEAD).unwrap();
    sheet.write_all(br#"<row r="1">"#).unwrap();
    for i in 0..n {
        write!(sheet, r#"<c t="s"><v>{i}</v></c>"#).unwrap();
    }
    sheet.write_all(b"</row>").unwrap();
    let cells = format!(r#"<c t="s"><v>{n}</v></c><c><v>91350100</v></c></row>"#);
    for r in 2..=1_250_001 {
        write!(sheet, r#"<row r="{r}">"#).unwrap();
        sheet.write_all(cells.as_bytes()).unwrap();
    }
    sheet.write_all(SHEET_TAIL).unwrap();
    x.bytes()
}

fn million_rows_csv() -> Vec<u8> {
    let mut csv = header_line().into_bytes();
    for _ in 0..1_250_000 {
        csv.extend_from_slice(b"\nx,1");
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_refuses_a_million_rows() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.login("admin").await;
    let xlsx = million_rows_xlsx();
    let csv = million_rows_csv();
    assert!(xlsx.len() < 4 << 20, "{} bytes", xlsx.len());
    let before = (app.count("enterprises").await, app.count("audit_log").await);
    let results = upload_bounded(&app, &admin, "strict", vec![("xlsx", xlsx), ("csv", csv)]).await;
    for (what, status, e, _, took) in &results {
        assert_eq!(*status, StatusCode::BAD_REQUEST, "{what}");
        let message = e["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("数据行过多：一次最多导入200000行"),
            "{what}: {message}"
        );
        assert!(*took < Duration::from_secs(30), "{what}: {took:?}");
    }
    assert_eq!(
        (app.count("enterprises").await, app.count("audit_log").await),
        before
    );
}

async fn import_reports_long_cells_briefly(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = first_grid(app, &admin, "360403001").await;
    let long_address = "浔阳区".repeat(2000);
    let long_name = "名".repeat(2001);
    let csv = [
        header_line(),
        csv_row("长地址公司", &uscc(700), &grid).replace("九江市浔阳区导入路8号", &long_address),
        csv_row(&long_name, &uscc(701), &grid),
        csv_row("正好公司", &uscc(702), &grid),
    ]
    .join("\n");
    let before = app.count("enterprises").await;
    let (s, e, size) = send_file(app, &admin, "strict", csv.into_bytes()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(size < 4096, "{size} bytes");
    let errors = e["details"]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    for (error, (row, column, start)) in errors
        .iter()
        .zip([(2, "地址", "浔阳区"), (3, "企业名称", "名")])
    {
        assert_eq!(error["row"], row);
        assert_eq!(error["column"], column);
        let reason = error["reason"].as_str().unwrap();
        assert!(
            reason.starts_with(&format!(
                "第{row}行“{column}”内容过长：单元格最多2000个字符"
            )),
            "{reason}"
        );
        let excerpt: String = start.repeat(50).chars().take(50).collect();
        assert!(reason.contains(&format!("“{excerpt}…”")), "{reason}");
    }
    assert_eq!(app.count("enterprises").await, before);
    // More errors than a report lists: the first thousand, then how many more.
    let rows: Vec<String> = (0..400)
        .map(|i| csv_row("", &uscc(800 + i), "x").replace("115.98", "东经"))
        .collect();
    let csv = format!("{}\n{}", header_line(), rows.join("\n"));
    let (s, e, _) = send_file(app, &admin, "check", csv.into_bytes()).await;
    assert_eq!(s, StatusCode::OK, "{e}");
    let errors = e["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1001);
    let last = &errors[1000];
    assert_eq!(last["row"], 0);
    assert!(
        last["reason"]
            .as_str()
            .unwrap()
            .contains("处错误未列出（报告最多列出1000处）"),
        "{last}"
    );
    let (s, e, _) = send_file(
        app,
        &admin,
        "strict",
        format!("{}\n{}", header_line(), rows.join("\n")).into_bytes(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("共400行数据，其中1600处错误"),
        "{e}"
    );
}
both!(import_reports_long_cells_briefly);

/// An .xls (BIFF8 in a compound file) with the given rows as text cells.
fn xls_of(rows: &[Vec<String>]) -> Vec<u8> {
    fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend(typ.to_le_bytes());
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
    }
    let bof = |dt: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        d
    };
    let mut s = Vec::new();
    rec(&mut s, 0x0809, &bof(0x0005));
    let at = s.len() + 4;
    rec(&mut s, 0x0085, &[0, 0, 0, 0, 0, 0, 2, 0, b'S', b'1']);
    rec(&mut s, 0x000A, &[]);
    let sheet = s.len() as u32;
    s[at..at + 4].copy_from_slice(&sheet.to_le_bytes());
    rec(&mut s, 0x0809, &bof(0x0010));
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
            let units: Vec<u16> = text.encode_utf16().collect();
            let mut d = (r as u16).to_le_bytes().to_vec();
            d.extend((c as u16).to_le_bytes());
            d.extend([0, 0]);
            d.extend((units.len() as u16).to_le_bytes());
            d.push(1);
            d.extend(units.iter().flat_map(|u| u.to_le_bytes()));
            rec(&mut s, 0x0204, &d);
        }
    }
    rec(&mut s, 0x000A, &[]);
    s.resize(s.len().max(4096).div_ceil(512) * 512, 0);
    // Compound file: header, one FAT sector, one directory sector, then the stream.
    let n = s.len() / 512;
    assert!(n < 126);
    let mut fat = vec![0xFFFF_FFFFu32; 128];
    fat[0] = 0xFFFF_FFFD;
    fat[1] = 0xFFFF_FFFE;
    for k in 0..n {
        fat[2 + k] = if k + 1 == n {
            0xFFFF_FFFE
        } else {
            (3 + k) as u32
        };
    }
    let mut h = vec![0u8; 512];
    h[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    for (at, v) in [
        (0x18, 0x3Eu16),
        (0x1A, 3),
        (0x1C, 0xFFFE),
        (0x1E, 9),
        (0x20, 6),
    ] {
        h[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }
    for (at, v) in [
        (0x2C, 1u32),
        (0x30, 1),
        (0x38, 4096),
        (0x3C, 0xFFFF_FFFE),
        (0x44, 0xFFFF_FFFE),
        (0x4C, 0),
    ] {
        h[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
    for k in 1..109 {
        h[0x4C + 4 * k..0x50 + 4 * k].copy_from_slice(&u32::MAX.to_le_bytes());
    }
    let entry = |name: &str, kind: u8, start: u32, len: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u8> = name
            .encode_utf16()
            .chain([0])
            .flat_map(|u| u.to_le_bytes())
            .collect();
        e[..units.len()].copy_from_slice(&units);
        e[0x40..0x42].copy_from_slice(&(units.len() as u16).to_le_bytes());
        e[0x42] = kind;
        e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
        e[0x78..0x7C].copy_from_slice(&len.to_le_bytes());
        e
    };
    let mut out = h;
    out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    out.extend(entry("Root Entry", 5, 0xFFFF_FFFE, 0));
    out.extend(entry("Workbook", 2, 2, s.len() as u32));
    out.extend([0u8; 256]);
    out.extend(s);
    out
}

async fn import_accepts_xls(app: &TestApp) {
    let admin = app.login("admin").await;
    let grid = first_grid(app, &admin, "360403001").await;
    let header: Vec<String> = COLUMNS.iter().map(|c| c.0.to_string()).collect();
    let row: Vec<String> = csv_row("旧版表格公司", &uscc(900), &grid)
        .split(',')
        .map(str::to_string)
        .collect();
    let before = app.count("enterprises").await;
    let (s, r, _) = send_file(app, &admin, "strict", xls_of(&[header, row])).await;
    assert_eq!(s, StatusCode::OK, "{r}");
    assert_eq!(r["imported"], 1);
    assert_eq!(app.count("enterprises").await, before + 1);
    let (_, found) = app
        .get(&admin, "/api/v1/enterprises?q=%E6%97%A7%E7%89%88") // 旧版
        .await;
    assert_eq!(found["total"], 1);
}
both!(import_accepts_xls);
