//! The audit trail is hash-chained: each record's hash covers its own fields and the previous
//! record's hash, so editing or deleting any record breaks every hash after it. Since ADR 0032 the
//! chain is keyed: a record's hash is HMAC-SM3 under an audit key kept outside the database (its id
//! stored with the record), so someone who can write the database cannot recompute the chain.
//! Records written before that keep their plain SHA-256 and stay verifiable up to the sealed
//! legacy boundary; after it a SHA-256 record is a break (a downgrade).

use super::gm::{ALG_HMAC_SM3, ALG_SHA256, KeyRing, hmac_sm3_hex};
use sha2::{Digest, Sha256};

/// The hash the first record chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit record as it is hashed and stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AuditRecord {
    pub seq: i64,
    pub at_ms: i64,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<String>,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub ip: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    /// `sha256` (records before ADR 0032) or `hmac-sm3`.
    pub alg: String,
    /// The audit key's id for `hmac-sm3`.
    pub key_id: Option<String>,
}

impl AuditRecord {
    /// The hash of this record's content chained to `prev_hash`. Each field is length-prefixed
    /// so that moving text from one field to the next changes the hash.
    pub fn compute_hash(&self) -> String {
        hex::encode(Sha256::digest(self.canonical()))
    }

    /// HMAC-SM3 under the audit key of the same canonical bytes (which end with `prev_hash`).
    pub fn compute_mac(&self, key: &[u8]) -> String {
        hmac_sm3_hex(key, &self.canonical())
    }

    /// The hash this record should carry under its own algorithm, or `None` when its key is not
    /// in the ring (or the algorithm is unknown).
    pub fn expected_hash(&self, ring: &KeyRing) -> Option<String> {
        match self.alg.as_str() {
            ALG_SHA256 => Some(self.compute_hash()),
            ALG_HMAC_SM3 => Some(self.compute_mac(ring.audit_key(self.key_id.as_deref()?)?)),
            _ => None,
        }
    }

    /// Each field length-prefixed, in a fixed order, ending with the previous record's hash.
    pub fn canonical(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(256);
        let mut field = |s: &str| {
            h.extend_from_slice(&(s.len() as u64).to_be_bytes());
            h.extend_from_slice(s.as_bytes());
        };
        field(&self.seq.to_string());
        field(&self.at_ms.to_string());
        field(self.actor_id.as_deref().unwrap_or("\u{0}"));
        field(&self.actor_name);
        field(&self.action);
        field(&self.entity_type);
        field(self.entity_id.as_deref().unwrap_or("\u{0}"));
        field(&self.summary);
        field(self.before.as_deref().unwrap_or("\u{0}"));
        field(self.after.as_deref().unwrap_or("\u{0}"));
        field(self.ip.as_deref().unwrap_or("\u{0}"));
        field(&self.prev_hash);
        h
    }

