//! 关键岗位人员: the enterprise keeps its own, its supervising department may too; each write
//! audited in its transaction.

use yingji_core::credit::key_people::{
    KeyPersonInput, NOT_A_PEOPLE_KEEPER, check_key_person, post_label,
};
use yingji_core::credit::licences::{may_decide, may_propose, summary};
use yingji_store::credit::key_people::{self, KeyPerson};
use yingji_store::directory::enterprises;
use yingji_store::kernel::Ctx;
use yingji_store::kernel::audit::{self, Change};
use yingji_store::{Store, StoreError, StoreResult};

fn keeper(ctx: &Ctx) -> StoreResult<()> {
    if may_propose(ctx.role) || may_decide(ctx.role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(NOT_A_PEOPLE_KEEPER.into()))
    }
}

/// Adds (`id` None) or changes a key person of an enterprise the caller may see.
pub async fn save(
    store: &Store,
    now: i64,
    ctx: &Ctx,
    enterprise_id: &str,
    id: Option<&str>,
    input: &KeyPersonInput,
) -> StoreResult<KeyPerson> {
    keeper(ctx)?;
    let e = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    if let Some(id) = id {
        key_people::get(store, &e.id, id).await?;
    }
    let p = check_key_person(input)?;
    let what = format!("{} {}", post_label(&p.post), p.name);
    let mut tx = store.begin().await?;
    let saved = key_people::save_in(&mut tx, now, &e.id, id, &p).await?;
    let s = summary("登记关键岗位人员", &e.name, &what);
    audit::append(
        &mut tx,
        now,
        &ctx.actor,
        Change::of("credit.key_person_save", "credit_key_person", &saved, s),
    )
    .await?;
    tx.commit().await?;
    key_people::get(store, &e.id, &saved).await
}

/// Removes a key person of an enterprise the caller may see.
pub async fn delete(
    store: &Store,
    now: i64,
    ctx: &Ctx,
    enterprise_id: &str,
    id: &str,
) -> StoreResult<()> {
    keeper(ctx)?;
    let e = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    let p = key_people::get(store, &e.id, id).await?;
    let mut tx = store.begin().await?;
    key_people::delete_in(&mut tx, &e.id, id).await?;
    let s = summary(
        "删除关键岗位人员",
        &e.name,
        &format!("{} {}", p.post_label, p.name),
    );
    audit::append(
        &mut tx,
        now,
        &ctx.actor,
        Change::of("credit.key_person_delete", "credit_key_person", id, s),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
