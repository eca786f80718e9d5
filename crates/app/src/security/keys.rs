//! The key ring's use cases (ADR 0032): loading it from outside the database at start (the key
//! file, checked to be private, or `YINGJI_KEYS`), generating the missing keys of a fresh install
//! into the key file (never into the database), sealing the audit chain's legacy boundary,
//! rotating a key with an audit record, and the start-up job sealing old plaintext personal fields.

use std::path::Path;
use yingji_core::kernel::gm::KeyRing;
use yingji_core::kernel::wording;
use yingji_store::kernel::audit::{self, Change};
use yingji_store::kernel::{keys, sealing};
use yingji_store::{Actor, Store, StoreResult};

/// Where the ring came from, and what was done to it, for the start-up log.
#[derive(Debug, Default)]
pub struct Loaded {
    pub ring: KeyRing,
    /// Lines for the log (never holding key material).
    pub notes: Vec<String>,
}

/// Loads the ring: `YINGJI_KEYS` (text form) when given, else the key file, whose missing keys are
/// generated and written to it (created with mode 0600). A key file readable by others is refused.
pub fn load(key_file: &Path, env: Option<&str>) -> Result<Loaded, String> {
    if let Some(text) = env.filter(|t| !t.trim().is_empty()) {
        let ring = KeyRing::parse(text).map_err(|m| format!("YINGJI_KEYS：{m}"))?;
        if !ring.missing().is_empty() {
            return Err(format!(
                "YINGJI_KEYS 缺少密钥：{}",
                ring.missing().join("、")
            ));
        }
        return Ok(Loaded {
            notes: vec![format!("密钥取自环境变量 YINGJI_KEYS（{ring:?}）")],
            ring,
        });
    }
    let mut ring = if key_file.exists() {
        check_private(key_file)?;
        let text = std::fs::read_to_string(key_file)
            .map_err(|e| format!("无法读取密钥文件 {}：{e}", key_file.display()))?;
        KeyRing::parse(&text).map_err(|m| format!("{}：{m}", key_file.display()))?
    } else {
        KeyRing::default()
    };
    let mut notes = vec![];
    let missing = ring.missing();
    if !missing.is_empty() {
        ring.fill_missing(&keys::random::<80>());
        write_private(key_file, &ring.to_text())?;
        notes.push(format!(
            "已生成密钥（{}）并写入 {}：请把该文件另行备份（不在数据库及其备份中），丢失则无法校验审计链、无法解密个人信息",
            missing.join("、"),
            key_file.display()
        ));
    }
    notes.push(format!("密钥取自 {}（{ring:?}）", key_file.display()));
    Ok(Loaded { ring, notes })
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| format!("无法读取密钥文件 {}：{e}", path.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "密钥文件 {} 的权限为 {:o}，其他用户可读：请执行 chmod 600",
            path.display(),
            mode & 0o777
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), String> {
    Ok(())
}

/// Writes the key file whole (a new file beside it, then renamed), readable by its owner only.
pub fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let fail = |e: std::io::Error| format!("无法写入密钥文件 {}：{e}", path.display());
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let tmp = path.with_extension("tmp");
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(&tmp).map_err(fail)?;
    f.write_all(text.as_bytes()).map_err(fail)?;
    f.sync_all().map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}

/// At start, once the ring is installed: seals the audit chain's legacy boundary (first start
/// after migration 0061, or a fresh install). Answers the boundary when sealed now.
pub async fn seal_audit_chain(store: &Store, now_ms: i64) -> StoreResult<Option<i64>> {
    let mut tx = store.begin().await?;
    let sealed = audit::seal_legacy_in(&mut tx, now_ms).await?;
    tx.commit().await?;
    Ok(sealed)
}

/// Adds a new key of `kind` (audit, data) to the ring, writes the key file, installs the ring and
/// records the rotation in the audit log (the record is the first one under a new audit key).
/// Old keys stay in the ring: old records still verify and old values still open.
pub async fn rotate(
    store: &Store,
    (key_file, kind): (&Path, &str),
    now_ms: i64,
    actor: &Actor,
) -> StoreResult<String> {
    let bad = |m: String| yingji_store::StoreError::invalid("key_file", m);
    let mut ring = load(key_file, None).map_err(bad)?.ring;
    let id = ring.next_id(kind);
    let old = match kind {
        "audit" => {
            let old = ring.current_audit().map(|k| k.0.clone());
            ring.audit.push((id.clone(), keys::random::<32>()));
            old
        }
        "data" => {
            let old = ring.current_data().map(|k| k.0.clone());
            ring.data.push((id.clone(), keys::random::<16>()));
            old
        }
        _ => return Err(bad("只能轮换 audit 或 data 密钥（索引密钥不轮换）".into())),
    };
    write_private(key_file, &ring.to_text()).map_err(bad)?;
    keys::install(ring);
    let mut tx = store.begin().await?;
    let summary = wording::keys_rotated(kind, old.as_deref(), &id);
    audit::append(
        &mut tx,
        now_ms,
        actor,
        Change::of("keys.rotate", "key_ring", &id, summary),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Seals the plaintext values of every sealed field, `batch` rows a transaction, resuming where
/// the last run stopped; values already sealed are skipped. Answers (field label, rows sealed now).
pub async fn seal_personal_fields(
    store: &Store,
    now_ms: i64,
    batch: i64,
) -> StoreResult<Vec<(&'static str, i64)>> {
    let mut out = vec![];
    for f in sealing::FIELDS {
        let mut now_sealed = 0;
        loop {
            let mut tx = store.begin().await?;
            let (after, total) = sealing::progress_in(&mut tx, f).await?;
            let rows = sealing::batch_in(&mut tx, f, &after, batch).await?;
            let Some(last) = rows.last().map(|r| r.0.clone()) else {
                sealing::save_progress_in(&mut tx, f, (&after, total, true), now_ms).await?;
                tx.commit().await?;
                break;
            };
            let mut n = 0;
            for (id, plain) in &rows {
                if let Some(p) = plain {
                    n += sealing::seal_row_in(&mut tx, f, id, p).await? as i64;
                }
            }
            if n > 0 {
                let summary = wording::personal_sealed(f.label, n);
                let change = Change::of("personal.seal", f.table, f.name, summary);
                audit::append(&mut tx, now_ms, &Actor::system("系统"), change).await?;
            }
            sealing::save_progress_in(&mut tx, f, (&last, total + n, false), now_ms).await?;
            tx.commit().await?;
            now_sealed += n;
        }
        out.push((f.label, now_sealed));
    }
    Ok(out)
}
