//! The audit trail is hash-chained: each record's hash covers its own fields and the previous
//! record's hash, so editing or deleting any record breaks every hash after it.

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
}

impl AuditRecord {
    /// The hash of this record's content chained to `prev_hash`. Each field is length-prefixed
    /// so that moving text from one field to the next changes the hash.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
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
        hex::encode(h.finalize())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ChainBreak {
    pub seq: i64,
    pub reason: String,
}

/// Walks records in `seq` order and reports the first one that does not fit the chain.
/// `expected_prev` is the hash the first given record must chain to (GENESIS for the start).
pub struct ChainVerifier {
    expected_prev: String,
    expected_seq: Option<i64>,
    pub checked: u64,
}

impl ChainVerifier {
    pub fn new() -> Self {
        Self {
            expected_prev: GENESIS.to_string(),
            expected_seq: Some(1),
            checked: 0,
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
        if r.compute_hash() != r.hash {
            return fail("记录内容与其哈希不符（记录被修改）");
        }
        self.expected_prev = r.hash.clone();
        self.expected_seq = Some(r.seq + 1);
        self.checked += 1;
        Ok(())
    }
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                };
                r.hash = r.compute_hash();
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn first_break(records: &[AuditRecord]) -> Option<i64> {
        let mut v = ChainVerifier::new();
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
    fn field_boundaries_matter() {
        let c = chain(1);
        let mut moved = c[0].clone();
        moved.actor_name = "adminupdate".into();
        moved.action = String::new();
        assert_ne!(moved.compute_hash(), c[0].hash);
    }
}
