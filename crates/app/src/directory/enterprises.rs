//! 企业: registering, changing and deleting enterprises, and importing them, each in one
//! transaction. An enterprise user's edit of the supervised fields becomes a proposal
//! (enterprise_changes) written in the same transaction as the edit.

use yingji_core::directory::access::{Before, check_edit, covers_enterprise};
use yingji_core::directory::enterprise::{EnterpriseFields, EnterpriseInput};
use yingji_core::directory::enterprise_wording as words;
use yingji_core::directory::import::{self as sheet, ImportMode, Known, ParsedImport, RowError};
use yingji_core::kernel::role::{Role, Scope};
use yingji_store::directory::enterprise_changes;
use yingji_store::directory::enterprises::{self, Enterprise};
use yingji_store::kernel::Ctx;
use yingji_store::{Actor, Store, StoreError, StoreResult, new_id};

/// Whether `role` may 新增, 删除 or 导入 enterprises; the refusal if not.
pub fn may_create(role: Role) -> StoreResult<()> {
    if role.can_create_enterprises() {
        Ok(())
    } else {
        Err(StoreError::Forbidden(words::CREATE_DENIED.into()))
    }
}

/// 新增企业 inside the caller's scope.
pub async fn create(
    store: &Store,
    now: i64,
    ctx: &Ctx,
    input: &EnterpriseInput,
) -> StoreResult<Enterprise> {
    may_create(ctx.role)?;
    let f = input.validate()?;
    if !covers_enterprise(&ctx.scope, &f.grid_code, &f.categories) {
        return Err(StoreError::Forbidden(words::CREATE_OUT_OF_SCOPE.into()));
    }
    let id = new_id();
    let mut tx = store.begin().await?;
    enterprises::create_in(&mut tx, now, &ctx.actor, &id, &f).await?;
    tx.commit().await?;
    enterprises::get(store, &Scope::All, &id).await
}

/// 修改企业 `id`. An enterprise user's own edit keeps the supervised fields and proposes their
/// change (企业信息变更) for its department to confirm.
pub async fn update(
    store: &Store,
    now: i64,
    ctx: &Ctx,
    id: &str,
    input: &EnterpriseInput,
) -> StoreResult<Enterprise> {
    if !ctx.role.can_edit_enterprises() {
        return Err(StoreError::Forbidden(words::EDIT_DENIED.into()));
    }
    let before = enterprises::get(store, &ctx.scope, id).await?;
    let mut f = input.validate()?;
    let current = before.supervised();
    let placed = Before {
        grid_code: &before.grid_code,
        uscc: &before.uscc,
        supervised: &current,
    };
    let proposal =
        check_edit(&ctx.scope, placed, &mut f).map_err(|m| StoreError::Forbidden(m.into()))?;
    let mut tx = store.begin().await?;
    enterprises::update_in(&mut tx, now, &ctx.actor, &before, &f).await?;
    if let Some(p) = &proposal {
        enterprise_changes::propose_in(&mut tx, now, &ctx.actor, &before, p).await?;
    }
    tx.commit().await?;
    enterprises::get(store, &Scope::All, id).await
}

/// 删除企业 `id`: one that no record refers to any more.
pub async fn delete(store: &Store, now: i64, ctx: &Ctx, id: &str) -> StoreResult<()> {
    may_create(ctx.role)?;
    let before = enterprises::get(store, &ctx.scope, id).await?;
    let mut tx = store.begin().await?;
    enterprises::delete_in(&mut tx, now, &ctx.actor, &before).await?;
    tx.commit().await?;
    Ok(())
}

/// What an import did: the rows that passed every check, those stored, and the errors of the
/// others (the parser's and those found against the database).
#[derive(Debug, Default)]
pub struct Imported {
    pub valid_rows: usize,
    pub imported: usize,
    pub errors: Vec<RowError>,
}

/// 导入企业: the parsed rows are checked against the database (codes already registered, grids
/// that exist) and the caller's scope; `mode` decides whether the good ones are stored, all in
/// one transaction with an audit record each and one for the import.
pub async fn import(
    store: &Store,
    now: i64,
    ctx: &Ctx,
    mode: ImportMode,
    parsed: ParsedImport,
) -> StoreResult<Imported> {
    may_create(ctx.role)?;
    let known = Known {
        registered: enterprises::existing_codes(store, &sheet::codes_of(&parsed.valid)).await?,
        grids: enterprises::existing_grids(store, &sheet::grids_of(&parsed.valid)).await?,
    };
    let (good, found) = sheet::check_known(parsed.valid, &known, &ctx.scope);
    let mut errors = parsed.errors;
    errors.extend(found);
    let mut imported = Imported {
        valid_rows: good.len(),
        ..Imported::default()
    };
    if mode.stores(errors.len() + parsed.unlisted_errors, good.len()) {
        let mut tx = store.begin().await?;
        enterprises::insert_many_in(
            &mut tx,
            now,
            &ctx.actor,
            &good,
            true,
            &mode.summary(good.len()),
        )
        .await?;
        tx.commit().await?;
        imported.imported = good.len();
    }
    imported.errors = errors;
    Ok(imported)
}

/// 载入企业 in bulk (the demo district): checked records in one transaction with one summary
/// audit record; answers their new ids in order.
pub async fn load(
    store: &Store,
    now: i64,
    actor: &Actor,
    records: &[EnterpriseFields],
    summary: &str,
) -> StoreResult<Vec<String>> {
    let mut tx = store.begin().await?;
    let ids = enterprises::insert_many_in(&mut tx, now, actor, records, false, summary).await?;
    tx.commit().await?;
    Ok(ids)
}
