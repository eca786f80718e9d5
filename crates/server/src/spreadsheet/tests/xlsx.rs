//! .xlsx written by hand: parts, cells of every kind, bombs, bounds.

use super::*;
use std::io::Write;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="企业" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

fn sheet_xml(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    )
}

fn sst_xml(items: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{items}</sst>"#
    )
}

struct Zip(zip::ZipWriter<Cursor<Vec<u8>>>);

impl Zip {
    fn new() -> Self {
        Zip(zip::ZipWriter::new(Cursor::new(Vec::new())))
    }
    fn part(mut self, name: &str, text: &str) -> Self {
        self.start(name);
        self.0.write_all(text.as_bytes()).unwrap();
        self
    }
    fn start(&mut self, name: &str) {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        self.0.start_file(name, options).unwrap();
    }
    fn bytes(self) -> Vec<u8> {
        self.0.finish().unwrap().into_inner()
    }
}

fn package(sheet_rows: &str, shared: Option<&str>) -> Vec<u8> {
    let mut z = Zip::new()
        .part("[Content_Types].xml", CONTENT_TYPES)
        .part("_rels/.rels", ROOT_RELS)
        .part("xl/workbook.xml", WORKBOOK)
        .part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        .part("xl/worksheets/sheet1.xml", &sheet_xml(sheet_rows));
    if let Some(items) = shared {
        z = z.part("xl/sharedStrings.xml", &sst_xml(items));
    }
    z.bytes()
}

/// Sets the declared uncompressed size of every entry called `name`, in its local header
/// and in the central directory: a zip that lies about its size.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut i = 0;
    while i + 46 <= zip.len() {
        let sig = &zip[i..i + 4];
        if sig == b"PK\x03\x04" {
            let n = u16::from_le_bytes([zip[i + 26], zip[i + 27]]) as usize;
            if zip.get(i + 30..i + 30 + n) == Some(name) {
                zip[i + 22..i + 26].copy_from_slice(&size.to_le_bytes());
            }
        } else if sig == b"PK\x01\x02" {
            let n = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
            if zip.get(i + 46..i + 46 + n) == Some(name) {
                zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            }
        }
        i += 1;
    }
}

#[test]
fn xlsx_round_trip() {
    let rows = vec![
        vec!["甲".to_string(), "360403001001001".to_string()],
        vec![String::new(), "2".to_string()],
    ];
    let bytes = write_xlsx("企业", &["名称", "网格"], &rows, None).unwrap();
    let back = read_table(&bytes).unwrap();
    assert_eq!(back[0], ["名称", "网格"]);
    assert_eq!(back[1], ["甲", "360403001001001"]);
    assert_eq!(back[2][1], "2");
    assert_eq!(back, calamine_table(&bytes));
}

