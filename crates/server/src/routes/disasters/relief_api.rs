//! The API types of 救助 and its 一卡通 batches, apart from the rows (ADR 0021): ID and card
//! numbers masked (the full card number only in the bank's file), money as exact yuan text.

use serde::{Deserialize, Serialize};
use yingji_core::credit::insurance::fen_to_yuan;
use yingji_core::disasters::ledgers::mask_id_number;
use yingji_core::disasters::payments::LINE_STATES;
use yingji_core::disasters::relief::{
    EntryInput, KINDS, PHASES, PROGRESS, label, mask_card, mask_name,
};
use yingji_store::disasters::payments::{Batch as BatchRow, Line as LineRow};
use yingji_store::disasters::relief::Entry as EntryRow;

/// A relief entry (救助对象).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReliefEntry)]
pub struct Entry {
    pub id: String,
    /// emergency / transition / condolence / rebuild / winter
    pub phase: String,
    pub phase_label: String,
    pub township: String,
    pub village: String,
    pub name: String,
    /// 公民身份号码, masked.
    pub id_number: String,
    pub household: i64,
    pub phone: Option<String>,
    /// cash / goods / shelter
    pub kind: String,
    pub kind_label: String,
    /// 元, two decimals.
    pub amount: String,
    pub items: Option<String>,
    pub given_ms: i64,
    /// Card number masked (first 4 and last 4 digits); null when none.
    pub card_number: Option<String>,
    /// not_started / building / completed / moved_in (倒损住房恢复重建).
    pub progress: Option<String>,
    pub progress_label: Option<String>,
    pub percent: Option<i64>,
    /// manual / person / house / import
    pub source: String,
    pub recorded_by_name: String,
}

impl From<EntryRow> for Entry {
    fn from(r: EntryRow) -> Self {
        let e = r.e;
        Self {
            id: r.id,
            phase_label: label(PHASES, &e.phase).into(),
            kind_label: label(KINDS, &e.kind).into(),
            progress_label: e
                .progress
                .as_deref()
                .map(|p| label(PROGRESS, p).to_string()),
            phase: e.phase,
            township: e.township,
            village: e.village,
            name: e.name,
            id_number: mask_id_number(&e.id_number),
            household: e.household,
            phone: e.phone,
            kind: e.kind,
            amount: fen_to_yuan(e.amount_fen),
            items: e.items,
            given_ms: e.given_ms,
            card_number: e.card_number.as_deref().map(mask_card),
            progress: e.progress,
            percent: e.percent,
            source: r.source,
            recorded_by_name: r.recorded_by_name,
        }
    }
}

/// A relief entry to record.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReliefEntryInput)]
pub struct EntryIn {
    /// emergency / transition / condolence / rebuild / winter (from a 台账: ignored).
    #[serde(default)]
    pub phase: String,
    /// The township (one of the process's; from a 台账: ignored).
    #[serde(default)]
    pub township: String,
    /// 村（社区）; from a 台账: the address when empty.
    #[serde(default)]
    pub village: String,
    /// The person given; from the 倒损住房台账: the household head when empty.
    #[serde(default)]
    pub name: String,
    /// 公民身份号码 (GB 11643, its check digit verified).
    pub id_number: String,
    pub household: i64,
    pub phone: Option<String>,
    /// cash / goods / shelter
    pub kind: String,
    /// 元 with at most two decimals, as text ("1500.00"); not negative.
    pub amount: String,
    pub items: Option<String>,
    /// RFC 3339 or `2026-07-10 14:00`; empty: now.
    pub given_at: Option<String>,
    /// Bank or social-security card: 16–19 digits, Luhn check digit.
    pub card_number: Option<String>,
    pub progress: Option<String>,
    pub percent: Option<i64>,
}

impl From<EntryIn> for EntryInput {
    fn from(e: EntryIn) -> Self {
        Self {
            phase: e.phase,
            township: e.township,
            village: e.village,
            name: e.name,
            id_number: e.id_number,
            household: e.household,
            phone: e.phone,
            kind: e.kind,
            amount: e.amount,
            items: e.items,
            given_at: e.given_at,
            card_number: e.card_number,
            progress: e.progress,
            percent: e.percent,
        }
    }
}

/// A 台账 row to turn into an entry of its phase.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReliefFromLedger)]
pub struct FromLedgerIn {
    /// person (→ 遇难人员家属抚慰) / house (→ 倒损住房恢复重建)
    pub ledger: String,
    pub ledger_id: String,
    pub entry: EntryIn,
}

/// One phase's figures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReliefPhase)]
pub struct Phase {
    pub phase: String,
    pub label: String,
    /// Entries (persons) recorded.
    pub persons: i64,
    /// 元, two decimals.
    pub amount: String,
}

/// 冬春生活困难救助 per township: 需救助人数 and 已救助人数 (distinct persons recorded).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReliefWinter)]
pub struct Winter {
    pub township: String,
    pub township_name: String,
    pub needed: i64,
    pub helped: i64,
}

/// The relief of a process: phases with counts and money, entries, batches, 冬春 figures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReliefOverview)]
pub struct Overview {
    pub process_id: String,
    pub phases: Vec<Phase>,
    pub entries: Vec<Entry>,
    pub batches: Vec<Batch>,
    pub winter: Vec<Winter>,
    /// The district's 公示 days.
    pub notice_days: i64,
}

