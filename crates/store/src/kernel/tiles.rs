//! Base-map tiles from a file the bureau provides (ADR 0022): MBTiles (SQLite, read-only through
//! sqlx) or PMTiles v3 (header and directories decoded by `yingji_core::kernel::pmtiles`), vector
//! or raster. Memory stays bounded: one tile at a time, the PMTiles root directory and a few leaf
//! directories, each of a capped size.

use flate2::read::GzDecoder;
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use std::collections::{HashMap, VecDeque};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use yingji_core::kernel::basemap::{TileCoord, TileKind, tile_format};
use yingji_core::kernel::pmtiles::{self, Compression, Entry, Header};

/// The largest tile served; a larger entry is a damaged or unsuitable file.
const MAX_TILE_BYTES: u64 = 16 * 1024 * 1024;
/// Limits on PMTiles directories (decompressed) and metadata, and how many leaves stay cached.
const MAX_DIRECTORY_BYTES: u64 = 8 * 1024 * 1024;
const MAX_DIRECTORY_ENTRIES: usize = 262_144;
const MAX_METADATA_BYTES: u64 = 1024 * 1024;
const LEAF_CACHE: usize = 16;

/// What a tile file holds, for the console's map style.
#[derive(Debug, Clone, PartialEq)]
pub struct TileMeta {
    pub kind: TileKind,
    /// pbf, png, jpg or webp.
    pub format: String,
    pub media_type: &'static str,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north.
    pub bounds: Option<[f64; 4]>,
    pub name: String,
    pub attribution: String,
    /// The vector layers' ids (vector tiles only).
    pub vector_layers: Vec<String>,
}

/// One tile's bytes as stored, and the `Content-Encoding` they carry (gzip'd MVT).
#[derive(Debug, Clone)]
pub struct Tile {
    pub data: Vec<u8>,
    pub encoding: Option<&'static str>,
}

pub struct TileFile {
    pub path: PathBuf,
    pub meta: TileMeta,
    source: Source,
}

enum Source {
    Mbtiles(SqlitePool),
    Pmtiles(Box<Pm>),
}

struct Pm {
    file: Arc<Mutex<std::fs::File>>,
    header: Header,
    root: Vec<Entry>,
    leaves: Mutex<LeafCache>,
}

/// Leaf directories by (offset, length), and the order they came in (the oldest leaves first).
type LeafCache = (HashMap<(u64, u64), Arc<Vec<Entry>>>, VecDeque<(u64, u64)>);

impl TileFile {
    /// Opens an MBTiles or PMTiles file (told apart by their first bytes) and reads what it holds.
    pub async fn open(path: &Path) -> Result<TileFile, String> {
        let shown = path.display().to_string();
        let mut head = [0u8; pmtiles::HEADER_LEN];
        let n = std::fs::File::open(path)
            .and_then(|mut f| read_up_to(&mut f, &mut head))
            .map_err(|e| format!("底图瓦片文件 {shown} 无法读取：{e}"))?;
        let (meta, source) = if n >= 7 && &head[..7] == b"PMTiles" {
            open_pmtiles(path).await
        } else if n >= 16 && &head[..16] == b"SQLite format 3\0" {
            open_mbtiles(path).await
        } else {
            Err("既不是 MBTiles 也不是 PMTiles 文件".to_string())
        }
        .map_err(|e| format!("底图瓦片文件 {shown}：{e}"))?;
        Ok(TileFile {
            path: path.to_path_buf(),
            meta,
            source,
        })
    }

    /// The tile at z/x/y (XYZ scheme), or none where the file has no tile there.
    pub async fn tile(&self, c: TileCoord) -> Result<Option<Tile>, String> {
        match &self.source {
            Source::Mbtiles(pool) => mbtiles_tile(pool, c).await,
            Source::Pmtiles(pm) => pm.tile(c).await,
        }
    }
}

