//! 重大事故隐患判定标准: a district's edit of an item, in one transaction with its audit record.
//! The seeding of the shipped lists stays in the store: migrate runs it.

use yingji_core::kernel::validation::required_text;
use yingji_store::prevention::criteria::{self, CriterionRow};
use yingji_store::{Actor, Store, StoreError, StoreResult};

/// Edits an item's text or switches it off (items are never deleted: hazards cite them).
pub async fn update(
    store: &Store,
    actor: &Actor,
    now_ms: i64,
    code: &str,
    text: &str,
    active: bool,
) -> StoreResult<CriterionRow> {
    let text = required_text("条款内容", text, 1000).map_err(|m| StoreError::invalid("text", m))?;
    let mut tx = store.begin().await?;
    let row = criteria::update_in(&mut tx, actor, now_ms, code, text, active).await?;
    tx.commit().await?;
    Ok(row)
}
