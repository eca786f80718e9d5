//! 救助 entries: one by one, from a 台账 row (a family of the 死亡失踪台账 → 遇难人员家属抚慰, a
//! household of the 倒损住房台账 → 倒损住房恢复重建), or a township's list (every row checked,
//! nothing stored when one is bad); the rebuild progress, the 冬春 figures, the district's 公示
//! days and the 10-hour measure.

use yingji_core::directory::import::RowError;
use yingji_core::disasters::processes::{
    NOT_A_MANAGER, TOWNSHIP_OUTSIDE_SCOPE, covers, may_configure,
};
use yingji_core::disasters::relief::{
    CheckedEntry, EntryInput, NOT_A_RELIEF_USER, PROGRESS, Verdict, check_entry, check_progress,
    label, may_use, measure, phase_of_ledger,
};
use yingji_core::disasters::relief_import::row_errors;
use yingji_core::kernel::validation::{Errors, Invalid};
use yingji_store::disasters::ledgers;
use yingji_store::disasters::processes::{self, Process};
use yingji_store::disasters::relief::{self, Entry};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

/// The process, if the caller may use relief and read it.
pub async fn process_for(store: &Store, ctx: &Ctx, process_id: &str) -> StoreResult<Process> {
    if !may_use(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_RELIEF_USER.into()));
    }
    processes::get(store, ctx, process_id).await
}

/// Adds one entry.
pub async fn add(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    process_id: &str,
    input: &EntryInput,
) -> StoreResult<String> {
    let p = process_for(store, ctx, process_id).await?;
    let checked = check_entry(input, &p.townships, ctx.scope.region_prefix(), now_ms)?;
    let mut tx = store.begin().await?;
    let ids = relief::add_in(&mut tx, ctx, now_ms, &p.id, &[checked], "manual").await?;
    tx.commit().await?;
    Ok(ids.into_iter().next().unwrap_or_default())
}

/// A 台账 row (`person` or `house`) becomes an entry of its phase: its township, and the
/// address and household head where the input leaves them empty.
pub async fn from_ledger(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    process_id: &str,
    ledger: &str,
    ledger_id: &str,
    input: &EntryInput,
) -> StoreResult<String> {
    let p = process_for(store, ctx, process_id).await?;
    let phase = phase_of_ledger(ledger).ok_or_else(|| {
        StoreError::invalid("ledger", "台账应为死亡失踪（person）或倒损住房（house）")
    })?;
    let (persons, houses) = ledgers::of_process(store, &p.id).await?;
    let found = match ledger {
        "person" => persons.iter().find(|x| x.id == ledger_id).map(|x| {
            (
                x.input.township.clone(),
                x.input.address.clone(),
                String::new(),
            )
        }),
        _ => houses.iter().find(|x| x.id == ledger_id).map(|x| {
            (
                x.input.township.clone(),
                x.input.address.clone(),
                x.input.head.clone(),
            )
        }),
    };
    let (township, address, head) =
        found.ok_or_else(|| StoreError::invalid("ledger_id", "台账记录不存在"))?;
    let mut e = input.clone();
    e.phase = phase.into();
    e.township = township;
    if e.village.trim().is_empty() {
        e.village = address;
    }
    if e.name.trim().is_empty() {
        e.name = head;
    }
    let checked = check_entry(&e, &p.townships, ctx.scope.region_prefix(), now_ms)?;
    let mut tx = store.begin().await?;
    let ids = relief::add_in(&mut tx, ctx, now_ms, &p.id, &[checked], ledger).await?;
    tx.commit().await?;
    Ok(ids.into_iter().next().unwrap_or_default())
}

