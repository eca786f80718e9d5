//! .xls written by hand: BIFF8 records in a compound file.

use super::*;

fn rec(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
    out.extend(typ.to_le_bytes());
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(data);
}

/// BIFF8 string: 16-bit length, flags, then one byte per character when all fit.
fn xl_string(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = (units.len() as u16).to_le_bytes().to_vec();
    if units.iter().all(|&u| u < 0x100) {
        out.push(0);
        out.extend(units.iter().map(|&u| u as u8));
    } else {
        out.push(1);
        out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    }
    out
}

fn cell_head(row: u16, col: u16) -> Vec<u8> {
    let mut v = row.to_le_bytes().to_vec();
    v.extend(col.to_le_bytes());
    v.extend(0u16.to_le_bytes());
    v
}

/// A workbook stream: globals with the SST records given, one worksheet with the cell
/// records given.
fn biff(sst: &[Vec<u8>], cells: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend(dt.to_le_bytes());
        d.extend([0u8; 12]);
        d
    };
    let mut g = Vec::new();
    rec(&mut g, 0x0809, &bof(0x0005));
    let sheet_pos_at = g.len() + 4;
    let mut bs = vec![0u8; 6];
    bs.push(2);
    bs.push(0);
    bs.extend(b"S1");
    rec(&mut g, 0x0085, &bs);
    for (i, piece) in sst.iter().enumerate() {
        rec(&mut g, if i == 0 { 0x00FC } else { 0x003C }, piece);
    }
    rec(&mut g, 0x000A, &[]);
    let at = g.len() as u32;
    g[sheet_pos_at..sheet_pos_at + 4].copy_from_slice(&at.to_le_bytes());
    rec(&mut g, 0x0809, &bof(0x0010));
    for (typ, data) in cells {
        rec(&mut g, *typ, data);
    }
    rec(&mut g, 0x000A, &[]);
    g
}

const FREE: u32 = 0xFFFF_FFFF;
const END: u32 = 0xFFFF_FFFE;

/// A directory entry of a compound file.
fn dir_entry(name: &str, kind: u8, start: u32, len: u32, child: u32) -> Vec<u8> {
    let mut e = vec![0u8; 128];
    let units: Vec<u8> = name
        .encode_utf16()
        .chain([0])
        .flat_map(|u| u.to_le_bytes())
        .collect();
    e[..units.len()].copy_from_slice(&units);
    e[0x40..0x42].copy_from_slice(&(units.len() as u16).to_le_bytes());
    e[0x42] = kind;
    e[0x43] = 1;
    e[0x44..0x48].copy_from_slice(&FREE.to_le_bytes());
    e[0x48..0x4C].copy_from_slice(&FREE.to_le_bytes());
    e[0x4C..0x50].copy_from_slice(&child.to_le_bytes());
    e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
    e[0x78..0x7C].copy_from_slice(&len.to_le_bytes());
    e
}

