//! The PMTiles v3 layout (ADR 0022): the 127-byte header, directories of varint-encoded entries
//! and Hilbert tile ids. Pure decoding of bytes the store reads from the file; decompression of
//! directories is the store's too. Spec: the PMTiles v3 specification of the protomaps project.

pub const HEADER_LEN: usize = 127;
/// The root directory sits inside the first 16 KiB (the specification's limit).
pub const ROOT_MAX: usize = 16_384;

/// Compression of directories, metadata or tiles: 1 none, 2 gzip, 3 brotli, 4 zstd.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Unknown,
    None,
    Gzip,
    Brotli,
    Zstd,
}

impl Compression {
    fn from_u8(v: u8) -> Compression {
        match v {
            1 => Compression::None,
            2 => Compression::Gzip,
            3 => Compression::Brotli,
            4 => Compression::Zstd,
            _ => Compression::Unknown,
        }
    }
    /// The HTTP `Content-Encoding` a browser decodes by itself, if any.
    pub fn content_encoding(self) -> Option<&'static str> {
        match self {
            Compression::Gzip => Some("gzip"),
            Compression::Brotli => Some("br"),
            Compression::Zstd => Some("zstd"),
            Compression::None | Compression::Unknown => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub root_offset: u64,
    pub root_length: u64,
    pub metadata_offset: u64,
    pub metadata_length: u64,
    pub leaf_offset: u64,
    pub leaf_length: u64,
    pub data_offset: u64,
    pub data_length: u64,
    pub internal_compression: Compression,
    pub tile_compression: Compression,
    /// 1 MVT, 2 PNG, 3 JPEG, 4 WebP, 5 AVIF.
    pub tile_type: u8,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north in degrees.
    pub bounds: [f64; 4],
    pub center: [f64; 3],
}

impl Header {
    /// Reads the header, refusing anything that is not PMTiles version 3.
    pub fn parse(b: &[u8]) -> Result<Header, String> {
        if b.len() < HEADER_LEN || &b[0..7] != b"PMTiles" {
            return Err("不是 PMTiles 文件".into());
        }
        if b[7] != 3 {
            return Err(format!("PMTiles 版本 {} 不受支持（应为 3）", b[7]));
        }
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default());
        let deg_at = |i: usize| {
            f64::from(i32::from_le_bytes(
                b[i..i + 4].try_into().unwrap_or_default(),
            )) / 1e7
        };
        Ok(Header {
            root_offset: u64_at(8),
            root_length: u64_at(16),
            metadata_offset: u64_at(24),
            metadata_length: u64_at(32),
            leaf_offset: u64_at(40),
            leaf_length: u64_at(48),
            data_offset: u64_at(56),
            data_length: u64_at(64),
            internal_compression: Compression::from_u8(b[97]),
            tile_compression: Compression::from_u8(b[98]),
            tile_type: b[99],
            min_zoom: b[100],
            max_zoom: b[101],
            bounds: [deg_at(102), deg_at(106), deg_at(110), deg_at(114)],
            center: [deg_at(119), deg_at(123), f64::from(b[118])],
        })
    }

    /// The tile format's name as MBTiles metadata spells it.
    pub fn format(&self) -> Option<&'static str> {
        match self.tile_type {
            1 => Some("pbf"),
            2 => Some("png"),
            3 => Some("jpg"),
            4 => Some("webp"),
            _ => None,
        }
    }
}

/// One directory entry: tiles `tile_id .. tile_id + run_length` share the bytes at
/// `offset .. offset + length` of the tile data; run length 0 points to a leaf directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub tile_id: u64,
    pub offset: u64,
    pub length: u32,
    pub run_length: u32,
}

fn varint(b: &[u8], pos: &mut usize) -> Result<u64, String> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*pos).ok_or("PMTiles 目录被截断")?;
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err("PMTiles 目录中的数字过长".into())
}

/// Decodes a (decompressed) directory; at most `max_entries` entries, so that a damaged file
/// cannot make the reader allocate without bound.
pub fn decode_directory(b: &[u8], max_entries: usize) -> Result<Vec<Entry>, String> {
    let mut pos = 0;
    let n = varint(b, &mut pos)? as usize;
    if n > max_entries || n > b.len() {
        return Err("PMTiles 目录条目过多".into());
    }
    let mut entries = vec![
        Entry {
            tile_id: 0,
            offset: 0,
            length: 0,
            run_length: 0
        };
        n
    ];
    let mut last = 0u64;
    for e in entries.iter_mut() {
        last = last
            .checked_add(varint(b, &mut pos)?)
            .ok_or("PMTiles 目录无效")?;
        e.tile_id = last;
    }
    for e in entries.iter_mut() {
        e.run_length = u32::try_from(varint(b, &mut pos)?).map_err(|_| "PMTiles 目录无效")?;
    }
    for e in entries.iter_mut() {
        e.length = u32::try_from(varint(b, &mut pos)?).map_err(|_| "PMTiles 目录无效")?;
    }
    for i in 0..n {
        let v = varint(b, &mut pos)?;
        entries[i].offset = if v == 0 && i > 0 {
            entries[i - 1].offset + u64::from(entries[i - 1].length)
        } else {
            v.checked_sub(1).ok_or("PMTiles 目录无效")?
        };
    }
    Ok(entries)
}

