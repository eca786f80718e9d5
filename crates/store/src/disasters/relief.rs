//! 救助 entries of a process: rows, the caller's townships (a street's staff see their street's
//! entries, the district's staff the district's), the writes in the caller's transaction with the
//! audit record, the 冬春 figures, the district's 公示 days and what the 10-hour measure reads.
//! The ID number, the phone and the 一卡通 card number are sealed with SM4 at rest (ADR 0032):
//! sealed in the insert, opened in the row mapping; nothing searches or compares them in SQL.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::keys;
use crate::{Sql, Store, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::insurance::fen_to_yuan;
use yingji_core::disasters::payments::DEFAULT_NOTICE_DAYS;
use yingji_core::disasters::relief::{CheckedEntry, PHASES, label};
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    pub process_id: String,
    pub e: CheckedEntry,
    pub source: String,
    pub recorded_by_name: String,
    pub created_ms: i64,
}

fn from_row(r: &AnyRow) -> StoreResult<Entry> {
    Ok(Entry {
        id: r.try_get("id")?,
        process_id: r.try_get("process_id")?,
        source: r.try_get("source")?,
        recorded_by_name: r.try_get("recorded_by_name")?,
        created_ms: r.try_get("created_ms")?,
        e: CheckedEntry {
            phase: r.try_get("phase")?,
            township: r.try_get("region_code")?,
            village: r.try_get("village")?,
            name: r.try_get("name")?,
            id_number: keys::open(r.try_get("id_number")?),
            household: r.try_get("household")?,
            phone: keys::open_opt(r.try_get("phone")?),
            kind: r.try_get("kind")?,
            amount_fen: r.try_get("amount_fen")?,
            items: r.try_get("items")?,
            given_ms: r.try_get("given_ms")?,
            card_number: keys::open_opt(r.try_get("card_number")?),
            progress: r.try_get("progress")?,
            percent: r.try_get("percent")?,
        },
    })
}

/// Limits a query on a table with `region_code` (a township) to the caller's townships.
pub fn push_townships(q: &mut Sql, ctx: &Ctx, column: &str) {
    match &ctx.scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            q.push(&format!(" AND ({column} LIKE "))
                .bind(format!("{prefix}%"))
                .push_bind(" OR ", prefix.as_str())
                .push(&format!(" LIKE {column} || '%')"));
        }
        Scope::Enterprise { .. } | Scope::Insurer { .. } => {
            q.push(" AND 1 = 0");
        }
    }
}

/// The entries of a process the caller sees, by phase then time given.
pub async fn of_process(
    store: &Store,
    ctx: &Ctx,
    process_id: &str,
    phase: Option<&str>,
) -> StoreResult<Vec<Entry>> {
    let mut q = Sql::new("SELECT * FROM disaster_relief_entries WHERE process_id = ");
    q.bind(process_id);
    if let Some(p) = phase {
        q.push_bind(" AND phase = ", p);
    }
    push_townships(&mut q, ctx, "region_code");
    q.push(" ORDER BY given_ms, id");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// Entries by id (within one process), in the caller's townships.
pub async fn by_ids_in(
    tx: &mut Tx,
    ctx: &Ctx,
    process_id: &str,
    ids: &[String],
) -> StoreResult<Vec<Entry>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new("SELECT * FROM disaster_relief_entries WHERE process_id = ");
    q.bind(process_id)
        .push(" AND id IN ")
        .bind_list(ids.iter().cloned());
    push_townships(&mut q, ctx, "region_code");
    q.fetch_all(tx).await?.iter().map(from_row).collect()
}

/// One entry the caller sees.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Option<Entry>> {
    let mut q = Sql::new("SELECT * FROM disaster_relief_entries WHERE id = ");
    q.bind(id);
    push_townships(&mut q, ctx, "region_code");
    store
        .fetch_optional(q)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Adds checked entries (one, a 台账 row's, or a township list's) with one audit record.
