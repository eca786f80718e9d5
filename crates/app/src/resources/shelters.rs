//! 避难场所: opening and closing a shelter and the people checked in and out, each in one
//! transaction; registering and editing a shelter are register writes (`registers`).

use yingji_store::kernel::Ctx;
use yingji_store::resources::{self, Shelter, ShelterMovementInput};
use yingji_store::{Store, StoreResult};

/// 开放 / 关闭 / 入住 / 离开: checked against the shelter as read; occupancy moves by a guarded
/// update inside the transaction.
pub async fn shelter_movement(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &ShelterMovementInput,
) -> StoreResult<Shelter> {
    let c = resources::check_shelter_movement(store, ctx, id, input).await?;
    let mut tx = store.begin().await?;
    resources::shelter_movement_in(&mut tx, ctx, now_ms, input, &c).await?;
    tx.commit().await?;
    resources::get_shelter(store, &ctx.scope, id).await
}
