//! 防汛与地灾: keeping an object's duty persons and filing patrol logs, each in one transaction.

use yingji_core::disasters::flood::{
    FloodDutyPersonInput, FloodPatrolInput, check_duty_persons, check_patrol,
};
use yingji_store::disasters::flood::{self, DutyObject};
use yingji_store::disasters::patrol_logs::{self, PatrolLog};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreResult};

/// Replaces the duty persons of object `id` (a reservoir, dike, 山洪危险区 or 地灾隐患点).
pub async fn save_duty(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    persons: &[FloodDutyPersonInput],
) -> StoreResult<DutyObject> {
    let object = flood::duty_object(store, ctx, id, "id").await?;
    let checked = check_duty_persons(&object.kind, persons)?;
    flood::check_accounts(store, &checked).await?;
    let mut tx = store.begin().await?;
    flood::save_in(&mut tx, ctx, now_ms, &object, &checked).await?;
    tx.commit().await?;
    flood::get(store, ctx, id).await
}

/// Files a 巡查 log from the phone page.
pub async fn file_patrol(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &FloodPatrolInput,
) -> StoreResult<PatrolLog> {
    let object = flood::duty_object(store, ctx, &input.object_id, "object_id").await?;
    let checked = check_patrol(input, now_ms)?;
    let mut tx = store.begin().await?;
    let id =
        patrol_logs::file_in(&mut tx, ctx, now_ms, &object, &checked, &input.attachments).await?;
    tx.commit().await?;
    patrol_logs::get(store, ctx, &id).await
}

/// The 责任人公示牌 of object `id` as a PDF: (object, bytes).
pub async fn board_pdf(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
) -> StoreResult<(DutyObject, Vec<u8>)> {
    let o = flood::get(store, ctx, id).await?;
    let district = flood::district_name(store, &o.region_code).await?;
    let authority = format!("{district}防汛抗旱指挥部");
    let board = yingji_core::disasters::flood_board::Board {
        authority: &authority,
        object_name: &o.name,
        kind_label: &o.kind_label,
        address: &o.address,
        street_name: &o.street_name,
        persons: o
            .persons
            .iter()
            .map(|p| {
                (
                    p.duty_label.clone(),
                    p.name.clone(),
                    p.post.clone(),
                    p.phone.clone(),
                )
            })
            .collect(),
        day: yingji_core::kernel::clock::today(now_ms),
    };
    let bytes = yingji_core::disasters::flood_board::pdf(&board)
        .map_err(|e| yingji_store::StoreError::Db(sqlx_other(e)))?;
    Ok((o, bytes))
}

fn sqlx_other(e: String) -> yingji_store::sqlx::Error {
    yingji_store::sqlx::Error::Protocol(format!("公示牌生成失败：{e}"))
}
