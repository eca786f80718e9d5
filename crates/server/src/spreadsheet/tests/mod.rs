//! The readers on files written by hand — every kind of cell, every bound — and against
//! calamine, the reference they replace (ADR 0015): .xlsx in `xlsx`, .xls in `xls`, CSV here.

use super::text::number_text;
use super::*;
use std::io::Cursor;

mod xls;
mod xlsx;

type Numbered = Vec<(usize, Vec<String>)>;

/// Rows as (row number, cells) as `read_rows_within` hands them out.
fn rows_of(bytes: &[u8], limits: &Limits) -> Result<Numbered, ReadError> {
    let mut out = Vec::new();
    read_rows_within(bytes, limits, &mut |n, cells| {
        out.push((n, cells.to_vec()));
        true
    })?;
    Ok(out)
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|s| s.to_string()).collect()
}

/// How the import used to turn calamine's values into text: the reference for ours.
fn calamine_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e}"),
    }
}

/// The first sheet as calamine reads it, in the shape of `read_table`.
fn calamine_table(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let range = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .expect("calamine opens it")
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut table = vec![Vec::new(); r0 as usize];
    for row in range.rows() {
        let mut cells = vec![String::new(); c0 as usize];
        cells.extend(row.iter().map(calamine_text));
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
        }
        table.push(cells);
    }
    while table.last().is_some_and(Vec::is_empty) {
        table.pop();
    }
    table
}

fn small(f: impl FnOnce(&mut Limits)) -> Limits {
    let mut l = Limits::DEFAULT;
    f(&mut l);
    l
}

// ---------------------------------------------------------------------------------
// CSV

#[test]
fn csv_encodings() {
    let utf8 = "\u{feff}名称,代码\n甲,1\n".as_bytes();
    assert_eq!(read_table(utf8).unwrap()[1], ["甲", "1"]);
    let (gbk, _, _) = encoding_rs::GB18030.encode("名称,代码\n乙,2\n");
    assert_eq!(read_table(&gbk).unwrap()[1], ["乙", "2"]);
}

#[test]
fn csv_bounds() {
    let long = "长".repeat(5000);
    let table = read_table(format!("a,b\n{long},x\n").as_bytes()).unwrap();
    assert_eq!(table[1][0].chars().count(), MAX_CELL_CHARS + 1);
    assert_eq!(table[1][1], "x");
    let many: String = (0..150).map(|i| format!("{i}\n")).collect();
    let err = rows_of(many.as_bytes(), &small(|l| l.rows = 100)).unwrap_err();
    assert!(err.message().contains("数据行过多"));
    let wide = format!("a{}\n1{},x\n", ",".repeat(400), ",".repeat(300));
    let err = rows_of(wide.as_bytes(), &Limits::DEFAULT).unwrap_err();
    assert!(err.message().contains("第2行超过256列"), "{err:?}");
    let ok = format!("a{}\n", ",".repeat(400));
    assert_eq!(
        rows_of(ok.as_bytes(), &Limits::DEFAULT).unwrap(),
        vec![(1, strings(&["a"]))]
    );
}

#[test]
fn refuses_binaries() {
    assert!(
        read_table(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0])
            .unwrap_err()
            .contains(".xls")
    );
    assert!(read_table(b"\x7fELF\0\0\0").is_err());
    assert!(read_table(b"").is_err());
    assert!(
        read_table(b"PK\x03\x04garbage")
            .unwrap_err()
            .contains("xlsx")
    );
}

/// Every .xls and .xlsx of calamine's own tests read as calamine reads them (where
/// calamine does): run with `YINGJI_CALAMINE_FIXTURES=dir cargo test -- --ignored`.
#[test]
#[ignore]
fn same_as_calamine_on_its_fixtures() {
    let Ok(dir) = std::env::var("YINGJI_CALAMINE_FIXTURES") else {
        return;
    };
    let mut compared = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let theirs = std::panic::catch_unwind(|| calamine_table(&bytes));
        let ours = read_table(&bytes);
        match (theirs, ours) {
            (Ok(theirs), Ok(ours)) => {
                compared += 1;
                if theirs != ours {
                    let first = theirs
                        .iter()
                        .zip(&ours)
                        .position(|(a, b)| a != b)
                        .unwrap_or(theirs.len().min(ours.len()));
                    eprintln!(
                        "DIFF {}: row {first}: calamine {:?} / ours {:?}",
                        path.display(),
                        theirs.get(first),
                        ours.get(first)
                    );
                }
            }
            (Ok(_), Err(e)) => eprintln!("OURS FAIL {}: {e}", path.display()),
            (Err(_), Ok(_)) => eprintln!("CALAMINE FAIL {}", path.display()),
            (Err(_), Err(e)) => eprintln!("BOTH FAIL {}: {e}", path.display()),
        }
    }
    eprintln!("compared {compared}");
}
