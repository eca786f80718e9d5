//! 一卡通 payment batches and their lines: rows, the caller's townships, the state changes in the
//! caller's transaction with their audit records, the 公示 timer (ADR 0018:
//! `TimerKind::ReliefNoticeEnd`). A line's ID number and card number are sealed with SM4 at rest
//! (ADR 0032; the card number is opened for the bank file, nothing compares it in SQL); the
//! unique index `disaster_relief_lines_once` on its blind index `id_number_bidx` keeps a person in
//! one active or paid line per phase and process, so two batches written at once cannot both
//! pay them.

use crate::disasters::relief::push_townships;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::keys;
use crate::kernel::sequences::next_in_sequence;
use crate::kernel::timers::{self, Family, ReliefNoticeEnd, TimerKind};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::disasters::payments::{ResultLine, Status, reference};

/// Who the 公示 timer acts as.
pub const NOTICE_ACTOR: &str = "救助名单公示定时器";

#[derive(Debug, Clone)]
pub struct Batch {
    pub id: String,
    pub code: String,
    pub process_id: String,
    pub phase: String,
    pub township: String,
    pub township_name: String,
    pub status: Status,
    pub notice_days: i64,
    pub notice_start_ms: Option<i64>,
    pub notice_end_ms: Option<i64>,
    pub exported_ms: Option<i64>,
    pub completed_ms: Option<i64>,
    pub created_by_name: String,
    pub created_ms: i64,
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub id: String,
    pub entry_id: String,
    pub position: i64,
    pub reference: String,
    pub name: String,
    pub id_number: String,
    pub village: String,
    pub card_number: String,
    pub amount_fen: i64,
    /// active / objected / paid / failed
    pub state: String,
    pub reason: Option<String>,
}

/// A line to write: the entry, the person, the card and the amount.
#[derive(Debug, Clone)]
pub struct NewLine {
    pub entry_id: String,
    pub name: String,
    pub id_number: String,
    pub village: String,
    pub card_number: String,
    pub amount_fen: i64,
}

fn from_row(r: &AnyRow) -> StoreResult<Batch> {
    let status: String = r.try_get("status")?;
    Ok(Batch {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        process_id: r.try_get("process_id")?,
        phase: r.try_get("phase")?,
        township: r.try_get("region_code")?,
        township_name: r.try_get("region_name")?,
        status: Status::parse(&status).unwrap_or(Status::Draft),
        notice_days: r.try_get("notice_days")?,
        notice_start_ms: r.try_get("notice_start_ms")?,
        notice_end_ms: r.try_get("notice_end_ms")?,
        exported_ms: r.try_get("exported_ms")?,
        completed_ms: r.try_get("completed_ms")?,
        created_by_name: r.try_get("created_by_name")?,
        created_ms: r.try_get("created_ms")?,
        lines: vec![],
    })
}

fn line_from(r: &AnyRow) -> StoreResult<Line> {
    Ok(Line {
        id: r.try_get("id")?,
        entry_id: r.try_get("entry_id")?,
        position: r.try_get("position")?,
        reference: r.try_get("reference")?,
        name: r.try_get("name")?,
        id_number: keys::open(r.try_get("id_number")?),
        village: r.try_get("village")?,
        card_number: keys::open(r.try_get("card_number")?),
        amount_fen: r.try_get("amount_fen")?,
        state: r.try_get("state")?,
        reason: r.try_get("reason")?,
    })
}

async fn with_lines(store: &Store, mut b: Batch) -> StoreResult<Batch> {
    let mut q = Sql::new("SELECT * FROM disaster_relief_lines WHERE batch_id = ");
    q.bind(b.id.as_str()).push(" ORDER BY position");
    b.lines = store
        .fetch_all(q)
        .await?
        .iter()
        .map(line_from)
        .collect::<StoreResult<_>>()?;
    Ok(b)
}

/// The batches of a process in the caller's townships, the latest first (without lines).
pub async fn of_process(store: &Store, ctx: &Ctx, process_id: &str) -> StoreResult<Vec<Batch>> {
    let mut q = Sql::new("SELECT * FROM disaster_relief_batches WHERE process_id = ");
    q.bind(process_id);
    push_townships(&mut q, ctx, "region_code");
    q.push(" ORDER BY created_ms DESC, id DESC");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        out.push(with_lines(store, from_row(&r)?).await?);
    }
    Ok(out)
}

/// One batch in the caller's townships, with its lines.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Batch> {
    let mut q = Sql::new("SELECT * FROM disaster_relief_batches WHERE id = ");
    q.bind(id);
    push_townships(&mut q, ctx, "region_code");
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    with_lines(store, from_row(&r)?).await
}

/// A batch by its public code, once published.
pub async fn by_code(store: &Store, code: &str) -> StoreResult<Batch> {
    let mut q =
        Sql::new("SELECT * FROM disaster_relief_batches WHERE status <> 'draft' AND code = ");
    q.bind(code);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    with_lines(store, from_row(&r)?).await
}