    /// The legacy boundary's seal: HMAC-SM3 under an audit key of the last sequence number that may
    /// carry a plain SHA-256 hash.
    pub fn seal_of_legacy(key: &[u8], legacy_until: i64) -> String {
        hmac_sm3_hex(
            key,
            format!("yingji-audit-legacy-until:{legacy_until}").as_bytes(),
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ChainBreak {
    pub seq: i64,
    pub reason: String,
}

/// Walks records in `seq` order and reports the first one that does not fit the chain.
/// `expected_prev` is the hash the first given record must chain to (GENESIS for the start).
pub struct ChainVerifier<'a> {
    expected_prev: String,
    expected_seq: Option<i64>,
    pub checked: u64,
    ring: &'a KeyRing,
    /// Records up to this sequence number may carry plain SHA-256 (written before ADR 0032).
    legacy_until: i64,
}

impl<'a> ChainVerifier<'a> {
    pub fn new(ring: &'a KeyRing, legacy_until: i64) -> Self {
        Self {
            expected_prev: GENESIS.to_string(),
            expected_seq: Some(1),
            checked: 0,
            ring,
            legacy_until,
        }
    }

    pub fn check(&mut self, r: &AuditRecord) -> Result<(), ChainBreak> {
        let fail = |reason: &str| {
            Err(ChainBreak {
                seq: r.seq,
                reason: reason.to_string(),
            })
        };
        if let Some(seq) = self.expected_seq
            && r.seq != seq
        {
            return fail(&format!(
                "序号不连续：应为{seq}，实际为{}（记录被删除或插入）",
                r.seq
            ));
        }
        if r.prev_hash != self.expected_prev {
            return fail("前序哈希与上一条记录不符（上一条记录被删除或修改）");
        }
        if r.alg != ALG_HMAC_SM3 && r.seq > self.legacy_until {
            return fail("记录未用审计密钥计算（HMAC-SM3），链被无密钥地重算或降级");
        }
        match r.expected_hash(self.ring) {
            None if r.alg == ALG_HMAC_SM3 => {
                return fail(&format!(
                    "缺少审计密钥{}，无法校验（请加载密钥文件）",
                    r.key_id.as_deref().unwrap_or("（空）")
                ));
            }
            Some(h) if h == r.hash => {}
            _ => return fail("记录内容与其哈希不符（记录被修改，或链被无密钥地重算）"),
        }
        self.expected_prev = r.hash.clone();
        self.expected_seq = Some(r.seq + 1);
        self.checked += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> KeyRing {
        KeyRing::parse(&format!("audit a1 {}", "ab".repeat(32))).expect("ring")
    }

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut r = AuditRecord {
                    seq,
                    at_ms: 1000 * seq,
                    actor_id: Some("u1".into()),
                    actor_name: "admin".into(),
                    action: "update".into(),
                    entity_type: "enterprise".into(),
                    entity_id: Some(format!("e{seq}")),
                    summary: "修改企业".into(),
                    before: Some("{}".into()),
                    after: Some("{\"a\":1}".into()),
                    ip: None,
                    prev_hash: prev.clone(),
                    hash: String::new(),
                    alg: ALG_HMAC_SM3.into(),
                    key_id: Some("a1".into()),
                };
                r.hash = r.compute_mac(&[0xab; 32]);
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn first_break(records: &[AuditRecord]) -> Option<i64> {
        let ring = ring();
        let mut v = ChainVerifier::new(&ring, 0);
        records.iter().find_map(|r| v.check(r).err()).map(|b| b.seq)
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(first_break(&chain(5)), None);
    }

    #[test]
    fn modified_record_is_named() {
        let mut c = chain(5);
        c[2].after = Some("{\"a\":2}".into());
        assert_eq!(first_break(&c), Some(3));
    }

    #[test]
    fn deleted_record_is_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(first_break(&c), Some(3));
    }

    #[test]
    fn recomputed_without_the_key_is_found() {
        let mut c = chain(3);
        for i in 0..3 {
            c[i].prev_hash = if i == 0 {
                GENESIS.into()
            } else {
                c[i - 1].hash.clone()
            };
            c[i].hash = super::super::gm::sm3_hex(&c[i].canonical());
        }
        assert_eq!(first_break(&c), Some(1));
        c[0].alg = ALG_SHA256.into();
        c[0].hash = c[0].compute_hash();
        assert_eq!(first_break(&c), Some(1));
        let ring = ring();
        let mut v = ChainVerifier::new(&ring, 1);
        assert!(v.check(&c[0]).is_ok());
    }

    #[test]
    fn without_the_key_nothing_verifies() {
        let c = chain(1);
        let empty = KeyRing::default();
        assert!(ChainVerifier::new(&empty, 0).check(&c[0]).is_err());
    }

    #[test]
    fn field_boundaries_matter() {
        let c = chain(1);
        let mut moved = c[0].clone();
        moved.actor_name = "adminupdate".into();
        moved.action = String::new();
        assert_ne!(moved.compute_hash(), c[0].hash);
    }
}
