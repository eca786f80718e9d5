//! The OLE compound file around an .xls: every sector chain is checked against the file (no
//! loops, nothing outside it), and the Workbook stream is copied out (it is at most as large
//! as the file).

use super::super::limits::{ReadError, invalid};
use super::{corrupt, u16_at, u32_at};

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const MAXREGSECT: u32 = 0xFFFF_FFFA;

fn word(b: &[u8], at: usize) -> Result<u32, ReadError> {
    u32_at(b, at).ok_or_else(corrupt)
}

struct Cfb<'a> {
    bytes: &'a [u8],
    header: &'a [u8],
    sector_size: usize,
    /// Sectors the file holds after its header: no chain is longer.
    sectors: usize,
    fat: Vec<u32>,
}

impl<'a> Cfb<'a> {
    /// The header checked and the FAT read.
    fn open(bytes: &'a [u8]) -> Result<Self, ReadError> {
        let header = bytes.get(..512).ok_or_else(corrupt)?;
        let sector_size = match u16_at(header, 0x1E) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return Err(corrupt()),
        };
        if u16_at(header, 0x20) != Some(6) {
            return Err(corrupt());
        }
        let mut cfb = Cfb {
            bytes,
            header,
            sector_size,
            sectors: (bytes.len() / sector_size).saturating_sub(1),
            fat: Vec::new(),
        };
        let fat_sectors = cfb.fat_sectors()?;
        let mut fat = Vec::with_capacity(fat_sectors.len() * sector_size / 4);
        for id in fat_sectors {
            let s = cfb.sector(id)?;
            fat.extend(
                s.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        cfb.fat = fat;
        Ok(cfb)
    }

    /// The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
    fn fat_sectors(&self) -> Result<Vec<u32>, ReadError> {
        let mut fat_sectors = Vec::new();
        for k in 0..109 {
            let id = word(self.header, 0x4C + 4 * k)?;
            if id <= MAXREGSECT {
                fat_sectors.push(id);
            }
        }
        let mut difat = word(self.header, 0x44)?;
        let mut hops = 0;
        while difat <= MAXREGSECT {
            hops += 1;
            if hops > self.sectors {
                return Err(corrupt());
            }
            let s = self.sector(difat)?;
            for k in 0..self.sector_size / 4 - 1 {
                let id = word(s, 4 * k)?;
                if id <= MAXREGSECT {
                    fat_sectors.push(id);
                }
            }
            difat = word(s, self.sector_size - 4)?;
        }
        if fat_sectors.len() > self.sectors {
            return Err(corrupt());
        }
        Ok(fat_sectors)
    }

    fn sector(&self, id: u32) -> Result<&'a [u8], ReadError> {
        let start = (id as usize + 1) * self.sector_size;
        self.bytes
            .get(start..start + self.sector_size)
            .ok_or_else(corrupt)
    }

    /// The sectors of a chain, in order; a loop or a pointer outside the table is an error.
    fn chain(&self, start: u32, table: &[u32], max: usize) -> Result<Vec<u32>, ReadError> {
        let mut ids = Vec::new();
        let mut id = start;
        while id != ENDOFCHAIN {
            if id > MAXREGSECT || ids.len() >= max {
                return Err(corrupt());
            }
            ids.push(id);
            id = *table.get(id as usize).ok_or_else(corrupt)?;
        }
        Ok(ids)
    }

    fn stream(&self, start: u32, len: usize) -> Result<Vec<u8>, ReadError> {
        let mut out = Vec::with_capacity(len);
        for id in self.chain(start, &self.fat, self.sectors)? {
            if out.len() >= len {
                break;
            }
            let s = self.sector(id)?;
            out.extend_from_slice(&s[..s.len().min(len - out.len())]);
        }
        if out.len() < len {
            return Err(corrupt());
        }
        Ok(out)
    }

    /// The directory's entries, in order (the root first).
    fn directory(&self) -> Result<Vec<Entry>, ReadError> {
        let mut entries = Vec::new();
        for id in self.chain(word(self.header, 0x30)?, &self.fat, self.sectors)? {
            for e in self.sector(id)?.chunks_exact(128) {
                let name_len = (u16_at(e, 0x40).unwrap_or(0) as usize).min(64);
                let units: Vec<u16> = e[..name_len]
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|&u| u != 0)
                    .collect();
                let len = if self.sector_size == 512 {
                    u64::from(word(e, 0x78)?)
                } else {
                    u64::from(word(e, 0x78)?) | u64::from(word(e, 0x7C)?) << 32
                };
                entries.push(Entry {
                    name: String::from_utf16_lossy(&units),
                    kind: e[0x42],
                    start: word(e, 0x74)?,
                    len,
                });
            }
        }
        Ok(entries)
    }

    /// A small stream from the mini stream: 64-byte sectors inside the root's stream, chained
    /// by the mini FAT.
    fn mini_stream(&self, root: &Entry, start: u32, len: usize) -> Result<Vec<u8>, ReadError> {
        let root_len = usize::try_from(root.len)
            .ok()
            .filter(|&l| l <= self.bytes.len())
            .ok_or_else(corrupt)?;
        let mini = self.stream(root.start, root_len)?;
        let mut minifat = Vec::new();
        for id in self.chain(word(self.header, 0x3C)?, &self.fat, self.sectors)? {
            let s = self.sector(id)?;
            minifat.extend(
                s.chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        let mut out = Vec::with_capacity(len);
        for id in self.chain(start, &minifat, mini.len() / 64 + 1)? {
            if out.len() >= len {
                break;
            }
            let at = id as usize * 64;
            let s = mini.get(at..at + 64).ok_or_else(corrupt)?;
            out.extend_from_slice(&s[..64.min(len - out.len())]);
        }
        if out.len() < len {
            return Err(corrupt());
        }
        Ok(out)
    }
}

struct Entry {
    name: String,
    kind: u8,
    start: u32,
    len: u64,
}

/// The Workbook stream of a compound file.
pub(super) fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, ReadError> {
    let cfb = Cfb::open(bytes)?;
    let entries = cfb.directory()?;
    let find = |name: &str| {
        entries
            .iter()
            .find(|e| e.kind == 2 && e.name.eq_ignore_ascii_case(name))
    };
    let Some(book) = find("Workbook") else {
        return Err(if find("EncryptedPackage").is_some() {
            invalid("文件设置了打开密码，请在Excel中取消密码后再导入")
        } else if find("Book").is_some() {
            invalid("不支持Excel 95及更早版本的.xls文件，请在Excel中另存为.xlsx后再导入")
        } else {
            corrupt()
        });
    };
    let len = usize::try_from(book.len)
        .ok()
        .filter(|&l| l <= bytes.len())
        .ok_or_else(corrupt)?;
    if len >= 4096 {
        return cfb.stream(book.start, len);
    }
    let root = entries
        .first()
        .filter(|e| e.kind == 5)
        .ok_or_else(corrupt)?;
    cfb.mini_stream(root, book.start, len)
}
