//! 事故预防服务: an insurer records what it did for one of its policyholders.

use yingji_core::credit::insurance::owning_insurer;
use yingji_core::credit::prevention_services::{
    NOT_A_POLICYHOLDER, NOT_A_SERVICE_WRITER, ServiceInput, check_service, may_record,
};
use yingji_core::kernel::clock::today;
use yingji_core::kernel::photo::Size;
use yingji_store::credit::insurance;
use yingji_store::credit::prevention_services::{self, Service};
use yingji_store::kernel::Ctx;
use yingji_store::kernel::attachments;
use yingji_store::{Store, StoreError, StoreResult, new_id};

pub async fn record(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &ServiceInput,
) -> StoreResult<Service> {
    if !may_record(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_SERVICE_WRITER.into()));
    }
    let checked = check_service(input, today(now_ms))?;
    let insurer_id = owning_insurer(&ctx.scope, input.insurer_id.as_deref())
        .map_err(|(f, m)| StoreError::invalid(f, m))?;
    let enterprise_id = input.enterprise_id.trim();
    if !insurance::is_policyholder(store, &insurer_id, enterprise_id).await? {
        return Err(StoreError::invalid("enterprise_id", NOT_A_POLICYHOLDER));
    }
    for (i, a) in checked.attachment_ids.iter().enumerate() {
        let ok = attachments::get(store, a, Size::Original)
            .await
            .is_ok_and(|s| s.uploaded_by.as_deref() == Some(ctx.user_id.as_str()));
        if !ok {
            return Err(StoreError::invalid(
                "attachment_ids",
                format!("第{}个附件不存在", i + 1),
            ));
        }
    }
    let name = insurance::enterprise_for_policy(store, &ctx.scope, Some(enterprise_id), None)
        .await?
        .1;
    let id = new_id();
    let mut tx = store.begin().await?;
    prevention_services::create_in(
        &mut tx,
        ctx,
        now_ms,
        &id,
        &insurer_id,
        (enterprise_id, &name),
        &checked,
    )
    .await?;
    tx.commit().await?;
    prevention_services::get(store, ctx, &id).await
}
