//! `yingji backup` and `yingji restore` (see docs/operations.md, 备份与恢复).
//!
//! A backup is a directory: `yingji.db` (a `VACUUM INTO` copy of the SQLite database, taken
//! while the server may be running; attachments live in the database and come with it),
//! `files/…` (the other files of the data directory, such as installed base maps) and
//! `manifest.json` (version, schema version, time, every file with its size and SHA-256).
//! PostgreSQL is backed up with its own tools: the commands refuse it and name the recipe.

use crate::config::Config;
use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use std::path::{Component, Path, PathBuf};
use yingji_core::kernel::clock::{Clock, SystemClock};
use yingji_store::{Backend, Store};

const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "yingji.db";
const FILES: &str = "files";
const FORMAT: i64 = 1;

const POSTGRES_REFUSED: &str = "PostgreSQL 数据库不由 yingji backup/restore 备份恢复：请用 pg_dump 或 pgBackRest，步骤见 docs/operations.md「PostgreSQL」 (PostgreSQL is backed up with pg_dump or pgBackRest; see docs/operations.md)";

#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    format: i64,
    yingji_version: String,
    schema_version: i64,
    created_ms: i64,
    created: String,
    attachments: i64,
    files: Vec<FileEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct FileEntry {
    /// Relative to the backup directory, `/`-separated.
    path: String,
    size: u64,
    sha256: String,
}

/// The SQLite file the configuration names; refuses PostgreSQL and other SQLite locations.
fn sqlite_file(cfg: &Config) -> anyhow::Result<PathBuf> {
    let url = cfg.database_url();
    match Backend::from_url(&url).map_err(anyhow::Error::msg)? {
        Backend::Postgres => bail!("{POSTGRES_REFUSED}"),
        Backend::Sqlite if !cfg.server.database_url.trim().is_empty() => bail!(
            "备份与恢复只支持数据目录中的 SQLite 数据库（<数据目录>/yingji.db）：请去掉 database_url 设置，以 --data-dir 指定数据目录"
        ),
        Backend::Sqlite => Ok(cfg.server.data_dir.join(DATABASE)),
    }
}

/// True if `dir` is missing or an empty directory; an error if it is a file.
fn is_empty_dir(dir: &Path) -> anyhow::Result<bool> {
    is_empty_but(dir, None)
}

/// Like `is_empty_dir`, `allowed` (the key file put back before a restore) aside.
fn is_empty_but(dir: &Path, allowed: Option<&Path>) -> anyhow::Result<bool> {
    if !dir.exists() {
        return Ok(true);
    }
    if !dir.is_dir() {
        bail!("{} 不是目录", dir.display());
    }
    let mut entries =
        std::fs::read_dir(dir).with_context(|| format!("无法读取目录 {}", dir.display()))?;
    Ok(entries.all(|e| {
        e.is_ok_and(|e| allowed.is_some() && e.path().canonicalize().ok().as_deref() == allowed)
    }))
}

/// The key file when it lies in the data directory: never backed up, kept by a restore.
fn key_file_in(cfg: &Config) -> Option<PathBuf> {
    let k = cfg.key_file();
    let dir = cfg.server.data_dir.canonicalize().ok()?;
    let k = k.canonicalize().unwrap_or(k);
    k.starts_with(&dir).then_some(k)
}