/// A line of a batch (card and ID numbers masked).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReliefLine)]
pub struct Line {
    pub id: String,
    pub entry_id: String,
    pub position: i64,
    /// The bank's reference.
    pub reference: String,
    pub name: String,
    pub id_number: String,
    pub village: String,
    pub card_number: String,
    pub amount: String,
    /// active / objected / paid / failed
    pub state: String,
    pub state_label: String,
    /// The objection, or the bank's reason for a failure.
    pub reason: Option<String>,
}

impl From<LineRow> for Line {
    fn from(l: LineRow) -> Self {
        Self {
            state_label: label(LINE_STATES, &l.state).into(),
            id: l.id,
            entry_id: l.entry_id,
            position: l.position,
            reference: l.reference,
            name: l.name,
            id_number: mask_id_number(&l.id_number),
            village: l.village,
            card_number: mask_card(&l.card_number),
            amount: fen_to_yuan(l.amount_fen),
            state: l.state,
            reason: l.reason,
        }
    }
}

/// A 一卡通 payment batch.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReliefBatch)]
pub struct Batch {
    pub id: String,
    /// The public code: the 公示 page is /public/relief/{code}.
    pub code: String,
    pub process_id: String,
    pub phase: String,
    pub phase_label: String,
    pub township: String,
    pub township_name: String,
    /// draft / notice / ready / exported / done
    pub status: String,
    pub status_label: String,
    pub notice_days: i64,
    pub notice_start_ms: Option<i64>,
    pub notice_end_ms: Option<i64>,
    pub exported_ms: Option<i64>,
    pub completed_ms: Option<i64>,
    pub created_by_name: String,
    pub created_ms: i64,
    /// Active and paid lines' total, 元.
    pub total: String,
    pub lines: Vec<Line>,
}

impl From<BatchRow> for Batch {
    fn from(b: BatchRow) -> Self {
        let total = b
            .lines
            .iter()
            .filter(|l| l.state == "active" || l.state == "paid")
            .map(|l| l.amount_fen)
            .sum();
        Self {
            phase_label: label(PHASES, &b.phase).into(),
            status: b.status.as_str().into(),
            status_label: b.status.label().into(),
            id: b.id,
            code: b.code,
            process_id: b.process_id,
            phase: b.phase,
            township: b.township,
            township_name: b.township_name,
            notice_days: b.notice_days,
            notice_start_ms: b.notice_start_ms,
            notice_end_ms: b.notice_end_ms,
            exported_ms: b.exported_ms,
            completed_ms: b.completed_ms,
            created_by_name: b.created_by_name,
            created_ms: b.created_ms,
            total: fen_to_yuan(total),
            lines: b.lines.into_iter().map(Into::into).collect(),
        }
    }
}

/// A line of a new batch.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReliefLineInput)]
pub struct LineIn {
    pub entry_id: String,
    /// 元; empty: the entry's amount.
    pub amount: Option<String>,
}

/// A batch to make: one township and phase of a process.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReliefBatchInput)]
pub struct BatchIn {
    pub process_id: String,
    pub phase: String,
    pub township: String,
    pub lines: Vec<LineIn>,
}

/// An objection during 公示.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ReliefObjection)]
pub struct ObjectionIn {
    pub line_id: String,
    pub reason: String,
}

/// A public line: the name with its middle masked, the village and the amount only.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReliefPublicLine)]
pub struct PublicLine {
    pub name: String,
    pub village: String,
    pub amount: String,
}

/// The public 公示 list of a batch.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReliefPublicList)]
pub struct PublicList {
    pub code: String,
    pub township_name: String,
    pub phase_label: String,
    pub status_label: String,
    pub notice_start_ms: Option<i64>,
    pub notice_end_ms: Option<i64>,
    pub total: String,
    pub lines: Vec<PublicLine>,
}

impl From<BatchRow> for PublicList {
    fn from(b: BatchRow) -> Self {
        let lines: Vec<&LineRow> = b.lines.iter().filter(|l| l.state != "objected").collect();
        Self {
            total: fen_to_yuan(lines.iter().map(|l| l.amount_fen).sum()),
            lines: lines
                .iter()
                .map(|l| PublicLine {
                    name: mask_name(&l.name),
                    village: l.village.clone(),
                    amount: fen_to_yuan(l.amount_fen),
                })
                .collect(),
            code: b.code.clone(),
            township_name: b.township_name.clone(),
            phase_label: label(PHASES, &b.phase).into(),
            status_label: b.status.label().into(),
            notice_start_ms: b.notice_start_ms,
            notice_end_ms: b.notice_end_ms,
        }
    }
}

/// One township's 10-hour measure.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReliefTimelinessRow)]
pub struct TimelinessRow {
    pub township: String,
    pub township_name: String,
    /// The first 应急救助 entry's time given.
    pub first_relief_ms: Option<i64>,
    /// Hours from the 初报 to it (or to now when none yet), one decimal.
    pub hours: Option<String>,
    /// met / late / pending / pending_late / no_report
    pub verdict: String,
    pub verdict_label: String,
}

/// The 10-hour basic-relief measure of a process.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = ReliefTimeliness)]
pub struct Timeliness {
    /// The 初报's time; null before it.
    pub initial_ms: Option<i64>,
    pub target_hours: i64,
    pub rows: Vec<TimelinessRow>,
}
