//! The process's key ring (ADR 0032): loaded once at start from outside the database (the key
//! file or `YINGJI_KEYS`) and installed here, so every write of an audit record or a personal field
//! finds it without threading it through each call. Sealing and opening personal fields, and their
//! blind indexes, go through these helpers; the algorithms are in `yingji_core::kernel::gm`.

use crate::{StoreError, StoreResult};
use std::sync::{Arc, RwLock};
use yingji_core::kernel::gm::{self, KeyRing};

static RING: RwLock<Option<Arc<KeyRing>>> = RwLock::new(None);

/// Installs the key ring (at start, and after a rotation added a key).
pub fn install(ring: KeyRing) {
    let mut g = RING.write().unwrap_or_else(|e| e.into_inner());
    *g = Some(Arc::new(ring));
}

/// The installed key ring, if any.
pub fn installed() -> Option<Arc<KeyRing>> {
    RING.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The installed key ring, or the error that says how to load one.
pub fn ring() -> StoreResult<Arc<KeyRing>> {
    installed().ok_or_else(|| StoreError::invalid("security.key_file", gm::NO_KEYS))
}

/// Fresh random bytes from the operating system.
pub fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the operating system's random source is available");
    b
}

/// A personal value sealed with the current data key; an empty value stays empty (nothing to hide).
pub fn seal(plain: &str) -> StoreResult<String> {
    if plain.is_empty() || gm::is_sealed(plain) {
        return Ok(plain.to_string());
    }
    let ring = ring()?;
    let (id, key) = ring
        .current_data()
        .ok_or_else(|| StoreError::invalid("security.key_file", gm::NO_KEYS))?;
    Ok(gm::seal(id, key, &random::<12>(), plain))
}

pub fn seal_opt(plain: Option<&str>) -> StoreResult<Option<String>> {
    plain.map(seal).transpose()
}

/// A stored value opened: sealed values are decrypted, plaintext (not yet migrated) passes through,
/// and a value whose key is missing reads as `gm::UNREADABLE`.
pub fn open(stored: String) -> String {
    if !gm::is_sealed(&stored) {
        return stored;
    }
    installed()
        .and_then(|r| gm::open(&r, &stored))
        .unwrap_or_else(|| gm::UNREADABLE.to_string())
}

pub fn open_opt(stored: Option<String>) -> Option<String> {
    stored.map(open)
}

/// The blind index of a searched personal value (`None` for no or an empty value).
pub fn blind_index(plain: Option<&str>) -> StoreResult<Option<String>> {
    match plain.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => Ok(ring()?.blind_index(v)),
    }
}

/// The blind index of a required value (unique or compared): an error when the ring has no index
/// key, rather than a row that escapes its unique index.
pub fn blind_index_required(plain: &str) -> StoreResult<String> {
    blind_index(Some(plain))?.ok_or_else(|| StoreError::invalid("security.key_file", gm::NO_KEYS))
}