/// A version 3 compound file holding `stream` as "Workbook": in regular sectors when it
/// is 4096 bytes or more, else in the mini stream.
fn cfb(stream: &[u8]) -> Vec<u8> {
    let sectors = |n: usize| n.div_ceil(512);
    let mini = stream.len() < 4096;
    // Sector 0: FAT; 1: directory; 2: mini FAT (mini only); then data.
    let first_data = if mini { 3 } else { 2 };
    let data_len = if mini {
        stream.len().div_ceil(64) * 64
    } else {
        stream.len()
    };
    let n = sectors(data_len);
    let mut fat = vec![FREE; 128];
    fat[0] = 0xFFFF_FFFD;
    fat[1] = END;
    if mini {
        fat[2] = END;
    }
    for k in 0..n {
        fat[first_data + k] = if k + 1 == n {
            END
        } else {
            (first_data + k + 1) as u32
        };
    }
    let mut h = vec![0u8; 512];
    h[..8].copy_from_slice(&crate::spreadsheet::xls::SIGNATURE);
    h[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes());
    h[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes());
    h[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes());
    h[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes());
    h[0x20..0x22].copy_from_slice(&6u16.to_le_bytes());
    h[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes());
    h[0x30..0x34].copy_from_slice(&1u32.to_le_bytes());
    h[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
    h[0x3C..0x40].copy_from_slice(&(if mini { 2 } else { END }).to_le_bytes());
    h[0x40..0x44].copy_from_slice(&u32::from(mini).to_le_bytes());
    h[0x44..0x48].copy_from_slice(&END.to_le_bytes());
    for k in 0..109 {
        let v = if k == 0 { 0 } else { FREE };
        h[0x4C + 4 * k..0x50 + 4 * k].copy_from_slice(&v.to_le_bytes());
    }
    let mut out = h;
    out.extend(fat.iter().flat_map(|v| v.to_le_bytes()));
    let (root_start, root_len, book_start) = if mini {
        (first_data as u32, data_len as u32, 0)
    } else {
        (END, 0, first_data as u32)
    };
    out.extend(dir_entry("Root Entry", 5, root_start, root_len, 1));
    out.extend(dir_entry(
        "Workbook",
        2,
        book_start,
        stream.len() as u32,
        FREE,
    ));
    out.extend(vec![0u8; 256]);
    if mini {
        let m = stream.len().div_ceil(64);
        let mut minifat = vec![FREE; 128];
        for (k, next) in minifat.iter_mut().enumerate().take(m) {
            *next = if k + 1 == m { END } else { (k + 1) as u32 };
        }
        out.extend(minifat.iter().flat_map(|v| v.to_le_bytes()));
    }
    let mut data = stream.to_vec();
    data.resize(n * 512, 0);
    out.extend(data);
    out
}

fn number(row: u16, col: u16, f: f64) -> (u16, Vec<u8>) {
    let mut d = cell_head(row, col);
    d.extend(f.to_le_bytes());
    (0x0203, d)
}

fn label_sst(row: u16, col: u16, i: u32) -> (u16, Vec<u8>) {
    let mut d = cell_head(row, col);
    d.extend(i.to_le_bytes());
    (0x00FD, d)
}

/// Strings, the second split across a CONTINUE record that switches to two-byte
/// characters, as Excel writes them.
fn sample_sst() -> Vec<Vec<u8>> {
    let mut first = 3u32.to_le_bytes().to_vec();
    first.extend(3u32.to_le_bytes());
    first.extend(xl_string("企业名称"));
    first.extend(4u16.to_le_bytes());
    first.push(0);
    first.extend(b"ab");
    let mut cont = vec![1u8];
    cont.extend("九江".encode_utf16().flat_map(|u| u.to_le_bytes()));
    cont.extend(xl_string("360403001001001"));
    vec![first, cont]
}

fn sample_cells() -> Vec<(u16, Vec<u8>)> {
    let mut cells = vec![
        label_sst(0, 0, 0),
        label_sst(0, 2, 1),
        number(1, 0, 115.98),
        number(1, 1, 360403001001001.0),
        label_sst(1, 2, 2),
    ];
    // RK: 35 as an integer; MulRk: 1.5 (×100 flag on 150) and 7.
    let mut rk = cell_head(2, 0);
    rk.extend(((35u32 << 2) | 0x02).to_le_bytes());
    cells.push((0x027E, rk));
    let mut mul = 2u16.to_le_bytes().to_vec();
    mul.extend(1u16.to_le_bytes());
    for v in [(150u32 << 2) | 0x03, (7 << 2) | 0x02] {
        mul.extend(0u16.to_le_bytes());
        mul.extend(v.to_le_bytes());
    }
    mul.extend(2u16.to_le_bytes());
    cells.push((0x00BD, mul));
    // Label, bool, a formula with a string result.
    let mut label = cell_head(3, 1);
    label.extend(xl_string("标签"));
    cells.push((0x0204, label));
    let mut boolean = cell_head(3, 2);
    boolean.extend([1, 0]);
    cells.push((0x0205, boolean));
    let mut formula = cell_head(4, 0);
    formula.extend([0, 0, 0, 0, 0, 0, 0xFF, 0xFF]);
    formula.extend([0u8; 6]);
    // The formula: =1 (cce 3, PtgInt 1).
    formula.extend([3, 0, 0x1E, 0x01, 0x00]);
    cells.push((0x0006, formula));
    cells.push((0x0207, xl_string("公式结果")));
    // An embedded chart's cells are not the sheet's.
    let mut chart_bof = 0x0600u16.to_le_bytes().to_vec();
    chart_bof.extend(0x0020u16.to_le_bytes());
    chart_bof.extend([0u8; 12]);
    cells.push((0x0809, chart_bof));
    cells.push(number(9, 9, 1.0));
    cells.push((0x000A, Vec::new()));
    cells
}

fn sample_expected() -> Vec<Vec<String>> {
    vec![
        strings(&["企业名称", "", "ab九江"]),
        strings(&["115.98", "360403001001001", "360403001001001"]),
        strings(&["35", "1.5", "7"]),
        strings(&["", "标签", "是"]),
        strings(&["公式结果"]),
    ]
}

#[test]
fn xls_read_from_mini_and_regular_streams() {
    let stream = biff(&sample_sst(), &sample_cells());
    assert!(stream.len() < 4096);
    let small_file = cfb(&stream);
    assert_eq!(read_table(&small_file).unwrap(), sample_expected());
    assert_eq!(calamine_table(&small_file), sample_expected());
    // Padded past the mini stream cut-off (bytes after the sheet's EOF are not read).
    let mut padded = stream.clone();
    padded.resize(9000, 0);
    let big_file = cfb(&padded);
    assert_eq!(read_table(&big_file).unwrap(), sample_expected());
    assert_eq!(calamine_table(&big_file), sample_expected());
}

#[test]
fn xls_bounds_and_broken_files() {
    let mut padded = biff(&sample_sst(), &sample_cells());
    padded.resize(9000, 0);
    let file = cfb(&padded);
    // A sector chain that loops, and one that leaves the file.
    let fat_at = 512;
    for (sector, next) in [(3u32, 2u32), (3, 0x00FF_FFFF)] {
        let mut broken = file.clone();
        let at = fat_at + 4 * sector as usize;
        broken[at..at + 4].copy_from_slice(&next.to_le_bytes());
        let err = read_table(&broken).unwrap_err();
        assert!(err.contains("无法读取.xls文件"), "{err}");
    }
    // A stream longer than the file.
    let mut broken = file.clone();
    let len_at = 1024 + 128 + 0x78;
    broken[len_at..len_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(read_table(&broken).unwrap_err().contains(".xls"));
    // A worksheet said to start past the end of the stream.
    let mut lost = biff(&sample_sst(), &sample_cells());
    lost[24..28].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
    assert!(
        read_table(&cfb(&lost))
            .unwrap_err()
            .contains("无法读取.xls文件")
    );
    // Far cells make no dense range: two cells, two rows.
    let far = cfb(&biff(
        &sample_sst(),
        &[label_sst(0, 0, 0), number(65535, 255, 1.0)],
    ));
    let rows = rows_of(&far, &Limits::DEFAULT).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].0, 65536);
    assert_eq!(rows[1].1.len(), 256);
    let wide = cfb(&biff(&sample_sst(), &[number(1, 300, 1.0)]));
    assert!(read_table(&wide).unwrap_err().contains("超过256列"));
    // Cell count, file size, rows.
    let err = rows_of(&file, &small(|l| l.xls_cells = 5)).unwrap_err();
    assert!(
        matches!(&err, ReadError::TooLarge(m) if m.contains("单元格超过5个")),
        "{err:?}"
    );
    let err = rows_of(&file, &small(|l| l.xls_bytes = 4096)).unwrap_err();
    assert!(matches!(&err, ReadError::TooLarge(_)), "{err:?}");
    let err = rows_of(&file, &small(|l| l.rows = 2)).unwrap_err();
    assert!(err.message().contains("数据行过多"));
    let err = rows_of(&file, &small(|l| l.shared_strings = 2)).unwrap_err();
    assert!(matches!(&err, ReadError::TooLarge(_)), "{err:?}");
    // Encrypted, and Excel 95.
    let mut enc = biff(&sample_sst(), &[]);
    let mut filepass = Vec::new();
    rec(&mut filepass, 0x002F, &[1, 0, 0, 0]);
    let bof_len = 4 + 16;
    enc.splice(bof_len..bof_len, filepass);
    assert!(read_table(&cfb(&enc)).unwrap_err().contains("密码"));
    let mut old = biff(&sample_sst(), &[]);
    old[4..6].copy_from_slice(&0x0500u16.to_le_bytes());
    assert!(read_table(&cfb(&old)).unwrap_err().contains("Excel 95"));
    // Long strings are cut.
    let long = "长".repeat(3000);
    let mut sst = 1u32.to_le_bytes().to_vec();
    sst.extend(1u32.to_le_bytes());
    sst.extend(xl_string(&long));
    let file = cfb(&biff(&[sst], &[label_sst(0, 0, 0)]));
    assert_eq!(
        read_table(&file).unwrap()[0][0].chars().count(),
        MAX_CELL_CHARS + 1
    );
}
