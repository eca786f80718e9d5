//! 一卡通 payment batches: made from entries of one phase and township (each with a card), nobody
//! twice for one phase of a process (checked here to name the row and the other batch, and by
//! the database's unique index for two batches written at once); 公示, objections, the bank's
//! file, its results.

use yingji_core::directory::import::RowError;
use yingji_core::disasters::payments::{
    LineInput, Status, check_objection, check_results, line_amount, wrong_state,
};
use yingji_core::disasters::processes::{TOWNSHIP_OUTSIDE_SCOPE, covers};
use yingji_core::disasters::relief::{PHASES, label};
use yingji_core::kernel::validation::Errors;
use yingji_store::disasters::payments::{self, Batch, NewLine};
use yingji_store::disasters::relief;
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

use super::relief::process_for;

/// A batch to make.
#[derive(Debug, Clone, Default)]
pub struct BatchInput {
    pub process_id: String,
    pub phase: String,
    pub township: String,
    pub lines: Vec<LineInput>,
}

// Long because: every line is checked against its entry and the other batches, errors collected.
/// Makes a draft batch; answers its id.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &BatchInput,
) -> StoreResult<String> {
    let p = process_for(store, ctx, &input.process_id).await?;
    let mut errs = Errors::default();
    if label(PHASES, &input.phase).is_empty() {
        errs.add("phase", "救助阶段不正确");
    }
    let township = p
        .townships
        .iter()
        .find(|t| t.0 == input.township.trim())
        .cloned();
    match &township {
        None => errs.add(
            "township",
            "该乡镇（街道）不在该灾害过程的受灾乡镇（街道）中",
        ),
        Some(t) if !covers(ctx.scope.region_prefix(), &t.0) => {
            errs.add("township", TOWNSHIP_OUTSIDE_SCOPE)
        }
        Some(_) => {}
    }
    if input.lines.is_empty() {
        errs.add("lines", "请选择至少一名救助对象");
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }
    let (code, name) = township.unwrap_or_default();
    let district = p.district_code.clone();
    let days = relief::notice_days(store, &district).await?;
    let mut tx = store.begin().await?;
    let ids: Vec<String> = input.lines.iter().map(|l| l.entry_id.clone()).collect();
    let entries = relief::by_ids_in(&mut tx, ctx, &p.id, &ids).await?;
    let mut lines: Vec<NewLine> = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        let field = format!("lines[{i}]");
        let Some(e) = entries.iter().find(|e| e.id == l.entry_id) else {
            errs.add(
                &field,
                format!("第{}行：救助对象不存在或不在您的管辖范围内", i + 1),
            );
            continue;
        };
        if e.e.phase != input.phase || e.e.township != code {
            errs.add(
                &field,
                format!(
                    "第{}行：{}不属于本批次的救助阶段和乡镇（街道）",
                    i + 1,
                    e.e.name
                ),
            );
            continue;
        }
        let Some(card) = e.e.card_number.clone() else {
            errs.add(
                &field,
                format!(
                    "第{}行：{}未登记银行卡（社保卡）号，不能通过一卡通发放",
                    i + 1,
                    e.e.name
                ),
            );
            continue;
        };
        if lines.iter().any(|x| x.id_number == e.e.id_number) {
            errs.add(&field, format!("第{}行：{}在本批次中重复", i + 1, e.e.name));
            continue;
        }
        let Some(amount_fen) = line_amount(&mut errs, i, l.amount.as_deref(), e.e.amount_fen)
        else {
            continue;
        };
        lines.push(NewLine {
            entry_id: e.id.clone(),
            name: e.e.name.clone(),
            id_number: e.e.id_number.clone(),
            village: e.e.village.clone(),
            card_number: card,
            amount_fen,
        });
    }
    let numbers: Vec<String> = lines.iter().map(|l| l.id_number.clone()).collect();
    for (id_number, other) in payments::already_in(&mut tx, &p.id, &input.phase, &numbers).await? {
        if let Some(i) = input.lines.iter().position(|l| {
            entries
                .iter()
                .any(|e| e.id == l.entry_id && e.e.id_number == id_number)
        }) {
            let who = lines
                .iter()
                .find(|l| l.id_number == id_number)
                .map_or("", |l| l.name.as_str());
            errs.add(
                &format!("lines[{i}]"),
                format!(
                    "第{}行：{who}已在批次{other}中（同一灾害过程的同一救助阶段），不能重复发放",
                    i + 1
                ),
            );
        }
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }
    let head = (
        p.id.as_str(),
        input.phase.as_str(),
        code.as_str(),
        name.as_str(),
    );
    let (id, _) = payments::create_in(&mut tx, ctx, now_ms, head, days, &lines).await?;
    tx.commit().await?;
    Ok(id)
}