pub async fn add_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    process_id: &str,
    entries: &[CheckedEntry],
    source: &str,
) -> StoreResult<Vec<String>> {
    let mut ids = Vec::with_capacity(entries.len());
    for e in entries {
        let id = new_id();
        let mut q = Sql::new(
            "INSERT INTO disaster_relief_entries (id, process_id, phase, region_code, village, name, id_number, household, phone, kind, amount_fen, items, given_ms, card_number, progress, percent, source, recorded_by_name, created_ms, updated_ms) VALUES ",
        );
        q.values(vec![
            id.clone().into(),
            process_id.into(),
            e.phase.clone().into(),
            e.township.clone().into(),
            e.village.clone().into(),
            e.name.clone().into(),
            keys::seal(&e.id_number)?.into(),
            e.household.into(),
            keys::seal_opt(e.phone.as_deref())?.into(),
            e.kind.clone().into(),
            e.amount_fen.into(),
            e.items.clone().into(),
            e.given_ms.into(),
            keys::seal_opt(e.card_number.as_deref())?.into(),
            e.progress.clone().into(),
            e.percent.into(),
            source.into(),
            ctx.display_name.clone().into(),
            now_ms.into(),
            now_ms.into(),
        ]);
        q.execute(tx).await?;
        ids.push(id);
    }
    let (action, summary) = match entries {
        [e] => (
            "disaster.relief_entry",
            format!(
                "{}登记：{}，{}元",
                label(PHASES, &e.phase),
                e.name,
                fen_to_yuan(e.amount_fen)
            ),
        ),
        _ => (
            "disaster.relief_import",
            format!("导入救助名单：{}人", entries.len()),
        ),
    };
    let change = Change::of(action, "disaster_process", process_id, summary);
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(ids)
}

/// The progress of a rebuilt house.
pub async fn set_progress_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    entry: &Entry,
    progress: &str,
    percent: i64,
    summary: String,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE disaster_relief_entries SET progress = ");
    u.bind(progress)
        .push_bind(", percent = ", percent)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", entry.id.as_str());
    u.execute(tx).await?;
    let change = Change::of(
        "disaster.relief_progress",
        "disaster_process",
        &entry.process_id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// 冬春救助 需救助人数 per township of a process: (township, needed).
pub async fn winter_needed(store: &Store, process_id: &str) -> StoreResult<Vec<(String, i64)>> {
    let mut q =
        Sql::new("SELECT region_code, needed FROM disaster_relief_winter WHERE process_id = ");
    q.bind(process_id);
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

pub async fn set_winter_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    process_id: &str,
    township: &str,
    needed: i64,
) -> StoreResult<()> {
    let mut d = Sql::new("DELETE FROM disaster_relief_winter WHERE process_id = ");
    d.bind(process_id)
        .push_bind(" AND region_code = ", township);
    d.execute(tx).await?;
    let mut q = Sql::new(
        "INSERT INTO disaster_relief_winter (process_id, region_code, needed, updated_ms) VALUES ",
    );
    q.values(vec![
        process_id.into(),
        township.into(),
        needed.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let summary = format!("冬春生活困难救助需救助人数：{township} {needed}人");
    let change = Change::of(
        "disaster.relief_winter",
        "disaster_process",
        process_id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// The district's 公示 days (default 7).
pub async fn notice_days(store: &Store, district: &str) -> StoreResult<i64> {
    let mut q = Sql::new("SELECT notice_days FROM disaster_relief_settings WHERE district_code = ");
    q.bind(district);
    Ok(match store.fetch_optional(q).await? {
        Some(r) => r.try_get(0)?,
        None => DEFAULT_NOTICE_DAYS,
    })
}

pub async fn set_notice_days_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    district: &str,
    days: i64,
) -> StoreResult<()> {
    let mut d = Sql::new("DELETE FROM disaster_relief_settings WHERE district_code = ");
    d.bind(district);
    d.execute(tx).await?;
    let mut q = Sql::new(
        "INSERT INTO disaster_relief_settings (district_code, notice_days, updated_ms) VALUES ",
    );
    q.values(vec![district.into(), days.into(), now_ms.into()]);
    q.execute(tx).await?;
    let change = Change::of(
        "disaster.relief_settings",
        "disaster_settings",
        district,
        format!("救助名单公示天数：{days}天"),
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// What the 10-hour measure reads: the 初报's time, and the first 应急救助 per township.
pub async fn timeliness_facts(
    store: &Store,
    process_id: &str,
) -> StoreResult<(Option<i64>, Vec<(String, i64)>)> {
    let mut q = Sql::new(
        "SELECT MIN(filed_ms) FROM disaster_reports WHERE kind = 'initial' AND process_id = ",
    );
    q.bind(process_id);
    let initial: Option<i64> = store
        .fetch_optional(q)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        .flatten();
    let mut f = Sql::new(
        "SELECT region_code, MIN(given_ms) FROM disaster_relief_entries WHERE phase = 'emergency' AND process_id = ",
    );
    f.bind(process_id).push(" GROUP BY region_code");
    let first = store
        .fetch_all(f)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<StoreResult<_>>()?;
    Ok((initial, first))
}
