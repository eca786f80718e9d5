//! 国密 (commercial cryptography, GB/T 39786): SM3 and HMAC-SM3 (GB/T 32905), SM4 in GCM mode
//! (GB/T 32907, GCM per GB/T 36624 / RFC 8998), and the key ring that holds their keys. Algorithms
//! come from RustCrypto's maintained crates, never written here; this module only frames them.
//! Pure: the caller brings the random nonce and the keys (ADR 0032).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use hmac::Mac;
use sm3::{Digest, Sm3};

type HmacSm3 = hmac::Hmac<Sm3>;
type Sm4Gcm = aes_gcm::AesGcm<sm4::Sm4, aes_gcm::aead::consts::U12>;

/// The prefix of a sealed value: `sm4gcm:v1:<key id>:<nonce>:<ciphertext+tag>` (base64).
pub const SEALED_PREFIX: &str = "sm4gcm:v1:";
/// The audit chain's algorithms, as stored per row.
pub const ALG_SHA256: &str = "sha256";
pub const ALG_HMAC_SM3: &str = "hmac-sm3";

/// What a sealed value reads as when its key is not in the ring.
pub const UNREADABLE: &str = "〔密钥缺失，无法解密〕";
/// The message when no key ring is loaded and a record must be written.
pub const NO_KEYS: &str =
    "未加载密钥（[security] key_file 或环境变量 YINGJI_KEYS），无法写入审计记录或加密个人信息";

/// SM4 of one 16-byte block (for the standard's test vector; data is sealed with `seal`).
pub fn sm4_encrypt_block(key: &[u8; 16], block: &[u8; 16]) -> [u8; 16] {
    use sm4::cipher::{BlockCipherEncrypt, KeyInit as _};
    let c = sm4::Sm4::new(key.into());
    let mut b = (*block).into();
    c.encrypt_block(&mut b);
    b.into()
}

/// SM3 of `data`, hex.
pub fn sm3_hex(data: &[u8]) -> String {
    hex::encode(Sm3::digest(data))
}

/// HMAC-SM3 of `data` under `key`, hex.
pub fn hmac_sm3_hex(key: &[u8], data: &[u8]) -> String {
    let mut m = <HmacSm3 as hmac::KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(data);
    hex::encode(m.finalize().into_bytes())
}

/// Whether a stored value is already sealed (the migration of plaintext rows skips it).
pub fn is_sealed(v: &str) -> bool {
    v.starts_with(SEALED_PREFIX)
}

/// Seals `plain` with SM4-GCM under the data key `key_id`; `nonce` must be fresh random bytes.
pub fn seal(key_id: &str, key: &[u8; 16], nonce: &[u8; 12], plain: &str) -> String {
    let c = Sm4Gcm::new(key.into());
    let ct = c
        .encrypt(
            nonce.into(),
            Payload {
                msg: plain.as_bytes(),
                aad: key_id.as_bytes(),
            },
        )
        .expect("SM4-GCM encrypts any short text");
    format!(
        "{SEALED_PREFIX}{key_id}:{}:{}",
        B64.encode(nonce),
        B64.encode(ct)
    )
}

/// Opens a sealed value with the ring; `None` when its key is not in the ring or it was altered.
pub fn open(ring: &KeyRing, sealed: &str) -> Option<String> {
    let rest = sealed.strip_prefix(SEALED_PREFIX)?;
    let mut parts = rest.splitn(3, ':');
    let (kid, nonce, ct) = (parts.next()?, parts.next()?, parts.next()?);
    let key = ring.data_key(kid)?;
    let nonce: [u8; 12] = B64.decode(nonce).ok()?.try_into().ok()?;
    let ct = B64.decode(ct).ok()?;
    let plain = Sm4Gcm::new(key.into())
        .decrypt(
            (&nonce).into(),
            Payload {
                msg: &ct,
                aad: kid.as_bytes(),
            },
        )
        .ok()?;
    String::from_utf8(plain).ok()
}