/// A batch the caller may use relief on.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Batch> {
    if !yingji_core::disasters::relief::may_use(ctx.role) {
        return Err(StoreError::Forbidden(
            yingji_core::disasters::relief::NOT_A_RELIEF_USER.into(),
        ));
    }
    payments::get(store, ctx, id).await
}

fn expect(b: &Batch, s: Status, want: &str) -> StoreResult<()> {
    if b.status == s {
        Ok(())
    } else {
        Err(StoreError::conflict("status", wrong_state(b.status, want)))
    }
}

/// 草稿 → 公示中 for the district's days.
pub async fn publish(store: &Store, ctx: &Ctx, now_ms: i64, id: &str) -> StoreResult<Batch> {
    let b = get(store, ctx, id).await?;
    expect(&b, Status::Draft, "只有草稿可以公示")?;
    let mut tx = store.begin().await?;
    payments::publish_in(&mut tx, ctx, now_ms, &b).await?;
    tx.commit().await?;
    payments::get(store, ctx, id).await
}

/// An objection against a line during 公示 removes it.
pub async fn object(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    line_id: &str,
    reason: &str,
) -> StoreResult<Batch> {
    let b = get(store, ctx, id).await?;
    let reason = check_objection(reason)?;
    expect(&b, Status::Notice, "只能在公示期间登记异议")?;
    let line = b
        .lines
        .iter()
        .find(|l| l.id == line_id && l.state == "active")
        .ok_or_else(|| StoreError::invalid("line_id", "明细不存在或已移出名单"))?;
    let mut tx = store.begin().await?;
    payments::object_in(&mut tx, ctx, now_ms, &b, line, &reason).await?;
    tx.commit().await?;
    payments::get(store, ctx, id).await
}

/// 待发放 → 已导出: answers the batch whose active lines make the bank's file.
pub async fn export(store: &Store, ctx: &Ctx, now_ms: i64, id: &str) -> StoreResult<Batch> {
    let b = get(store, ctx, id).await?;
    if b.status == Status::Exported {
        return Ok(b);
    }
    expect(&b, Status::Ready, "公示期满后才能导出发放文件")?;
    if !b.lines.iter().any(|l| l.state == "active") {
        return Err(StoreError::conflict("lines", "批次中没有待发放的明细"));
    }
    let mut tx = store.begin().await?;
    payments::export_in(&mut tx, ctx, now_ms, &b).await?;
    tx.commit().await?;
    payments::get(store, ctx, id).await
}

/// The bank's results (rows with the header first): every active line paid or failed, or the
/// rows' errors and nothing stored.
pub async fn results(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    rows: &[Vec<String>],
) -> StoreResult<Result<Batch, Vec<RowError>>> {
    let b = get(store, ctx, id).await?;
    expect(&b, Status::Exported, "导出发放文件后才能导入发放结果")?;
    let refs: Vec<String> = b
        .lines
        .iter()
        .filter(|l| l.state == "active")
        .map(|l| l.reference.clone())
        .collect();
    let results = match check_results(rows, &refs) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let mut tx = store.begin().await?;
    payments::results_in(&mut tx, ctx, now_ms, &b, &results).await?;
    tx.commit().await?;
    Ok(Ok(payments::get(store, ctx, id).await?))
}
