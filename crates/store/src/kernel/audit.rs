//! The append-only, hash-chained audit log. `append` runs inside the caller's transaction, so a
//! change and its record commit together or not at all.

use crate::{Actor, Page, Sql, Store, StoreResult, Tx};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::audit::{AuditRecord, ChainBreak, ChainVerifier};
use yingji_core::kernel::gm::{ALG_HMAC_SM3, KeyRing};

pub struct Change<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<&'a str>,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Change<'a> {
    /// A change told by its summary alone (no before/after snapshots).
    pub fn of(action: &'a str, entity_type: &'a str, entity_id: &'a str, summary: String) -> Self {
        Self {
            action,
            entity_type,
            entity_id: Some(entity_id),
            summary,
            before: None,
            after: None,
        }
    }
}

pub async fn append(
    tx: &mut Tx,
    now_ms: i64,
    actor: &Actor,
    change: Change<'_>,
) -> StoreResult<i64> {
    // Taking the head row's lock first serialises appends (PostgreSQL row lock; SQLite holds
    // the database write lock from BEGIN IMMEDIATE).
    let head = Sql::new("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(tx)
        .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev_hash: String = head.try_get("hash")?;
    let ring = super::keys::ring()?;
    let (key_id, key) = ring.current_audit().ok_or_else(|| {
        crate::StoreError::invalid("security.key_file", yingji_core::kernel::gm::NO_KEYS)
    })?;
    let mut rec = AuditRecord {
        seq,
        at_ms: now_ms,
        actor_id: actor.user_id.clone(),
        actor_name: actor.name.clone(),
        action: change.action.to_string(),
        entity_type: change.entity_type.to_string(),
        entity_id: change.entity_id.map(str::to_string),
        summary: change.summary,
        before: change.before.map(|v| v.to_string()),
        after: change.after.map(|v| v.to_string()),
        ip: actor.ip.clone(),
        prev_hash,
        hash: String::new(),
        alg: ALG_HMAC_SM3.to_string(),
        key_id: Some(key_id.clone()),
    };
    rec.hash = rec.compute_mac(key);
    let mut ins = Sql::new(
        "INSERT INTO audit_log (seq, at_ms, actor_id, actor_name, action, entity_type, entity_id, summary, before_json, after_json, ip, prev_hash, hash, alg, key_id) VALUES ",
    );
    ins.values(vec![
        rec.seq.into(),
        rec.at_ms.into(),
        rec.actor_id.clone().into(),
        rec.actor_name.clone().into(),
        rec.action.clone().into(),
        rec.entity_type.clone().into(),
        rec.entity_id.clone().into(),
        rec.summary.clone().into(),
        rec.before.clone().into(),
        rec.after.clone().into(),
        rec.ip.clone().into(),
        rec.prev_hash.clone().into(),
        rec.hash.clone().into(),
        rec.alg.clone().into(),
        rec.key_id.clone().into(),
    ]);
    ins.execute(tx).await?;
    let mut h = Sql::new("UPDATE audit_head SET hash = ");
    h.bind(rec.hash).push(" WHERE id = 1");
    h.execute(tx).await?;
    Ok(seq)
}

fn record(r: &AnyRow) -> StoreResult<AuditRecord> {
    Ok(AuditRecord {
        seq: r.try_get("seq")?,
        at_ms: r.try_get("at_ms")?,
        actor_id: r.try_get("actor_id")?,
        actor_name: r.try_get("actor_name")?,
        action: r.try_get("action")?,
        entity_type: r.try_get("entity_type")?,
        entity_id: r.try_get("entity_id")?,
        summary: r.try_get("summary")?,
        before: r.try_get("before_json")?,
        after: r.try_get("after_json")?,
        ip: r.try_get("ip")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
        alg: r.try_get("alg")?,
        key_id: r.try_get("key_id")?,
    })
}

const COLUMNS: &str = "seq, at_ms, actor_id, actor_name, action, entity_type, entity_id, summary, before_json, after_json, ip, prev_hash, hash, alg, key_id";

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub q: Option<String>,
}

pub async fn list(
    store: &Store,
    f: &AuditFilter,
    page: Page,
) -> StoreResult<(Vec<AuditRecord>, i64)> {
    let mut w = Sql::new(" FROM audit_log WHERE 1 = 1");
    if let Some(a) = &f.actor {
        w.push_bind(" AND (actor_name = ", a)
            .push_bind(" OR actor_id = ", a)
            .push(")");
    }
    if let Some(a) = &f.action {
        w.push_bind(" AND action = ", a);
    }
    if let Some(t) = &f.entity_type {
        w.push_bind(" AND entity_type = ", t);
    }
    if let Some(id) = &f.entity_id {
        w.push_bind(" AND entity_id = ", id);
    }
    if let Some(from) = f.from_ms {
        w.push_bind(" AND at_ms >= ", from);
    }
    if let Some(to) = f.to_ms {
        w.push_bind(" AND at_ms < ", to);
    }
    if let Some(q) = &f.q {
        w.push_bind(" AND summary LIKE ", crate::db::like_contains(q))
            .push(" ESCAPE '\\'");
    }
    let mut count = Sql {
        text: format!("SELECT COUNT(*){}", w.text),
        args: w.args.clone(),
    };
    let total = store.fetch_i64(std::mem::take(&mut count)).await?;
    let mut q = Sql {
        text: format!("SELECT {COLUMNS}{} ORDER BY seq DESC", w.text),
        args: w.args,
    };
    page.push_limit(&mut q);
    let rows = store.fetch_all(q).await?;
    Ok((rows.iter().map(record).collect::<StoreResult<_>>()?, total))
}