#[test]
fn xlsx_cells_of_every_kind() {
    let shared = concat!(
        r#"<si><t>名称</t></si>"#,
        r#"<si><r><rPr><b/></rPr><t>九江</t></r><r><t xml:space="preserve"> 化工 </t></r><rPh sb="0" eb="2"><t>ジウジャン</t></rPh></si>"#,
        r#"<si><t>A&amp;B &#x4E2D;_x000D_</t></si>"#,
    );
    let rows = concat!(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>"#,
        // No r attributes: cells follow one another, the row follows row 1.
        r#"<row><c t="s"><v>2</v></c><c><v>115.98</v></c><c><v>360403001001001</v></c><c t="b"><v>1</v></c></row>"#,
        r#"<row r="5"><c r="B5" t="inlineStr"><is><t>行内</t></is></c><c r="D5" t="str"><f>A1</f><v>公式</v></c><c r="E5" t="e"><v>#N/A</v></c><c r="F5"><v>2.0</v></c><c r="G5" s="3"/></row>"#,
    );
    let bytes = package(rows, Some(shared));
    let table = read_table(&bytes).unwrap();
    assert_eq!(table[0], strings(&["名称", "", "九江 化工 "]));
    assert_eq!(
        table[1],
        strings(&["A&B 中\r", "115.98", "360403001001001", "是"])
    );
    assert!(table[2].is_empty() && table[3].is_empty());
    assert_eq!(table[4], strings(&["", "行内", "", "公式", "#N/A", "2"]));
    assert_eq!(table, calamine_table(&bytes));
    // An empty item still takes its index; an index past the end reads as empty.
    let bytes = package(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>99</v></c></row>"#,
        Some(r#"<si/><si><t>二</t></si>"#),
    );
    assert_eq!(read_table(&bytes).unwrap(), vec![strings(&["", "二"])]);
}

#[test]
fn xlsx_parts_found_as_excel_does() {
    // Prefixed elements, the workbook elsewhere, absolute and backslashed targets, part
    // names in another case.
    let root = ROOT_RELS.replace("xl/workbook.xml", "/Book/WB.xml");
    let wb = r#"<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="S" sheetId="1" r:id="rId7"/><x:sheet name="T" sheetId="2" r:id="rId1"/></x:sheets></x:workbook>"#;
    let rels = WORKBOOK_RELS
        .replace("rId1", "rId7")
        .replace("worksheets/sheet1.xml", "..\\Book\\Sheets\\One.xml")
        .replace("\"sharedStrings.xml", "\"/book/strings.xml");
    let sheet = sheet_xml(r#"<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row>"#)
        .replace("<worksheet xmlns=", "<x:worksheet xmlns:x=")
        .replace("<sheetData>", "<x:sheetData>")
        .replace("</sheetData></worksheet>", "</x:sheetData></x:worksheet>");
    let bytes = Zip::new()
        .part("_rels/.rels", &root)
        .part("book/wb.xml", wb)
        .part("Book/_rels/WB.xml.rels", &rels)
        .part("book/sheets/one.xml", &sheet)
        .part("book/Strings.xml", &sst_xml("<si><t>找到了</t></si>"))
        .bytes();
    assert_eq!(read_table(&bytes).unwrap(), vec![strings(&["找到了"])]);
}

#[test]
fn xlsx_bombs_are_refused_before_inflating() {
    // A part that admits its size.
    let big = "A".repeat(4096);
    let bytes = package(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
        Some(&format!("<si><t>{big}</t></si>")),
    );
    let err = rows_of(&bytes, &small(|l| l.shared_strings_bytes = 1024)).unwrap_err();
    assert!(
        matches!(&err, ReadError::TooLarge(m) if m.contains("文字内容")),
        "{err:?}"
    );
    let err = rows_of(&bytes, &small(|l| l.part_bytes = 1024)).unwrap_err();
    assert!(
        matches!(&err, ReadError::TooLarge(m) if m.contains("解压后")),
        "{err:?}"
    );
    let err = rows_of(&bytes, &small(|l| l.unzipped_bytes = 4096)).unwrap_err();
    assert!(
        matches!(&err, ReadError::TooLarge(m) if m.contains("解压后")),
        "{err:?}"
    );
    // The same part lying about its size: refused once too much has been read.
    for declared in [10, 1000] {
        let mut lying = bytes.clone();
        declare_size(&mut lying, "xl/sharedStrings.xml", declared);
        let err = rows_of(&lying, &small(|l| l.shared_strings_bytes = 2048)).unwrap_err();
        assert!(err.message().contains("比它声明的大小更大"), "{err:?}");
    }
    // One token longer than the bound.
    let err = rows_of(&bytes, &small(|l| l.xml_token_bytes = 1000)).unwrap_err();
    assert!(
        matches!(&err, ReadError::TooLarge(m) if m.contains("单元格或标记")),
        "{err:?}"
    );
    // Within the bounds the long string is read and cut.
    let table = read_table(&bytes).unwrap();
    assert_eq!(table[0][0].chars().count(), MAX_CELL_CHARS + 1);
}

#[test]
fn xlsx_counts_what_it_reads_not_what_it_is_told() {
    // Every part is counted towards the total, whatever the zip declares.
    let rows: String = (1..=200)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#))
        .collect();
    let mut bytes = package(&rows, None);
    let actual = sheet_xml(&rows).len() as u64;
    declare_size(&mut bytes, "xl/worksheets/sheet1.xml", 100);
    let err = rows_of(&bytes, &small(|l| l.part_bytes = actual / 2)).unwrap_err();
    assert!(err.message().contains("比它声明的大小更大"), "{err:?}");
    // Honest parts, each within its bound, together beyond the total.
    let honest = package(&rows, None);
    let err = rows_of(&honest, &small(|l| l.unzipped_bytes = actual + 200)).unwrap_err();
    assert!(
        matches!(&err, ReadError::TooLarge(m) if m.contains("合计")),
        "{err:?}"
    );
    // Deep nesting and many shared strings.
    let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
    let bytes = package(&format!("<row r=\"1\">{deep}</row>"), None);
    let err = rows_of(&bytes, &Limits::DEFAULT).unwrap_err();
    assert!(err.message().contains("嵌套"), "{err:?}");
    let many = "<si><t>x</t></si>".repeat(50);
    let bytes = package("", Some(&many));
    let err = rows_of(&bytes, &small(|l| l.shared_strings = 10)).unwrap_err();
    assert!(
        matches!(&err, ReadError::TooLarge(m) if m.contains("不同文字")),
        "{err:?}"
    );
    // A declared uniqueCount reserves nothing.
    let bytes = package(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
        Some(r#"<si><t>一</t></si>"#),
    );
    let told = String::from_utf8_lossy(&bytes).contains("uniqueCount");
    assert!(!told);
    let huge = Zip::new()
        .part("_rels/.rels", ROOT_RELS)
        .part("xl/workbook.xml", WORKBOOK)
        .part("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        .part(
            "xl/worksheets/sheet1.xml",
            &sheet_xml(r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#),
        )
        .part(
            "xl/sharedStrings.xml",
            &sst_xml("<si><t>一</t></si>").replace(
                "<sst ",
                r#"<sst count="9999999999999" uniqueCount="9999999999999" "#,
            ),
        )
        .bytes();
    assert_eq!(read_table(&huge).unwrap(), vec![strings(&["一"])]);
}

#[test]
fn rows_and_columns_are_bounded_while_reading() {
    let limits = small(|l| l.rows = 100);
    let rows: String = (1..=1000)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#))
        .collect();
    let bytes = package(&rows, None);
    let mut seen = 0;
    let err = read_rows_within(&bytes, &limits, &mut |_, _| {
        seen += 1;
        true
    })
    .unwrap_err();
    assert!(err.message().contains("数据行过多"), "{err:?}");
    assert_eq!(seen, 101, "the header and 100 rows, then the reader stops");
    // A row number past the bound counts as well, and so do repeated row numbers.
    let far = package(
        r#"<row r="1"><c><v>1</v></c></row><row r="5000"><c><v>1</v></c></row>"#,
        None,
    );
    assert!(rows_of(&far, &limits).is_err());
    let same: String = (0..200)
        .map(|_| r#"<row r="2"><c><v>1</v></c></row>"#)
        .collect();
    assert!(rows_of(&package(&same, None), &limits).is_err());
    // Columns: a filled cell beyond the bound refuses the file, an empty one is ignored.
    let wide = package(
        r#"<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="1"/></row><row r="2"><c r="IW2"><v>2</v></c></row>"#,
        None,
    );
    let err = rows_of(&wide, &Limits::DEFAULT).unwrap_err();
    assert!(err.message().contains("第2行超过256列"), "{err:?}");
    // The caller stops the reading.
    let mut seen = 0;
    read_rows(&bytes, &mut |_, _| {
        seen += 1;
        seen < 3
    })
    .unwrap();
    assert_eq!(seen, 3);
    assert_eq!(
        crate::spreadsheet::xlsx::column_of_for_tests("XFD1048576"),
        Some(16383)
    );
    assert_eq!(crate::spreadsheet::xlsx::column_of_for_tests("A1"), Some(0));
    assert_eq!(crate::spreadsheet::xlsx::column_of_for_tests("12"), None);
}