/// SHA-256 (hex) and size of a file, read in blocks.
fn file_digest(path: &Path) -> anyhow::Result<(String, u64)> {
    use sha2::Digest;
    use std::io::Read;
    let mut f =
        std::fs::File::open(path).with_context(|| format!("无法读取 {}", path.display()))?;
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = f
            .read(&mut buf)
            .with_context(|| format!("无法读取 {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Every regular file under `dir` (relative paths), except the database's own files, anything
/// under `skip` (a backup written into the data directory) and the key file (ADR 0032: the keys
/// are backed up apart from the data they protect).
fn data_files(dir: &Path, skip: &Path, key_file: Option<&Path>) -> anyhow::Result<Vec<PathBuf>> {
    let db_files = [
        "yingji.db",
        "yingji.db-wal",
        "yingji.db-shm",
        "yingji.db-journal",
    ];
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in
            std::fs::read_dir(&d).with_context(|| format!("无法读取目录 {}", d.display()))?
        {
            let path = entry?.path();
            if path.starts_with(skip) || Some(path.as_path()) == key_file {
                continue;
            }
            let rel = path.strip_prefix(dir)?.to_path_buf();
            if path.is_dir() {
                stack.push(path);
            } else if path.is_file() && !db_files.iter().any(|f| rel == Path::new(f)) {
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A manifest path as a relative path inside the backup, refusing absolute paths and `..`.
fn safe_relative(p: &str) -> anyhow::Result<PathBuf> {
    let path = PathBuf::from(p);
    let ok = !p.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    if !ok {
        bail!("备份清单损坏：文件路径 {p} 不合法");
    }
    Ok(path)
}

fn to_manifest_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `yingji backup --to <dir>`.
pub async fn backup(cfg: &Config, to: &Path) -> anyhow::Result<()> {
    let db = sqlite_file(cfg)?;
    if !db.is_file() {
        bail!(
            "找不到数据库文件 {}（请用 --data-dir 指定数据目录）",
            db.display()
        );
    }
    if !is_empty_dir(to)? {
        bail!("备份目录 {} 不为空：请指定一个新的或空的目录", to.display());
    }
    std::fs::create_dir_all(to).with_context(|| format!("无法创建备份目录 {}", to.display()))?;
    let to = to.canonicalize()?;
    let url = format!("sqlite://{}", db.display());
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("无法打开数据库 {}", db.display()))?;
    let schema_version = yingji_store::backup::schema_version(&store).await?;
    let attachments = yingji_store::backup::attachment_count(&store).await?;
    println!(
        "正在复制数据库 {}（VACUUM INTO，服务可继续运行）…",
        db.display()
    );
    let copied = yingji_store::backup::vacuum_into(&store, &to.join(DATABASE)).await;
    store.close().await;
    copied.context("数据库复制失败")?;
    println!("数据库已复制（含附件{attachments}个）");
    let mut rels = vec![PathBuf::from(DATABASE)];
    let data_dir = cfg.server.data_dir.canonicalize()?;
    let key_file = key_file_in(cfg);
    if key_file.is_some() {
        println!(
            "密钥文件不在备份中：请另行备份 {}",
            cfg.key_file().display()
        );
    }
    for rel in data_files(&data_dir, &to, key_file.as_deref())? {
        let target = to.join(FILES).join(&rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(data_dir.join(&rel), &target)
            .with_context(|| format!("无法复制 {}", rel.display()))?;
        println!("已复制文件 {}", rel.display());
        rels.push(Path::new(FILES).join(rel));
    }
    let manifest = write_manifest(&to, &rels, schema_version, attachments)?;
    println!(
        "备份完成：{}（{}个文件，数据库版本{}）",
        to.display(),
        manifest.files.len(),
        manifest.schema_version
    );
    Ok(())
}

fn write_manifest(
    to: &Path,
    rels: &[PathBuf],
    schema_version: i64,
    attachments: i64,
) -> anyhow::Result<Manifest> {
    let mut files = Vec::new();
    for rel in rels {
        let (sha256, size) = file_digest(&to.join(rel))?;
        files.push(FileEntry {
            path: to_manifest_path(rel),
            size,
            sha256,
        });
    }
    let created_ms = SystemClock.now_ms();
    let created = jiff::Timestamp::from_millisecond(created_ms)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let manifest = Manifest {
        format: FORMAT,
        yingji_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version,
        created_ms,
        created,
        attachments,
        files,
    };
    std::fs::write(to.join(MANIFEST), serde_json::to_vec_pretty(&manifest)?)
        .context("无法写入备份清单")?;
    Ok(manifest)
}

/// Reads the manifest and checks every file it lists (size and SHA-256).
fn verified_manifest(from: &Path) -> anyhow::Result<Manifest> {
    if !from.is_dir() {
        bail!("备份目录 {} 不存在或不是目录", from.display());
    }
    let text = std::fs::read(from.join(MANIFEST)).with_context(|| {
        format!(
            "{} 不是 yingji 备份：找不到或无法读取 {MANIFEST}",
            from.display()
        )
    })?;
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|e| anyhow::anyhow!("备份清单损坏：{e}"))?;
    if manifest.format != FORMAT {
        bail!(
            "不支持的备份格式 {}（本程序支持 {FORMAT}）",
            manifest.format
        );
    }
    let known = yingji_store::migrate::MIGRATIONS
        .last()
        .map_or(0, |m| m.version);
    if manifest.schema_version > known {
        bail!(
            "备份的数据库版本 {} 比本程序（{}）新：请用 yingji {} 或更新的版本恢复",
            manifest.schema_version,
            known,
            manifest.yingji_version
        );
    }
    if !manifest.files.iter().any(|f| f.path == DATABASE) {
        bail!("备份清单损坏：没有数据库文件 {DATABASE}");
    }
    for f in &manifest.files {
        let rel = safe_relative(&f.path)?;
        let inner = rel.strip_prefix(FILES).ok();
        if rel != Path::new(DATABASE) && inner.is_none_or(|i| i == Path::new(DATABASE)) {
            bail!("备份清单损坏：文件路径 {} 不合法", f.path);
        }
        let (sha256, size) = file_digest(&from.join(&rel))
            .with_context(|| format!("备份不完整：缺少 {}", f.path))?;
        if sha256 != f.sha256 || size != f.size {
            bail!("备份已损坏：{} 的校验和与清单不符", f.path);
        }
    }
    Ok(manifest)
}

/// Copies the backup's files into the (empty) data directory: `yingji.db` and `files/…`.
fn copy_files(manifest: &Manifest, from: &Path, data_dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("无法创建数据目录 {}", data_dir.display()))?;
    for f in &manifest.files {
        let rel = safe_relative(&f.path)?;
        let target = match rel.strip_prefix(FILES) {
            Ok(inner) => data_dir.join(inner),
            Err(_) => data_dir.join(&rel),
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from.join(&rel), &target)
            .with_context(|| format!("无法写入 {}", target.display()))?;
        println!("已恢复 {}", f.path);
    }
    Ok(())
}

/// `yingji restore --from <backup> --data-dir <dir>`: into an empty data directory only.
pub async fn restore(cfg: &Config, from: &Path) -> anyhow::Result<bool> {
    let db = sqlite_file(cfg)?;
    let data_dir = &cfg.server.data_dir;
    let key_file = key_file_in(cfg);
    if !is_empty_but(data_dir, key_file.as_deref())? {
        bail!(
            "数据目录 {} 不为空：恢复只写入空目录，未写入任何文件",
            data_dir.display()
        );
    }
    println!("正在校验备份 {} …", from.display());
    let manifest = verified_manifest(from)?;
    println!(
        "备份完整：{}个文件，数据库版本{}，附件{}个，备份于 {}",
        manifest.files.len(),
        manifest.schema_version,
        manifest.attachments,
        manifest.created
    );
    if let Err(e) = copy_files(&manifest, from, data_dir) {
        // The directory was empty (or missing): leave it so, not half restored.
        if let Ok(entries) = std::fs::read_dir(data_dir) {
            for entry in entries.flatten() {
                let p = entry.path();
                if key_file.is_some() && p.canonicalize().ok() == key_file {
                    continue;
                }
                let _ = if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
            }
        }
        return Err(e.context("恢复失败，已写入的文件已删除"));
    }
    let store = Store::connect(&format!("sqlite://{}", db.display())).await?;
    // The key file put back (or YINGJI_KEYS): without it the keyed chain cannot be verified.
    let ring = match (cfg.key_file().exists(), std::env::var("YINGJI_KEYS").ok()) {
        (false, None) => {
            println!(
                "未找到密钥文件 {}：审计链无法校验",
                cfg.key_file().display()
            );
            Default::default()
        }
        (_, env) => {
            yingji_app::security::keys::load(&cfg.key_file(), env.as_deref())
                .map_err(anyhow::Error::msg)?
                .ring
        }
    };
    let report = yingji_store::kernel::audit::verify(&store, &ring).await;
    store.close().await;
    match report?.first_break {
        None => {
            println!("恢复完成：{}；审计链完整", data_dir.display());
            Ok(true)
        }
        Some(b) => {
            println!("恢复完成，但审计链被破坏：第{}条记录 — {}", b.seq, b.reason);
            Ok(false)
        }
    }
}