#[derive(Debug, Serialize)]
pub struct VerifyReport {
    pub checked: u64,
    pub first_break: Option<ChainBreak>,
}

/// Checks the whole chain in `seq` order, in batches, and names the first broken record. Needs
/// the audit keys: without them (or with a legacy boundary whose seal does not hold) the first
/// keyed record is reported broken.
pub async fn verify(store: &Store, ring: &KeyRing) -> StoreResult<VerifyReport> {
    let legacy_until = match legacy_boundary(store, ring).await? {
        Ok(n) => n,
        Err(first_break) => {
            return Ok(VerifyReport {
                checked: 0,
                first_break: Some(first_break),
            });
        }
    };
    let mut v = ChainVerifier::new(ring, legacy_until);
    let mut after = 0i64;
    loop {
        let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM audit_log WHERE seq > "));
        q.bind(after).push(" ORDER BY seq LIMIT 2000");
        let rows = store.fetch_all(q).await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let rec = record(r)?;
            if let Err(b) = v.check(&rec) {
                return Ok(VerifyReport {
                    checked: v.checked,
                    first_break: Some(b),
                });
            }
            after = rec.seq;
        }
    }
    // A deleted tail is caught by the head, which remembers the last sequence number.
    let head = store
        .fetch_optional(Sql::new("SELECT seq FROM audit_head WHERE id = 1"))
        .await?;
    if let Some(h) = head {
        let seq: i64 = h.try_get("seq")?;
        if seq != after {
            return Ok(VerifyReport {
                checked: v.checked,
                first_break: Some(ChainBreak {
                    seq: after + 1,
                    reason: yingji_core::kernel::wording::chain_tail_missing(seq, after),
                }),
            });
        }
    }
    Ok(VerifyReport {
        checked: v.checked,
        first_break: None,
    })
}

/// The last sequence number that may carry plain SHA-256, if its seal holds under the ring's key.
async fn legacy_boundary(store: &Store, ring: &KeyRing) -> StoreResult<Result<i64, ChainBreak>> {
    let head = store
        .fetch_optional(Sql::new(
            "SELECT legacy_until, legacy_key_id, legacy_seal FROM audit_head WHERE id = 1",
        ))
        .await?;
    let Some(h) = head else { return Ok(Ok(0)) };
    let until: Option<i64> = h.try_get("legacy_until")?;
    let key_id: Option<String> = h.try_get("legacy_key_id")?;
    let seal: Option<String> = h.try_get("legacy_seal")?;
    let broken = |reason: &str| {
        Ok(Err(ChainBreak {
            seq: until.unwrap_or(0) + 1,
            reason: reason.to_string(),
        }))
    };
    let (Some(until), Some(key_id), Some(seal)) = (until, key_id, seal) else {
        return broken("审计链的起点封印缺失（启动时封印，缺失说明被改动）");
    };
    let Some(key) = ring.audit_key(&key_id) else {
        return broken(&format!("缺少审计密钥{key_id}，无法校验（请加载密钥文件）"));
    };
    if AuditRecord::seal_of_legacy(key, until) != seal {
        return broken("审计链的起点封印与密钥不符（封印被改动）");
    }
    Ok(Ok(until))
}

/// At start: seals the legacy boundary once (records so far may keep plain SHA-256) under the
/// current audit key, with an audit record saying so. Answers the boundary when sealed now.
pub async fn seal_legacy_in(tx: &mut Tx, now_ms: i64) -> StoreResult<Option<i64>> {
    let ring = super::keys::ring()?;
    let Some((key_id, key)) = ring.current_audit() else {
        return Ok(None);
    };
    let head = Sql::new("SELECT seq, legacy_seal FROM audit_head WHERE id = 1")
        .fetch_optional(tx)
        .await?;
    let Some(head) = head else { return Ok(None) };
    if head.try_get::<Option<String>, _>("legacy_seal")?.is_some() {
        return Ok(None);
    }
    let until: i64 = head.try_get("seq")?;
    let mut u = Sql::new("UPDATE audit_head SET legacy_until = ");
    u.bind(until)
        .push_bind(", legacy_key_id = ", key_id.clone())
        .push_bind(", legacy_seal = ", AuditRecord::seal_of_legacy(key, until))
        .push(" WHERE id = 1 AND legacy_seal IS NULL");
    u.execute(tx).await?;
    let summary = yingji_core::kernel::wording::audit_sealed(until, key_id);
    append(
        tx,
        now_ms,
        &crate::Actor::system("系统"),
        Change::of("audit.seal", "audit_log", "1", summary),
    )
    .await?;
    Ok(Some(until))
}