/// Who already has an active or paid line of this phase and process: (id number, batch code).
/// Found by the blind indexes of the numbers; a line the start-up job has not sealed yet still
/// holds the number itself (and no blind index), so it is matched by the number.
pub async fn already_in(
    tx: &mut Tx,
    process_id: &str,
    phase: &str,
    id_numbers: &[String],
) -> StoreResult<Vec<(String, String)>> {
    if id_numbers.is_empty() {
        return Ok(vec![]);
    }
    let bidx = id_numbers
        .iter()
        .map(|n| keys::blind_index_required(n))
        .collect::<StoreResult<Vec<_>>>()?;
    let mut q = Sql::new(
        "SELECT l.id_number, b.code FROM disaster_relief_lines l JOIN disaster_relief_batches b ON b.id = l.batch_id WHERE l.state IN ('active', 'paid') AND l.process_id = ",
    );
    q.bind(process_id)
        .push_bind(" AND l.phase = ", phase)
        .push(" AND (l.id_number_bidx IN ")
        .bind_list(bidx)
        .push(" OR (l.id_number_bidx IS NULL AND l.id_number IN ")
        .bind_list(id_numbers.iter().cloned())
        .push("))");
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok((keys::open(r.try_get(0)?), r.try_get(1)?)))
        .collect()
}

/// The lines of a new batch; a person already active or paid in this phase is a conflict naming
/// the row.
async fn insert_lines(
    tx: &mut Tx,
    now_ms: i64,
    (id, code, process_id, phase): (&str, &str, &str, &str),
    lines: &[NewLine],
) -> StoreResult<()> {
    for (i, l) in lines.iter().enumerate() {
        let position = i as i64 + 1;
        let mut q = Sql::new(
            "INSERT INTO disaster_relief_lines (id, batch_id, process_id, phase, entry_id, position, reference, name, id_number, id_number_bidx, village, card_number, amount_fen, state, updated_ms) VALUES ",
        );
        q.values(vec![
            new_id().into(),
            id.into(),
            process_id.into(),
            phase.into(),
            l.entry_id.clone().into(),
            position.into(),
            reference(code, position).into(),
            l.name.clone().into(),
            keys::seal(&l.id_number)?.into(),
            keys::blind_index_required(&l.id_number)?.into(),
            l.village.clone().into(),
            keys::seal(&l.card_number)?.into(),
            l.amount_fen.into(),
            "active".into(),
            now_ms.into(),
        ]);
        q.execute(tx).await.map_err(|e| match e {
            StoreError::Db(d) if crate::kernel::is_unique_violation(&d) => StoreError::conflict(
                &format!("lines[{i}]"),
                format!(
                    "第{}行：{}已在本灾害过程同一救助阶段的另一批次中，不能重复发放",
                    i + 1,
                    l.name
                ),
            ),
            e => e,
        })?;
    }
    Ok(())
}

/// Writes a draft batch and its lines; a person paid twice (a concurrent batch) is a conflict.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    head: (&str, &str, &str, &str),
    notice_days: i64,
    lines: &[NewLine],
) -> StoreResult<(String, String)> {
    let (process_id, phase, township, township_name) = head;
    let id = new_id();
    let seq = next_in_sequence(tx, "disaster_relief_batch").await?;
    let day = yingji_core::kernel::clock::today(now_ms)
        .to_string()
        .replace('-', "");
    let code = format!("JZ{day}{seq:04}");
    let mut q = Sql::new(
        "INSERT INTO disaster_relief_batches (id, code, process_id, phase, region_code, region_name, status, notice_days, created_by_name, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        code.clone().into(),
        process_id.into(),
        phase.into(),
        township.into(),
        township_name.into(),
        Status::Draft.as_str().into(),
        notice_days.into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    insert_lines(tx, now_ms, (&id, &code, process_id, phase), lines).await?;
    let total: i64 = lines.iter().map(|l| l.amount_fen).sum();
    let summary = format!(
        "{code}：{township_name} {}人，{}元",
        lines.len(),
        yingji_core::credit::insurance::fen_to_yuan(total)
    );
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change::of(
            "disaster.relief_batch_create",
            "disaster_relief_batch",
            &id,
            summary,
        ),
    )
    .await?;
    Ok((id, code))
}

/// Moves a batch from one state to the next; `false` when it was no longer in `from`.
async fn advance(
    tx: &mut Tx,
    id: &str,
    from: Status,
    to: Status,
    now_ms: i64,
    extra: &[(&str, i64)],
) -> StoreResult<bool> {
    let mut u = Sql::new("UPDATE disaster_relief_batches SET status = ");
    u.bind(to.as_str()).push_bind(", updated_ms = ", now_ms);
    for (col, v) in extra {
        u.push_bind(&format!(", {col} = "), *v);
    }
    u.push_bind(" WHERE id = ", id)
        .push_bind(" AND status = ", from.as_str());
    Ok(u.execute(tx).await? == 1)
}

fn moved() -> StoreError {
    StoreError::conflict("status", "批次的状态已变更，请刷新后重试")
}