/// A township's list: rows (number, cells as an entry or the row's error). All or nothing.
pub async fn import(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    p: &Process,
    rows: Vec<(usize, Result<EntryInput, RowError>)>,
    store_it: bool,
) -> StoreResult<(Vec<CheckedEntry>, Vec<RowError>)> {
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (row, r) in rows {
        let input = match r {
            Ok(i) => i,
            Err(mut e) => {
                e.row = row;
                errors.push(e);
                continue;
            }
        };
        match check_entry(&input, &p.townships, ctx.scope.region_prefix(), now_ms) {
            Ok(c) => {
                let key = (c.phase.clone(), c.id_number.clone());
                if seen.contains(&key) {
                    errors.push(RowError {
                        row,
                        column: "公民身份号码".into(),
                        reason: "同一救助阶段的公民身份号码在名单中重复".into(),
                    });
                } else {
                    seen.push(key);
                    ok.push(c);
                }
            }
            Err(inv) => errors.extend(row_errors(row, &inv)),
        }
    }
    if store_it && errors.is_empty() && !ok.is_empty() {
        let mut tx = store.begin().await?;
        relief::add_in(&mut tx, ctx, now_ms, &p.id, &ok, "import").await?;
        tx.commit().await?;
    }
    Ok((ok, errors))
}

/// The progress of a rebuilt house (倒损住房恢复重建 entries only).
pub async fn set_progress(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    entry_id: &str,
    progress: &str,
    percent: Option<i64>,
) -> StoreResult<Entry> {
    if !may_use(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_RELIEF_USER.into()));
    }
    let e = relief::get(store, ctx, entry_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    processes::get(store, ctx, &e.process_id).await?;
    if e.e.phase != "rebuild" {
        return Err(StoreError::invalid(
            "progress",
            "只有倒损住房恢复重建登记建设进度",
        ));
    }
    let mut errs = Errors::default();
    let (p, pct) = check_progress(&mut errs, "rebuild", Some(progress), percent);
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }
    let (p, pct) = (p.unwrap_or_default(), pct.unwrap_or(0));
    let summary = format!("{}：{}（{pct}%）", e.e.name, label(PROGRESS, &p));
    let mut tx = store.begin().await?;
    relief::set_progress_in(&mut tx, ctx, now_ms, &e, &p, pct, summary).await?;
    tx.commit().await?;
    relief::get(store, ctx, entry_id)
        .await?
        .ok_or(StoreError::NotFound)
}

/// 冬春救助 需救助人数 of a township of the process.
pub async fn set_winter(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    process_id: &str,
    township: &str,
    needed: i64,
) -> StoreResult<()> {
    let p = process_for(store, ctx, process_id).await?;
    if !p.townships.iter().any(|t| t.0 == township) {
        return Err(StoreError::invalid(
            "township",
            "该乡镇（街道）不在该灾害过程的受灾乡镇（街道）中",
        ));
    }
    if !covers(ctx.scope.region_prefix(), township) {
        return Err(StoreError::invalid("township", TOWNSHIP_OUTSIDE_SCOPE));
    }
    if !(0..=10_000_000).contains(&needed) {
        return Err(Invalid::one("needed", "需救助人数应为不小于 0 的整数").into());
    }
    let mut tx = store.begin().await?;
    relief::set_winter_in(&mut tx, ctx, now_ms, &p.id, township, needed).await?;
    tx.commit().await?;
    Ok(())
}

/// The district's 公示 days.
pub async fn set_notice_days(store: &Store, ctx: &Ctx, now_ms: i64, days: i64) -> StoreResult<i64> {
    if !may_configure(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    let days = yingji_core::disasters::payments::check_notice_days(days)?;
    let district = yingji_store::directory::regions::district_of_scope(store, &ctx.scope).await?;
    let mut tx = store.begin().await?;
    relief::set_notice_days_in(&mut tx, ctx, now_ms, &district, days).await?;
    tx.commit().await?;
    Ok(days)
}

/// One township's measure: (code, name, first 应急救助, verdict, ms counted).
pub type Timeliness = (String, String, Option<i64>, Verdict, Option<i64>);

/// The 10-hour measure of each affected township the caller covers, and the 初报's time.
pub async fn timeliness(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    process_id: &str,
) -> StoreResult<(Option<i64>, Vec<Timeliness>)> {
    let p = process_for(store, ctx, process_id).await?;
    let (initial, first) = relief::timeliness_facts(store, &p.id).await?;
    let out = p
        .townships
        .iter()
        .filter(|t| covers(ctx.scope.region_prefix(), &t.0))
        .map(|(code, name)| {
            let f = first.iter().find(|x| &x.0 == code).map(|x| x.1);
            let (v, d) = measure(initial, f, now_ms);
            (code.clone(), name.clone(), f, v, d)
        })
        .collect();
    Ok((initial, out))
}