/// What a blind index is computed over: digits and letters only, upper case (so `138 1234-5678`
/// and `13812345678`, `x` and `X` in an ID number, find each other).
pub fn normalise_for_index(v: &str) -> String {
    v.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether a search text is a whole phone number (7 to 15 digits once spaces and dashes go), so a
/// search also tries the blind index of sealed phone columns.
pub fn looks_like_phone(v: &str) -> bool {
    let n = normalise_for_index(v);
    (7..=15).contains(&n.len()) && n.chars().all(|c| c.is_ascii_digit())
}

/// A key ring: the audit MAC keys, the data-encryption keys and the blind-index key, each with an
/// id. The last key of a kind is the current one; older ones stay to verify and decrypt old rows.
/// Text form, one key a line: `audit <id> <64 hex>`, `data <id> <32 hex>`, `index <id> <64 hex>`
/// (`#` comments; in `YINGJI_KEYS` lines may be separated by `;`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct KeyRing {
    pub audit: Vec<(String, [u8; 32])>,
    pub data: Vec<(String, [u8; 16])>,
    pub index: Vec<(String, [u8; 32])>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>().join(",");
        write!(
            f,
            "KeyRing(audit: {}; data: {}; index: {})",
            ids(self.audit.iter().map(|k| &k.0).collect()),
            ids(self.data.iter().map(|k| &k.0).collect()),
            ids(self.index.iter().map(|k| &k.0).collect())
        )
    }
}

fn key_bytes<const N: usize>(line: usize, hex_text: &str) -> Result<[u8; N], String> {
    hex::decode(hex_text)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| format!("密钥文件第{line}行：密钥应为{}位十六进制数", N * 2))
}

