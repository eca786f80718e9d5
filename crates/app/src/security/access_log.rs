//! 等保 安全审计 of reads: exports of personal data and reads of a 特殊群体's record go to the
//! audit chain like any change (GB/T 22239-2019 8.1.4.3 a: 审计覆盖到每个用户, 对重要的用户行为
//! 进行审计), and so does the 安全审计员's own work on the audit log (8.1.5.2 a). The wording is
//! core's (`security::audit_events`).

use yingji_core::security::audit_events as words;
use yingji_store::kernel::audit::{self, Change};
use yingji_store::{Actor, Store, StoreResult};

/// An export of personal data: which export (`what`, e.g. "专家名单") and how many rows.
pub async fn record_export(
    store: &Store,
    now: i64,
    actor: &Actor,
    (what, rows): (&str, usize),
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    let change = Change {
        action: words::EXPORT_PERSONAL,
        entity_type: "export",
        entity_id: None,
        summary: words::export_summary(what, rows),
        before: None,
        after: Some(serde_json::json!({"export": what, "rows": rows})),
    };
    audit::append(&mut tx, now, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

/// Reads of 特殊群体 records (`ids`, with their personal data shown); nothing is written for
/// none.
pub async fn record_personal_reads(
    store: &Store,
    now: i64,
    actor: &Actor,
    ids: &[String],
) -> StoreResult<()> {
    let Some(first) = ids.first() else {
        return Ok(());
    };
    let mut tx = store.begin().await?;
    let change = Change {
        action: words::READ_PERSONAL,
        entity_type: "protected_object",
        entity_id: (ids.len() == 1).then_some(first.as_str()),
        summary: words::personal_read_summary(ids.len()),
        before: None,
        after: Some(serde_json::json!({"ids": ids})),
    };
    audit::append(&mut tx, now, actor, change).await?;
    tx.commit().await?;
    Ok(())
}

/// The 安全审计员's own work on the audit log (`action`: one of `words::AUDIT_*`), recorded in
/// the chain it reads.
pub async fn record_audit_work(
    store: &Store,
    now: i64,
    actor: &Actor,
    (action, summary): (&'static str, String),
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    let change = Change {
        action,
        entity_type: "audit_log",
        entity_id: None,
        summary,
        before: None,
        after: None,
    };
    audit::append(&mut tx, now, actor, change).await?;
    tx.commit().await?;
    Ok(())
}