fn read_up_to(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

async fn open_mbtiles(path: &Path) -> Result<(TileMeta, Source), String> {
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(opts)
        .await
        .map_err(|e| format!("无法打开 MBTiles：{e}"))?;
    let rows = sqlx::query("SELECT name, value FROM metadata")
        .fetch_all(&pool)
        .await
        .map_err(|_| "MBTiles 缺少 metadata 表".to_string())?;
    let mut m: HashMap<String, String> = HashMap::new();
    for r in rows {
        let (k, v): (Option<String>, Option<String>) = (r.try_get(0).ok(), r.try_get(1).ok());
        if let (Some(k), Some(v)) = (k, v) {
            m.insert(k, v);
        }
    }
    let zooms = sqlx::query("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles")
        .fetch_one(&pool)
        .await
        .map_err(|_| "MBTiles 缺少 tiles 表".to_string())?;
    let zoom = |key: &str, i: usize| {
        m.get(key)
            .and_then(|v| v.trim().parse::<u8>().ok())
            .or_else(|| {
                zooms
                    .try_get::<Option<i64>, _>(i)
                    .ok()
                    .flatten()
                    .map(|z| z.clamp(0, 24) as u8)
            })
            .unwrap_or(0)
    };
    let vector_layers = vector_layer_ids(m.get("json").map(String::as_str));
    let format = m.get("format").cloned().unwrap_or_else(|| {
        if vector_layers.is_empty() {
            "png"
        } else {
            "pbf"
        }
        .to_string()
    });
    let (kind, media_type) =
        tile_format(&format).ok_or_else(|| format!("瓦片格式 {format} 不受支持"))?;
    let meta = TileMeta {
        kind,
        format: format.to_ascii_lowercase(),
        media_type,
        min_zoom: zoom("minzoom", 0),
        max_zoom: zoom("maxzoom", 1),
        bounds: m.get("bounds").and_then(|b| parse_bounds(b)),
        name: m.get("name").cloned().unwrap_or_default(),
        attribution: m.get("attribution").cloned().unwrap_or_default(),
        vector_layers,
    };
    Ok((meta, Source::Mbtiles(pool)))
}

async fn mbtiles_tile(pool: &SqlitePool, c: TileCoord) -> Result<Option<Tile>, String> {
    // MBTiles rows count from the south (TMS).
    let row = (1i64 << c.z) - 1 - i64::from(c.y);
    let data: Option<Vec<u8>> = sqlx::query_scalar(
        "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
    )
    .bind(i64::from(c.z))
    .bind(i64::from(c.x))
    .bind(row)
    .fetch_optional(pool)
    .await
    .map_err(|e| format!("读取 MBTiles 瓦片失败：{e}"))?;
    Ok(data.map(|data| {
        let encoding = data.starts_with(&[0x1f, 0x8b]).then_some("gzip");
        Tile { data, encoding }
    }))
}

fn parse_bounds(s: &str) -> Option<[f64; 4]> {
    let v: Vec<f64> = s.split(',').filter_map(|p| p.trim().parse().ok()).collect();
    let b: [f64; 4] = v.try_into().ok()?;
    let ok = b[0] < b[2] && b[1] < b[3] && b.iter().all(|v| v.is_finite() && v.abs() <= 180.0);
    ok.then_some(b)
}

fn vector_layer_ids(json: Option<&str>) -> Vec<String> {
    let v: serde_json::Value = json
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    v["vector_layers"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|l| l["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn open_pmtiles(path: &Path) -> Result<(TileMeta, Source), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let file = Arc::new(Mutex::new(file));
    let head = read_at(&file, 0, pmtiles::HEADER_LEN as u64).await?;
    let header = Header::parse(&head)?;
    if !matches!(
        header.internal_compression,
        Compression::None | Compression::Gzip
    ) {
        return Err("PMTiles 目录的压缩方式不受支持（应为 gzip 或不压缩）".into());
    }
    let format = header
        .format()
        .ok_or("PMTiles 瓦片类型不受支持（应为 MVT、PNG、JPEG 或 WebP）")?;
    let (kind, media_type) = tile_format(format).ok_or("瓦片格式不受支持")?;
    if header.root_length > pmtiles::ROOT_MAX as u64 * 4 {
        return Err("PMTiles 根目录过大".into());
    }
    let root = read_at(&file, header.root_offset, header.root_length).await?;
    let root = decompress(header.internal_compression, &root, MAX_DIRECTORY_BYTES)?;
    let root = pmtiles::decode_directory(&root, MAX_DIRECTORY_ENTRIES)?;
    let metadata: serde_json::Value =
        if header.metadata_length > 0 && header.metadata_length <= MAX_METADATA_BYTES {
            let raw = read_at(&file, header.metadata_offset, header.metadata_length).await?;
            let raw = decompress(header.internal_compression, &raw, MAX_METADATA_BYTES)?;
            serde_json::from_slice(&raw).unwrap_or_default()
        } else {
            serde_json::Value::Null
        };
    let text = |k: &str| metadata[k].as_str().unwrap_or_default().to_string();
    let b = header.bounds;
    let meta = TileMeta {
        kind,
        format: format.to_string(),
        media_type,
        min_zoom: header.min_zoom,
        max_zoom: header.max_zoom,
        bounds: (b[0] < b[2] && b[1] < b[3]).then_some(b),
        name: text("name"),
        attribution: text("attribution"),
        vector_layers: vector_layer_ids(Some(&metadata.to_string())),
    };
    let pm = Pm {
        file,
        header,
        root,
        leaves: Mutex::new((HashMap::new(), VecDeque::new())),
    };
    Ok((meta, Source::Pmtiles(Box::new(pm))))
}

async fn read_at(
    file: &Arc<Mutex<std::fs::File>>,
    offset: u64,
    len: u64,
) -> Result<Vec<u8>, String> {
    let file = file.clone();
    tokio::task::spawn_blocking(move || {
        let mut f = file.lock().map_err(|_| "文件锁异常".to_string())?;
        f.seek(SeekFrom::Start(offset)).map_err(|e| e.to_string())?;
        let mut buf = vec![0u8; len as usize];
        f.read_exact(&mut buf)
            .map_err(|_| "PMTiles 文件被截断".to_string())?;
        Ok(buf)
    })
    .await
    .map_err(|e| e.to_string())?
}

fn decompress(c: Compression, raw: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    match c {
        Compression::None => Ok(raw.to_vec()),
        Compression::Gzip => {
            let mut out = Vec::new();
            GzDecoder::new(raw)
                .take(limit + 1)
                .read_to_end(&mut out)
                .map_err(|_| "PMTiles 目录解压失败".to_string())?;
            if out.len() as u64 > limit {
                return Err("PMTiles 目录过大".into());
            }
            Ok(out)
        }
        _ => Err("PMTiles 压缩方式不受支持".into()),
    }
}

impl Pm {
    async fn tile(&self, c: TileCoord) -> Result<Option<Tile>, String> {
        if c.z < self.header.min_zoom || c.z > self.header.max_zoom {
            return Ok(None);
        }
        let id = pmtiles::tile_id(c.z, c.x, c.y);
        let mut leaf: Option<Arc<Vec<Entry>>> = None;
        // The root, then at most three levels of leaves (the specification's writers use one).
        for _ in 0..4 {
            let entries = leaf.as_deref().map_or(self.root.as_slice(), Vec::as_slice);
            let Some(e) = pmtiles::find(entries, id) else {
                return Ok(None);
            };
            if e.run_length > 0 {
                if u64::from(e.length) > MAX_TILE_BYTES {
                    return Err("PMTiles 瓦片过大".into());
                }
                let at = self.header.data_offset + e.offset;
                let data = read_at(&self.file, at, u64::from(e.length)).await?;
                let encoding = self.header.tile_compression.content_encoding();
                return Ok(Some(Tile { data, encoding }));
            }
            leaf = Some(self.leaf(e.offset, u64::from(e.length)).await?);
        }
        Err("PMTiles 目录层级过深".into())
    }

    async fn leaf(&self, offset: u64, length: u64) -> Result<Arc<Vec<Entry>>, String> {
        let key = (offset, length);
        if let Some(d) = self.leaves.lock().map_err(|_| "缓存锁异常")?.0.get(&key) {
            return Ok(d.clone());
        }
        if length > MAX_DIRECTORY_BYTES {
            return Err("PMTiles 目录过大".into());
        }
        let raw = read_at(&self.file, self.header.leaf_offset + offset, length).await?;
        let raw = decompress(self.header.internal_compression, &raw, MAX_DIRECTORY_BYTES)?;
        let dir = Arc::new(pmtiles::decode_directory(&raw, MAX_DIRECTORY_ENTRIES)?);
        let mut cache = self.leaves.lock().map_err(|_| "缓存锁异常")?;
        if cache.0.insert(key, dir.clone()).is_none() {
            cache.1.push_back(key);
        }
        while cache.1.len() > LEAF_CACHE {
            if let Some(old) = cache.1.pop_front() {
                cache.0.remove(&old);
            }
        }
        Ok(dir)
    }
}