impl KeyRing {
    /// Reads the text form; the message names the line.
    pub fn parse(text: &str) -> Result<KeyRing, String> {
        let mut ring = KeyRing::default();
        for (i, line) in text.split(['\n', ';']).enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split_whitespace().collect();
            let [kind, id, key] = f[..] else {
                return Err(format!("密钥文件第{}行：应为“类别 编号 密钥”三项", i + 1));
            };
            if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(format!(
                    "密钥文件第{}行：密钥编号只能含字母、数字和“-”",
                    i + 1
                ));
            }
            let taken = ring.audit.iter().any(|k| k.0 == id)
                || ring.data.iter().any(|k| k.0 == id)
                || ring.index.iter().any(|k| k.0 == id);
            if taken {
                return Err(format!("密钥文件第{}行：密钥编号{id}重复", i + 1));
            }
            match kind {
                "audit" => ring.audit.push((id.into(), key_bytes(i + 1, key)?)),
                "data" => ring.data.push((id.into(), key_bytes(i + 1, key)?)),
                "index" => ring.index.push((id.into(), key_bytes(i + 1, key)?)),
                _ => {
                    return Err(format!(
                        "密钥文件第{}行：类别应为 audit、data 或 index",
                        i + 1
                    ));
                }
            }
        }
        Ok(ring)
    }

    /// The text form (what a generated key file holds).
    pub fn to_text(&self) -> String {
        let mut s = String::from(
            "# yingji key ring (ADR 0032): keep outside the database and outside its backups.\n",
        );
        for (id, k) in &self.audit {
            s += &format!("audit {id} {}\n", hex::encode(k));
        }
        for (id, k) in &self.data {
            s += &format!("data {id} {}\n", hex::encode(k));
        }
        for (id, k) in &self.index {
            s += &format!("index {id} {}\n", hex::encode(k));
        }
        s
    }

    /// Which kinds have no key yet (a fresh install generates them).
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m = vec![];
        if self.audit.is_empty() {
            m.push("audit");
        }
        if self.data.is_empty() {
            m.push("data");
        }
        if self.index.is_empty() {
            m.push("index");
        }
        m
    }

    /// Fills the missing kinds from `random` bytes (at least 80), with ids `<kind>-1`.
    pub fn fill_missing(&mut self, random: &[u8]) {
        let take = |o: usize, n: usize| random[o..o + n].to_vec();
        if self.audit.is_empty() {
            self.audit
                .push(("a1".into(), take(0, 32).try_into().unwrap_or([0; 32])));
        }
        if self.data.is_empty() {
            self.data
                .push(("d1".into(), take(32, 16).try_into().unwrap_or([0; 16])));
        }
        if self.index.is_empty() {
            self.index
                .push(("i1".into(), take(48, 32).try_into().unwrap_or([0; 32])));
        }
    }

    /// The next free id of a kind: `a2` after `a1`, and so on.
    pub fn next_id(&self, kind: &str) -> String {
        let (p, n) = match kind {
            "audit" => ("a", self.audit.len()),
            "data" => ("d", self.data.len()),
            _ => ("i", self.index.len()),
        };
        let taken: Vec<String> = self
            .audit
            .iter()
            .map(|k| k.0.clone())
            .chain(self.data.iter().map(|k| k.0.clone()))
            .chain(self.index.iter().map(|k| k.0.clone()))
            .collect();
        (n + 1..)
            .map(|i| format!("{p}{i}"))
            .find(|id| !taken.contains(id))
            .unwrap_or_default()
    }

    pub fn current_audit(&self) -> Option<&(String, [u8; 32])> {
        self.audit.last()
    }
    pub fn audit_key(&self, id: &str) -> Option<&[u8; 32]> {
        self.audit.iter().find(|k| k.0 == id).map(|k| &k.1)
    }
    pub fn current_data(&self) -> Option<&(String, [u8; 16])> {
        self.data.last()
    }
    pub fn data_key(&self, id: &str) -> Option<&[u8; 16]> {
        self.data.iter().find(|k| k.0 == id).map(|k| &k.1)
    }

    /// The blind index of a value (HMAC-SM3 under the first index key, which never rotates: a new
    /// index key would need every index recomputed), or `None` without an index key.
    pub fn blind_index(&self, v: &str) -> Option<String> {
        let (_, k) = self.index.first()?;
        Some(hmac_sm3_hex(k, normalise_for_index(v).as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> KeyRing {
        KeyRing::parse(&format!(
            "audit a1 {}\ndata d1 {}\nindex i1 {}",
            "11".repeat(32),
            "22".repeat(16),
            "33".repeat(32)
        ))
        .expect("ring")
    }

    #[test]
    fn sm3_standard_vector() {
        // GB/T 32905-2016 appendix A.1.
        assert_eq!(
            sm3_hex(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn sm4_standard_vector() {
        // GB/T 32907-2016 appendix A, example 1.
        let k: [u8; 16] = hex::decode("0123456789abcdeffedcba9876543210")
            .expect("hex")
            .try_into()
            .expect("16");
        assert_eq!(
            hex::encode(sm4_encrypt_block(&k, &k)),
            "681edf34d206965e86b3e94f536e4246"
        );
    }

    #[test]
    fn seal_and_open() {
        let r = ring();
        let (id, k) = r.current_data().expect("data key").clone();
        let s = seal(&id, &k, &[7; 12], "13812345678");
        assert!(is_sealed(&s) && !s.contains("13812345678"));
        assert_eq!(open(&r, &s).as_deref(), Some("13812345678"));
        let mut bad = s.clone();
        bad.pop();
        bad.push('A');
        assert_eq!(open(&r, &bad), None);
        assert_eq!(open(&KeyRing::default(), &s), None);
    }

    #[test]
    fn ring_text_round_trip_and_errors() {
        let r = ring();
        assert_eq!(KeyRing::parse(&r.to_text()).expect("parse"), r);
        assert!(KeyRing::parse("audit a1 12").is_err());
        assert!(KeyRing::parse("foo a1 12").is_err());
        assert_eq!(r.next_id("audit"), "a2");
        assert!(format!("{r:?}").find("1111").is_none());
    }

    #[test]
    fn blind_index_normalises() {
        let r = ring();
        assert_eq!(r.blind_index("138 1234-5678"), r.blind_index("13812345678"));
        assert_ne!(r.blind_index("13812345678"), r.blind_index("13812345679"));
    }
}