/// Encodes a directory (uncompressed); used to write small PMTiles files in tests.
pub fn encode_directory(entries: &[Entry]) -> Vec<u8> {
    fn put(out: &mut Vec<u8>, mut v: u64) {
        while v >= 0x80 {
            out.push((v as u8 & 0x7f) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }
    let mut out = Vec::new();
    put(&mut out, entries.len() as u64);
    let mut last = 0;
    for e in entries {
        put(&mut out, e.tile_id - last);
        last = e.tile_id;
    }
    for e in entries {
        put(&mut out, u64::from(e.run_length));
    }
    for e in entries {
        put(&mut out, u64::from(e.length));
    }
    for e in entries {
        put(&mut out, e.offset + 1);
    }
    out
}

/// The entry that holds `tile_id`, or the leaf directory that may (run length 0).
pub fn find(entries: &[Entry], tile_id: u64) -> Option<Entry> {
    let i = entries.partition_point(|e| e.tile_id <= tile_id);
    let e = *entries.get(i.checked_sub(1)?)?;
    if e.run_length == 0 || tile_id < e.tile_id + u64::from(e.run_length) {
        Some(e)
    } else {
        None
    }
}

/// The tile id of z/x/y: tiles of lower zooms first, then the Hilbert curve position.
pub fn tile_id(z: u8, x: u32, y: u32) -> u64 {
    let acc = ((1u64 << (2 * u32::from(z))) - 1) / 3;
    let (mut tx, mut ty) = (u64::from(x), u64::from(y));
    let mut d = 0u64;
    let mut s = (1u64 << z) / 2;
    while s > 0 {
        let rx = u64::from(tx & s > 0);
        let ry = u64::from(ty & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                tx = s - 1 - (tx & (s - 1));
                ty = s - 1 - (ty & (s - 1));
            }
            std::mem::swap(&mut tx, &mut ty);
        }
        s /= 2;
    }
    acc + d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_ids_follow_the_specification() {
        assert_eq!(tile_id(0, 0, 0), 0);
        assert_eq!(tile_id(1, 0, 0), 1);
        assert_eq!(tile_id(1, 0, 1), 2);
        assert_eq!(tile_id(1, 1, 1), 3);
        assert_eq!(tile_id(1, 1, 0), 4);
        assert_eq!(tile_id(2, 0, 0), 5);
        // Each zoom fills its range, and consecutive ids are neighbouring tiles (a Hilbert curve).
        for z in 1..=4u8 {
            let n = 1u32 << z;
            let mut at = vec![(0, 0); (n * n) as usize];
            for x in 0..n {
                for y in 0..n {
                    at[(tile_id(z, x, y) - tile_id(z, 0, 0)) as usize] = (x, y);
                }
            }
            assert!(
                at.windows(2)
                    .all(|w| w[0].0.abs_diff(w[1].0) + w[0].1.abs_diff(w[1].1) == 1)
            );
        }
    }

    #[test]
    fn directories_round_trip_and_find_tiles() {
        let entries = vec![
            Entry {
                tile_id: 1,
                offset: 0,
                length: 10,
                run_length: 1,
            },
            Entry {
                tile_id: 2,
                offset: 10,
                length: 5,
                run_length: 2,
            },
            Entry {
                tile_id: 9,
                offset: 0,
                length: 40,
                run_length: 0,
            },
        ];
        let bytes = encode_directory(&entries);
        assert_eq!(decode_directory(&bytes, 100).unwrap(), entries);
        assert!(decode_directory(&bytes, 2).is_err());
        assert_eq!(find(&entries, 3).map(|e| e.offset), Some(10));
        assert_eq!(find(&entries, 4), None);
        assert_eq!(find(&entries, 0), None);
        assert_eq!(find(&entries, 50).map(|e| e.run_length), Some(0));
        assert!(decode_directory(&bytes[..3], 100).is_err());
    }
}
