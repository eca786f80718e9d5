//! 送达: recording the 送达回执 of a document, in one transaction with its audit record — the
//! enterprise signs for a document served on it (name and drawn signature); the issuing side
//! records 留置送达, 邮寄送达 or 电子送达 on a document it sees.

use super::inspections::png_of_caller;
use yingji_core::enforcement::receipt::{self as rules, NO_PARTY, ReceiptInput, SUPERSEDED};
use yingji_store::enforcement::receipts::{self, Receipt};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

/// Records how a document was served; answers the receipt. A second receipt of the same
/// version is 409, a document the caller may not serve 403 or 404; bad input stores nothing.
pub async fn serve(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    document_id: &str,
    input: &ReceiptInput,
) -> StoreResult<Receipt> {
    rules::may_record(ctx.role, input.method.trim())
        .map_err(|m| StoreError::Forbidden(m.into()))?;
    let target = receipts::target(store, ctx, document_id).await?;
    let checked = rules::check_receipt(input)?;
    let Some(enterprise_id) = target.enterprise_id.clone() else {
        return Err(StoreError::conflict("document_id", NO_PARTY));
    };
    if target.superseded {
        return Err(StoreError::conflict("document_id", SUPERSEDED));
    }
    if receipts::of_document(store, document_id).await?.is_some() {
        return Err(StoreError::conflict("document_id", rules::ALREADY_SERVED));
    }
    if let Some(image) = &checked.image_id {
        png_of_caller(store, ctx, image).await?;
    }
    let mut tx = store.begin().await?;
    receipts::create_in(&mut tx, ctx, now_ms, &target, &enterprise_id, &checked).await?;
    tx.commit().await?;
    receipts::of_document(store, document_id)
        .await?
        .ok_or(StoreError::NotFound)
}