/// 公示: from now for the batch's days; the timer moves it to 待发放 at the end.
pub async fn publish_in(tx: &mut Tx, ctx: &Ctx, now_ms: i64, b: &Batch) -> StoreResult<()> {
    let end = now_ms + b.notice_days * 86_400_000;
    let extra = [("notice_start_ms", now_ms), ("notice_end_ms", end)];
    if !advance(tx, &b.id, Status::Draft, Status::Notice, now_ms, &extra).await? {
        return Err(moved());
    }
    let kind = TimerKind::ReliefNoticeEnd(ReliefNoticeEnd { notice_end_ms: end });
    timers::cancel(tx, &b.id, Family::Relief).await?;
    timers::schedule(tx, now_ms, &kind, &b.id, end).await?;
    let summary = format!(
        "{}：公示{}天，至{}",
        b.code,
        b.notice_days,
        yingji_core::kernel::clock::to_rfc3339(end)
    );
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change::of(
            "disaster.relief_batch_publish",
            "disaster_relief_batch",
            &b.id,
            summary,
        ),
    )
    .await?;
    Ok(())
}

/// The 公示 ended (in the scheduler's transaction): 公示中 → 待发放; nothing when stale.
pub async fn fire_notice_end(
    tx: &mut Tx,
    batch_id: &str,
    p: &ReliefNoticeEnd,
    now_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "SELECT code, notice_end_ms FROM disaster_relief_batches WHERE status = 'notice' AND id = ",
    );
    q.bind(batch_id);
    let Some(r) = q.fetch_optional(tx).await? else {
        return Ok(());
    };
    if r.try_get::<Option<i64>, _>(1)? != Some(p.notice_end_ms) {
        return Ok(());
    }
    let code: String = r.try_get(0)?;
    advance(tx, batch_id, Status::Notice, Status::Ready, now_ms, &[]).await?;
    let actor = Actor::system(NOTICE_ACTOR);
    let summary = format!("{code}：公示期满无异议，待发放");
    audit::append(
        tx,
        now_ms,
        &actor,
        Change::of(
            "disaster.relief_notice_end",
            "disaster_relief_batch",
            batch_id,
            summary,
        ),
    )
    .await?;
    Ok(())
}

/// An objection during 公示 removes the line.
pub async fn object_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    b: &Batch,
    line: &Line,
    reason: &str,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE disaster_relief_lines SET state = 'objected', reason = ");
    u.bind(reason)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", line.id.as_str())
        .push(" AND state = 'active' AND batch_id IN (SELECT id FROM disaster_relief_batches WHERE status = 'notice' AND id = ")
        .bind(b.id.as_str())
        .push(")");
    if u.execute(tx).await? != 1 {
        return Err(moved());
    }
    let summary = format!(
        "{}：{}（第{}行）因异议移出名单：{reason}",
        b.code, line.name, line.position
    );
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change::of(
            "disaster.relief_objection",
            "disaster_relief_batch",
            &b.id,
            summary,
        ),
    )
    .await?;
    Ok(())
}

/// 待发放 → 已导出: the bank's payment file was made.
pub async fn export_in(tx: &mut Tx, ctx: &Ctx, now_ms: i64, b: &Batch) -> StoreResult<()> {
    if !advance(
        tx,
        &b.id,
        Status::Ready,
        Status::Exported,
        now_ms,
        &[("exported_ms", now_ms)],
    )
    .await?
    {
        return Err(moved());
    }
    let n = b.lines.iter().filter(|l| l.state == "active").count();
    let summary = format!("{}：导出一卡通发放文件，{n}人", b.code);
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change::of(
            "disaster.relief_export",
            "disaster_relief_batch",
            &b.id,
            summary,
        ),
    )
    .await?;
    Ok(())
}

/// 已导出 → 已完成 with the bank's result of every line.
pub async fn results_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    b: &Batch,
    results: &[ResultLine],
) -> StoreResult<()> {
    if !advance(
        tx,
        &b.id,
        Status::Exported,
        Status::Done,
        now_ms,
        &[("completed_ms", now_ms)],
    )
    .await?
    {
        return Err(moved());
    }
    for r in results {
        let mut u = Sql::new("UPDATE disaster_relief_lines SET state = ");
        u.bind(if r.paid { "paid" } else { "failed" })
            .push_bind(", reason = ", r.reason.clone())
            .push_bind(", updated_ms = ", now_ms)
            .push_bind(" WHERE batch_id = ", b.id.as_str())
            .push_bind(
                " AND state = 'active' AND reference = ",
                r.reference.as_str(),
            );
        u.execute(tx).await?;
    }
    let paid = results.iter().filter(|r| r.paid).count();
    let summary = format!(
        "{}：发放成功{paid}人，失败{}人",
        b.code,
        results.len() - paid
    );
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change::of(
            "disaster.relief_results",
            "disaster_relief_batch",
            &b.id,
            summary,
        ),
    )
    .await?;
    Ok(())
}
