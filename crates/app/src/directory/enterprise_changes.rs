//! 企业信息变更: deciding a proposed change of an enterprise's supervised fields, in one
//! transaction.

use yingji_core::directory::enterprise_change::{ONLY_SUPERVISORS, check_decision};
use yingji_store::directory::enterprise_changes::{self, DecisionInput, EnterpriseChange};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

/// 确认 or 驳回 a pending proposal.
pub async fn decide(
    store: &Store,
    now: i64,
    ctx: &Ctx,
    enterprise_id: &str,
    change_id: &str,
    input: &DecisionInput,
) -> StoreResult<EnterpriseChange> {
    if !ctx.role.can_create_enterprises() {
        return Err(StoreError::Forbidden(ONLY_SUPERVISORS.into()));
    }
    let d = check_decision(input)?;
    let (e, change) =
        enterprise_changes::decidable(store, &ctx.scope, enterprise_id, change_id, d.confirm)
            .await?;
    let mut tx = store.begin().await?;
    enterprise_changes::decide_in(&mut tx, now, &ctx.actor, &e, &change, d.confirm, d.note).await?;
    tx.commit().await?;
    enterprise_changes::get_change(store, change_id).await
}
